import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The outbox: one row per event that at least one enabled endpoint wanted, written in the transaction
 * of the change it describes. The body is the exact JSON that is signed and sent, encrypted at rest
 * (a password-reset event carries a live token).
 */
@Entity('webhook_events')
export class WebhookEvent {
  /** For an audit action, the audit event's id. */
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  type: string;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt: Date;

  @Column({ name: 'body_ciphertext', type: 'mediumblob' })
  bodyCiphertext: Buffer;
}
