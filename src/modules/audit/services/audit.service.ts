import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type DomainEvent, DomainEvents } from '../../../common/events/domain-events.js';
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

/**
 * The domain event of every audited change, published after its transaction commits under the
 * audit action's name (e.g. `product.update`): the audit event as it was stored.
 */
export interface AuditedChange extends DomainEvent {
  /** The audit event's id. */
  readonly id: string;
  readonly occurredAt: Date;
  readonly actorId: string | null;
  readonly entityType: string;
  readonly entityId: string;
  readonly outcome: AuditOutcome;
  /** Redacted, as stored. */
  readonly changes: Record<string, unknown>;
}

/**
 * The one recording API for every module. `record` writes through the caller's transaction
 * (its EntityManager): the event commits or rolls back with the change it describes, at the cost
 * of one INSERT. Actor, request id and IP come from the request context; jobs record as "system".
 * Events are stored unsealed; the sealer links them into the hash chain shortly after commit, so
 * recording never waits on a global lock. Each recorded entry is also published as a domain event
 * (AuditedChange) once the transaction commits: `manager` must be one given by TransactionService.run.
 */
const INSERT_EVENT = `INSERT INTO audit_events
  (id, occurred_at, actor_id, action, entity_type, entity_id, request_id, ip, outcome, changes)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

@Injectable()
export class AuditService {
  private readonly recording: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly events: DomainEvents,
  ) {
    this.recording = config.audit.recording;
    // Allowed so the bench can measure the recording's cost; never silent, since it turns the trail off.
    if (!this.recording)
      new Logger(AuditService.name).warn('AUDIT_RECORDING=false: state changes are NOT audited (bench only)');
  }

  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    await this.recordMany(manager, [entry]);
  }

  /**
   * Several events in ONE multi-row INSERT on the caller's transaction (a renewal batch): the rows
   * `record` would write, published the same way; one statement instead
   * of one per event. Nothing for an empty list.
   */
  async recordMany(manager: EntityManager, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const context = requestContext.current();
    const events = entries.map((entry) => this.eventOf(entry, context));
    for (const event of events) this.events.record(manager, event);
    if (!this.recording) return; // bench-only switch (AUDIT_RECORDING=false)
    // One fixed INSERT on the caller's transaction connection, without TypeORM's per-statement work
    // (its insert builder, then its QueryRunner.query, cost more CPU than the statement itself:
    // bench scenario audit-write). Columns as in AuditEvent.
    const sql = `${INSERT_EVENT}${', (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'.repeat(events.length - 1)}`;
    await leanStatement(
      manager,
      sql,
      events.flatMap((event) => [
        event.id,
        event.occurredAt,
        event.actorId,
        event.name,
        event.entityType,
        event.entityId,
        context?.requestId ?? null,
        context?.ip ?? null,
        event.outcome,
        JSON.stringify(event.changes),
      ]),
    );
  }

  private eventOf(entry: AuditEntry, context: ReturnType<typeof requestContext.current>): AuditedChange {
    const id = newId();
    return {
      name: entry.action,
      id,
      // The id's own timestamp: time filters become primary-key ranges (see event-time.ts).
      occurredAt: new Date(idTimestamp(id)),
      actorId: entry.actorId !== undefined ? entry.actorId : context ? (context.actor?.id ?? null) : 'system',
      entityType: entry.entityType,
      entityId: entry.entityId,
      outcome: entry.outcome ?? 'success',
      changes: redact(entry.changes ?? {}) as Record<string, unknown>,
    };
  }
}
