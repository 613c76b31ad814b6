import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One product of an order, priced when the order was placed. */
@Entity('order_lines')
export class OrderLine {
  @PrimaryColumn({ name: 'order_id', type: 'char', length: 36 })
  orderId: string;

  @PrimaryColumn({ name: 'product_id', type: 'char', length: 36 })
  productId: string;

  @Column({ type: 'int' })
  quantity: number;

  @Column({ name: 'unit_price_cents', type: 'int' })
  unitPriceCents: number;
}
