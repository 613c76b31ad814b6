import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const RESERVATION_STATUSES = ['pending', 'committed', 'released', 'expired'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

@Entity('reservations')
@Index('idx_reservations_status_expires', ['status', 'expiresAt'])
@Index('idx_reservations_user', ['userId', 'id'])
@Index('idx_reservations_user_status', ['userId', 'status', 'expiresAt'])
export class Reservation {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'char', length: 36 })
  userId: string;

  @Column({ type: 'enum', enum: RESERVATION_STATUSES })
  status: ReservationStatus;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt: Date;

  /** The order paying for this reservation right now: expiry, release and commit wait for it to finish. */
  @Column({ name: 'checkout_order_id', type: 'char', length: 36, nullable: true })
  checkoutOrderId: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
