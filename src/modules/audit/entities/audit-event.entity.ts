import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type AuditOutcome = 'success' | 'failure';

/**
 * One recorded action. Rows are insert-only (the database refuses UPDATE and DELETE); the hash
 * chain that seals them lives in audit_chain. `occurred_at` is the id's own (UUID v7) timestamp, so
 * time filters are primary-key ranges; every other filter has a (column, id) index that also gives
 * the newest-first order.
 */
@Entity('audit_events')
@Index('idx_audit_events_actor', ['actorId', 'id'])
@Index('idx_audit_events_action', ['action', 'id'])
@Index('idx_audit_events_entity_type', ['entityType', 'id'])
@Index('idx_audit_events_entity_id', ['entityId', 'id'])
export class AuditEvent {
  /** UUID v7: time-ordered, so "newest first" is primary-key order. */
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt: Date;

  /** A user id, or "system" for scheduled jobs, or null for an anonymous caller. */
  @Column({ name: 'actor_id', type: 'varchar', length: 36, nullable: true })
  actorId: string | null;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 64 })
  entityType: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 64 })
  entityId: string;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;

  @Column({ type: 'enum', enum: ['success', 'failure'] })
  outcome: AuditOutcome;

  /** Redacted before it is stored (see redact.ts). Stored as text so its bytes hash the same everywhere. */
  @Column({ type: 'mediumtext' })
  changes: string;
}
