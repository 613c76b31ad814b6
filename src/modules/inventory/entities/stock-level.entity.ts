import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The stock of one product. Only ever changed by conditional UPDATEs in StockRepository
 * (`0 <= reserved <= on_hand` is also a CHECK constraint in the migration).
 */
@Entity('stock_levels')
export class StockLevel {
  @PrimaryColumn({ name: 'product_id', type: 'char', length: 36 })
  productId: string;

  @Column({ name: 'on_hand', type: 'int' })
  onHand: number;

  @Column({ type: 'int' })
  reserved: number;
}
