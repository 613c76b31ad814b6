import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One product line of a reservation (product ids are unique within a reservation). */
@Entity('reservation_items')
export class ReservationItem {
  @PrimaryColumn({ name: 'reservation_id', type: 'char', length: 36 })
  reservationId: string;

  @PrimaryColumn({ name: 'product_id', type: 'char', length: 36 })
  productId: string;

  @Column({ type: 'int' })
  quantity: number;
}
