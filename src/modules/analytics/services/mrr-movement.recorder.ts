import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../../../common/ids.js';
import { MRR_TOTAL_SHARDS } from '../entities/mrr-daily-total.entity.js';
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
 * movement commits or rolls back with the subscription change it describes, and so does its share of
 * the daily totals the metrics read. The metric caches are dropped after that transaction commits
 * (see mrr-cache-invalidator.ts).
 */
@Injectable()
export class MrrMovementRecorder {
  constructor(private readonly invalidator: MrrCacheInvalidator) {}

  record(manager: EntityManager, movement: MrrMovementInput): Promise<void> {
    return this.recordMany(manager, [movement]);
  }

  /** All movements in one multi-row INSERT, and their daily totals in one upsert. */
  async recordMany(manager: EntityManager, movements: readonly MrrMovementInput[]): Promise<void> {
    const rows = movements.filter((movement) => checkedAmount(movement) > 0);
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO mrr_movements ${COLUMNS} VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      rows.flatMap((m) => [newId(), m.subscriptionId, m.userId, m.kind, m.amountCents, m.currency, m.occurredAt]),
    );
    const totals = dailyTotals(rows);
    const shard = transactionShard(manager);
    await manager.query(
      `INSERT INTO mrr_daily_totals (currency, day, kind, shard, amount_cents, movements)
       VALUES ${totals.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}
       ON DUPLICATE KEY UPDATE amount_cents = amount_cents + VALUES(amount_cents), movements = movements + VALUES(movements)`,
      totals.flatMap((t) => [t.currency, t.day, t.kind, shard, t.amountCents, t.movements]),
    );
    this.invalidator.movementsWritten(manager);
  }
}

const SHARD_KEY = 'analytics.mrrShard';

/**
 * One shard per transaction, drawn at its first movement: a transaction (a renewal batch records many)
 * then locks one row per (currency, day, kind), never several shards of it in varying order.
 */
function transactionShard(manager: EntityManager): number {
  const data = manager.queryRunner?.isTransactionActive ? manager.queryRunner.data : {};
  data[SHARD_KEY] ??= Math.floor(Math.random() * MRR_TOTAL_SHARDS);
  return data[SHARD_KEY] as number;
}

/** A negative or fractional amount is a caller's bug: refuse it rather than corrupt the ledger. */
function checkedAmount(movement: MrrMovementInput): number {
  if (!Number.isSafeInteger(movement.amountCents) || movement.amountCents < 0)
    throw new Error(`MRR movement amount must be a non-negative integer, got ${movement.amountCents}`);
  return movement.amountCents;
}

/** Movements summed per (currency, UTC day, kind), in key order (rows locked in one order: fewer deadlocks). */
function dailyTotals(movements: readonly MrrMovementInput[]) {
  const totals = new Map<
    string,
    { currency: string; day: string; kind: MrrMovementKind; amountCents: number; movements: number }
  >();
  for (const m of movements) {
    const day = m.occurredAt.toISOString().slice(0, 10);
    const key = `${m.currency}|${day}|${m.kind}`;
    const total = totals.get(key) ?? { currency: m.currency, day, kind: m.kind, amountCents: 0, movements: 0 };
    total.amountCents += m.amountCents;
    total.movements += 1;
    totals.set(key, total);
  }
  return [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, total]) => total);
}
