import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A catalogue entry. Its stock lives in `stock_levels` (one row per product, same id). */
@Entity('products')
@Index('uq_products_sku', ['sku'], { unique: true })
@Index('idx_products_name', ['name'])
@Index('idx_products_active', ['active', 'id'])
export class Product {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'price_cents', type: 'int' })
  priceCents: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'boolean' })
  active: boolean;

  /** Optimistic version: +1 on every change to the product's own fields (If-Match). */
  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
