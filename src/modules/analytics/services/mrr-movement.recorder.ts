import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../../../common/ids.js';
import type { MrrMovementKind } from '../entities/mrr-movement.entity.js';
import { MrrCacheInvalidator } from './mrr-cache-invalidator.js';

export interface MrrMovementInput {
  subscriptionId: string;
  userId: string;
  kind: MrrMovementKind;
  /** Positive magnitude in minor units; `kind` gives the direction. A zero amount records nothing. */
  amountCents: number;
  currency: string;
  occurredAt: Date;
}

const COLUMNS = '(id, subscription_id, user_id, kind, amount_cents, currency, occurred_at)';

/**
 * The one way to write the MRR ledger: through the caller's transaction (its EntityManager), so a
 * movement commits or rolls back with the subscription change it describes. The metric caches are
 * dropped after that transaction commits (see mrr-cache-invalidator.ts).
 */
@Injectable()
export class MrrMovementRecorder {
  constructor(private readonly invalidator: MrrCacheInvalidator) {}

  record(manager: EntityManager, movement: MrrMovementInput): Promise<void> {
    return this.recordMany(manager, [movement]);
  }

  /** All movements in one multi-row INSERT. */
  async recordMany(manager: EntityManager, movements: readonly MrrMovementInput[]): Promise<void> {
    const rows = movements.filter((movement) => checkedAmount(movement) > 0);
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO mrr_movements ${COLUMNS} VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      rows.flatMap((m) => [newId(), m.subscriptionId, m.userId, m.kind, m.amountCents, m.currency, m.occurredAt]),
    );
    this.invalidator.movementsWritten(manager);
  }
}

/** A negative or fractional amount is a caller's bug: refuse it rather than corrupt the ledger. */
function checkedAmount(movement: MrrMovementInput): number {
  if (!Number.isSafeInteger(movement.amountCents) || movement.amountCents < 0)
    throw new Error(`MRR movement amount must be a non-negative integer, got ${movement.amountCents}`);
  return movement.amountCents;
}
