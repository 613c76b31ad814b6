import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const PAYMENT_REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type PaymentRefundStatus = (typeof PAYMENT_REFUND_STATUSES)[number];

/** Money given back on a succeeded intent; the same two-step flow as a charge (row first, then the gateway). */
@Entity('payment_refunds')
@Index('uq_payment_refunds_key', ['idempotencyKey'], { unique: true })
@Index('idx_payment_refunds_intent', ['intentId'])
@Index('idx_payment_refunds_pending', ['status', 'createdAt'])
@Index('idx_payment_refunds_settled', ['settledAt'])
export class PaymentRefund {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'intent_id', type: 'char', length: 36 })
  intentId: string;

  @Column({ name: 'amount_cents', type: 'int' })
  amountCents: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 160 })
  idempotencyKey: string;

  @Column({ type: 'enum', enum: PAYMENT_REFUND_STATUSES })
  status: PaymentRefundStatus;

  @Column({ name: 'gateway_reference', type: 'varchar', length: 128, nullable: true })
  gatewayReference: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;

  @Column({ name: 'settled_at', type: 'datetime', precision: 3, nullable: true })
  settledAt: Date | null;
}
