import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How far the relay has turned the audit trail into outbox events: the `seq` of the last sealed audit
 * event it read (AuditFeed). One row (id 1), locked by the relay transaction that reads after it and
 * moves it, so each sealed event is relayed exactly once, in seq order, whichever instance runs it.
 */
@Entity('webhook_relay_cursor')
export class WebhookRelayCursor {
  @PrimaryColumn({ type: 'tinyint' })
  id: number;

  @Column({ type: 'bigint' })
  seq: number;
}
