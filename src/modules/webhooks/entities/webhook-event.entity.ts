import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The outbox: one row per event that at least one enabled endpoint wanted, with the endpoints that
 * wanted it — written in the transaction of the change it describes (OutboxService.emit), or, for an
 * audited change, by the relay from its committed audit event (OutboxRelay). The delivery job turns it into one
 * delivery per endpoint ("fan-out": `fanoutPending` 1 → 0), so the writer pays one INSERT whatever the
 * number of endpoints. The body is the exact JSON that is signed and sent: encrypted at rest when it
 * is confidential (a password-reset event carries a live token), in the clear when the same data is
 * already stored in the clear (an audit event's copy).
 */
@Entity('webhook_events')
@Index('idx_webhook_events_fanout', ['fanoutPending', 'id'])
export class WebhookEvent {
  /** For an audit action, the audit event's id. */
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  type: string;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt: Date;

  /** Exactly one of `body` and `bodyCiphertext` is set. */
  @Column({ type: 'mediumblob', nullable: true })
  body: Buffer | null;

  @Column({ name: 'body_ciphertext', type: 'mediumblob', nullable: true })
  bodyCiphertext: Buffer | null;

  /** JSON array of endpoint ids while the fan-out is pending; null afterwards. */
  @Column({ name: 'endpoint_ids', type: 'text', nullable: true })
  endpointIds: string | null;

  @Column({ name: 'fanout_pending', type: 'tinyint', default: 0 })
  fanoutPending: number;
}
