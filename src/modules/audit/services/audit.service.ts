import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../../../common/ids.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { leanStatement } from '../../../infrastructure/database/lean-query.js';
import { requestContext } from '../../../infrastructure/http/request-context.js';
import type { AuditOutcome } from '../entities/audit-event.entity.js';
import { idTimestamp } from './event-time.js';
import { redact } from './redact.js';

export interface AuditEntry {
  /** `<module>.<verb>`, e.g. `product.create`. */
  action: string;
  entityType: string;
  entityId: string;
  changes?: Record<string, unknown>;
  outcome?: AuditOutcome;
  /** Only where the request context cannot know it (e.g. a login before any token exists). */
  actorId?: string | null;
}

/** What a listener sees of an event recorded in the current transaction (changes already redacted). */
export interface RecordedAuditEvent {
  id: string;
  occurredAt: Date;
  action: string;
  entityType: string;
  entityId: string;
  actorId: string | null;
  outcome: AuditOutcome;
  changes: Record<string, unknown>;
}

/**
 * Runs inside the recording transaction, after the event's INSERT: whatever it writes commits or rolls
 * back with the change. How other modules (webhooks' outbox) react to every state change without audit
 * knowing them; it must stay cheap, it is on every write path.
 */
export type AuditListener = (manager: EntityManager, event: RecordedAuditEvent) => Promise<void>;

/**
 * The one recording API for every module. `record` writes through the caller's transaction
 * (its EntityManager): the event commits or rolls back with the change it describes, at the cost
 * of one INSERT. Actor, request id and IP come from the request context; jobs record as "system".
 * Events are stored unsealed; the sealer links them into the hash chain shortly after commit, so
 * recording never waits on a global lock.
 */
const INSERT_EVENT = `INSERT INTO audit_events
  (id, occurred_at, actor_id, action, entity_type, entity_id, request_id, ip, outcome, changes)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

@Injectable()
export class AuditService {
  private readonly recording: boolean;
  private readonly listeners: AuditListener[] = [];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.recording = config.audit.recording;
    // Allowed so the bench can measure the recording's cost; never silent, since it turns the trail off.
    if (!this.recording)
      new Logger(AuditService.name).warn('AUDIT_RECORDING=false: state changes are NOT audited (bench only)');
  }

  /** Registered once at module init by a module that reacts to every recorded event (see AuditListener). */
  addListener(listener: AuditListener): void {
    this.listeners.push(listener);
  }

  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    if (!this.recording) return; // bench-only switch (AUDIT_RECORDING=false)
    const context = requestContext.current();
    const id = newId();
    // The id's own timestamp: time filters become primary-key ranges (see event-time.ts).
    const occurredAt = new Date(idTimestamp(id));
    const actorId = entry.actorId !== undefined ? entry.actorId : context ? (context.actor?.id ?? null) : 'system';
    const outcome = entry.outcome ?? 'success';
    const changes = redact(entry.changes ?? {}) as Record<string, unknown>;
    // One fixed INSERT on the caller's transaction connection, without TypeORM's per-statement work
    // (its insert builder, then its QueryRunner.query, cost more CPU than the statement itself:
    // bench scenario audit-write). Columns as in AuditEvent.
    await leanStatement(manager, INSERT_EVENT, [
      id,
      occurredAt,
      actorId,
      entry.action,
      entry.entityType,
      entry.entityId,
      context?.requestId ?? null,
      context?.ip ?? null,
      outcome,
      JSON.stringify(changes),
    ]);
    for (const listener of this.listeners) {
      await listener(manager, {
        id,
        occurredAt,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId,
        actorId,
        outcome,
        changes,
      });
    }
  }
}
