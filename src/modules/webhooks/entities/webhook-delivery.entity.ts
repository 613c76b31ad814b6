import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/**
 * One event for one endpoint. `pending` rows with `next_attempt_at <= now` are due; a claim pushes
 * `next_attempt_at` past the send timeout (a lease) and sets `claim_token`, so no other instance
 * takes the row while it is in flight, and only the claimant can record the outcome.
 */
@Entity('webhook_deliveries')
@Index('idx_webhook_deliveries_due', ['status', 'nextAttemptAt'])
@Index('idx_webhook_deliveries_endpoint', ['endpointId', 'id'])
@Index('uq_webhook_deliveries_event_endpoint', ['eventId', 'endpointId'], { unique: true })
export class WebhookDelivery {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'endpoint_id', type: 'char', length: 36 })
  endpointId: string;

  @Column({ name: 'event_id', type: 'char', length: 36 })
  eventId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType: string;

  @Column({ type: 'varchar', length: 16 })
  status: DeliveryStatus;

  @Column({ type: 'int' })
  attempts: number;

  @Column({ name: 'last_status_code', type: 'int', nullable: true })
  lastStatusCode: number | null;

  /** Why the last attempt failed when there was no HTTP status (timeout, refused, blocked address). */
  @Column({ name: 'last_error', type: 'varchar', length: 255, nullable: true })
  lastError: string | null;

  /** Due time while pending (a lease while in flight); null once delivered or failed. */
  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 3, nullable: true })
  nextAttemptAt: Date | null;

  @Column({ name: 'claim_token', type: 'char', length: 36, nullable: true })
  claimToken: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
