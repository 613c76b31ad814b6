import { Column, Entity, Index } from 'typeorm';
import { GatewayOperation } from './gateway-operation.js';

export const PAYMENT_REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type PaymentRefundStatus = (typeof PAYMENT_REFUND_STATUSES)[number];

/** Money given back on a succeeded intent; the same two-step flow as a charge (row first, then the gateway). */
@Entity('payment_refunds')
@Index('uq_payment_refunds_key', ['idempotencyKey'], { unique: true })
@Index('idx_payment_refunds_intent', ['intentId'])
@Index('idx_payment_refunds_pending', ['status', 'createdAt'])
@Index('idx_payment_refunds_settled', ['settledAt'])
export class PaymentRefund extends GatewayOperation {
  @Column({ name: 'intent_id', type: 'char', length: 36 })
  intentId: string;

  @Column({ type: 'enum', enum: PAYMENT_REFUND_STATUSES })
  status: PaymentRefundStatus;
}
