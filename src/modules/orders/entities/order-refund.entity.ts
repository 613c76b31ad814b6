import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/**
 * One refund of an order as asked (amount, restock), `pending` until the payments module's refund with
 * key `order-refund:<id>` settles; the money side lives in payment_refunds.
 */
@Entity('order_refunds')
@Index('idx_order_refunds_order', ['orderId', 'id'])
@Index('idx_order_refunds_status_created', ['status', 'createdAt'])
@Index('idx_order_refunds_completed', ['completedAt'])
export class OrderRefund {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'order_id', type: 'char', length: 36 })
  orderId: string;

  @Column({ name: 'amount_cents', type: 'int' })
  amountCents: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'boolean' })
  restock: boolean;

  @Column({ type: 'enum', enum: REFUND_STATUSES })
  status: RefundStatus;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'completed_at', type: 'datetime', precision: 3, nullable: true })
  completedAt: Date | null;
}
