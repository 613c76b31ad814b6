import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type PaymentAttemptStatus = 'succeeded' | 'declined';

/**
 * One charge sent to the gateway. The idempotency key is derived from the invoice and attempt
 * number (`invoice:<id>:attempt:<n>`) and is UNIQUE: an attempt can be stored once only.
 */
@Entity('payment_attempts')
@Index('uq_payment_attempts_key', ['idempotencyKey'], { unique: true })
@Index('idx_payment_attempts_invoice', ['invoiceId', 'attempt'])
@Index('idx_payment_attempts_subscription', ['subscriptionId', 'id'])
export class PaymentAttempt {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'invoice_id', type: 'char', length: 36 })
  invoiceId: string;

  @Column({ name: 'subscription_id', type: 'char', length: 36 })
  subscriptionId: string;

  @Column({ type: 'int' })
  attempt: number;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 120 })
  idempotencyKey: string;

  @Column({ name: 'amount_cents', type: 'int' })
  amountCents: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'enum', enum: ['succeeded', 'declined'] })
  status: PaymentAttemptStatus;

  @Column({ name: 'decline_code', type: 'varchar', length: 64, nullable: true })
  declineCode: string | null;

  @Column({ type: 'varchar', length: 32 })
  gateway: string;

  @Column({ name: 'gateway_reference', type: 'varchar', length: 128, nullable: true })
  gatewayReference: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
