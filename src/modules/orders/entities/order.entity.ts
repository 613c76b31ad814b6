import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * `pending` while its payment intent is in flight (both committed before the gateway is called), then
 * `paid` or `failed` (by the payments module's applier); refunds move it to `partially_refunded` / `refunded`.
 * Clients only ever see paid, partially refunded and refunded orders.
 */
export const ORDER_STATUSES = ['pending', 'paid', 'partially_refunded', 'refunded', 'failed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const VISIBLE_ORDER_STATUSES = ['paid', 'partially_refunded', 'refunded'] as const;

@Entity('orders')
@Index('idx_orders_user', ['userId', 'id'])
@Index('idx_orders_status_created', ['status', 'createdAt'])
@Index('idx_orders_reservation', ['reservationId'])
@Index('idx_orders_paid_at', ['paidAt'])
export class Order {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'char', length: 36 })
  userId: string;

  @Column({ name: 'reservation_id', type: 'char', length: 36 })
  reservationId: string;

  @Column({ type: 'enum', enum: ORDER_STATUSES })
  status: OrderStatus;

  @Column({ name: 'total_cents', type: 'int' })
  totalCents: number;

  /** Succeeded refunds (the payments module keeps refunds in flight from exceeding the charge). */
  @Column({ name: 'refunded_cents', type: 'int' })
  refundedCents: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** The payments module's intent that charges this order (its key: `order:<id>`). */
  @Column({ name: 'payment_intent_id', type: 'char', length: 36 })
  paymentIntentId: string;

  @Column({ name: 'decline_code', type: 'varchar', length: 64, nullable: true })
  declineCode: string | null;

  @Column({ name: 'paid_at', type: 'datetime', precision: 3, nullable: true })
  paidAt: Date | null;

  /** Set when a refund returned the lines to stock (at most once per order). */
  @Column({ name: 'restocked_at', type: 'datetime', precision: 3, nullable: true })
  restockedAt: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
