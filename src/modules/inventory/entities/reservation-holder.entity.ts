import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per user who has reserved. A customer's new reservation locks this row before counting their
 * pending reservations, so concurrent reservations of one user are counted one after another.
 */
@Entity('reservation_holders')
export class ReservationHolder {
  @PrimaryColumn({ name: 'user_id', type: 'char', length: 36 })
  userId: string;

  @Column({ name: 'locked_at', type: 'datetime', precision: 3 })
  lockedAt: Date;
}
