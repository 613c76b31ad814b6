import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * `pending` while the charge is in flight (the payment intent: committed before the gateway is called),
 * then `paid` or `failed`; refunds move a paid order to `partially_refunded` / `refunded`.
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

  /** Includes refunds in flight: it is raised before the gateway is asked, so it never exceeds the total. */
  @Column({ name: 'refunded_cents', type: 'int' })
  refundedCents: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** The gateway token: the reconcile job re-asks the gateway with it. Never logged or audited. */
  @Column({ name: 'payment_method', type: 'varchar', length: 128 })
  paymentMethod: string;

  @Column({ name: 'charge_reference', type: 'varchar', length: 128, nullable: true })
  chargeReference: string | null;

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
