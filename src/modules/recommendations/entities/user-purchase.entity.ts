import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How many paid (not fully refunded) orders of a user contained a product: the input of /recommendations/me. */
@Entity('user_purchases')
export class UserPurchase {
  @PrimaryColumn({ name: 'user_id', type: 'char', length: 36 })
  userId: string;

  @PrimaryColumn({ name: 'product_id', type: 'char', length: 36 })
  productId: string;

  @Column({ type: 'int' })
  orders: number;
}
