import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * How many paid (not fully refunded) orders contained both products. Stored in both directions
 * (a,b) and (b,a), so "top partners of X" is one index range: (product_id = X) by orders.
 */
@Entity('co_purchases')
@Index('idx_co_purchases_top', ['productId', 'orders', 'otherId'])
export class CoPurchase {
  @PrimaryColumn({ name: 'product_id', type: 'char', length: 36 })
  productId: string;

  @PrimaryColumn({ name: 'other_id', type: 'char', length: 36 })
  otherId: string;

  @Column({ type: 'int' })
  orders: number;
}
