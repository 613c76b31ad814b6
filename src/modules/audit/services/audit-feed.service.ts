import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditOutcome } from '../entities/audit-event.entity.js';
import { AuditChainRepository } from '../repositories/audit-chain.repository.js';
import { AuditSealerService } from './audit-sealer.service.js';
import { idTimestamp } from './event-time.js';

/** A committed audit event as the feed gives it: the AuditedChange that was published, plus its place. */
export interface SealedAuditEvent {
  /** Its link's position in the chain: 1, 2, 3, … with no gap, in the order the sealer found the commits. */
  seq: number;
  id: string;
  action: string;
  occurredAt: Date;
  actorId: string | null;
  entityType: string;
  entityId: string;
  outcome: AuditOutcome;
  /** Redacted, as stored. */
  changes: Record<string, unknown>;
}

/**
 * The audit trail read as an ordered log of committed changes, for a module that must see each one
 * exactly once (webhooks' relay): follow `seq`, not the event id. Ids are taken when a change is
 * recorded, so a transaction that commits late can surface an id older than one already read; seq
 * is given at sealing, after commit, one sealer at a time, so a consumer that remembers the last seq
 * it took misses nothing and a rolled-back change never appears.
 */
@Injectable()
export class AuditFeed {
  constructor(
    private readonly chain: AuditChainRepository,
    private readonly sealer: AuditSealerService,
  ) {}

  /** Up to `limit` sealed events after `afterSeq`, in seq order, read in the caller's transaction. */
  async sealedAfter(manager: EntityManager, afterSeq: number, limit: number): Promise<SealedAuditEvent[]> {
    const rows = await this.chain.sealedAfter(manager, afterSeq, limit);
    return rows.map((row) => ({
      seq: Number(row.seq),
      id: row.id,
      action: row.action,
      // The id's own timestamp, as record() stored it (no time-zone round trip through the driver).
      occurredAt: new Date(idTimestamp(row.id)),
      actorId: row.actorId,
      entityType: row.entityType,
      entityId: row.entityId,
      outcome: row.outcome,
      changes: JSON.parse(row.changes) as Record<string, unknown>,
    }));
  }

  /**
   * A seal pass now rather than at the next AUDIT_SEAL_INTERVAL_MS: every event committed before the
   * call is sealed when it resolves, unless another instance's pass held the sealer lock for over a
   * second (the regular job seals it then). Waits for a pass in progress instead of skipping, since
   * that pass may have looked before the caller's commit. Returns how many events it sealed.
   */
  sealNow(): Promise<number> {
    return this.sealer.sealPending({ waitSeconds: 1 });
  }
}
