import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const MOVEMENT_KINDS = [
  'initial',
  'adjustment',
  'reservation',
  'release',
  'commit',
  'expire',
  'allocation',
  'return',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** The append-only stock ledger: per product, the deltas sum to the current on_hand and reserved. */
@Entity('stock_movements')
@Index('idx_stock_movements_product', ['productId', 'id'])
export class StockMovement {
  @PrimaryColumn({ type: 'char', length: 36 })
  id: string;

  @Column({ name: 'product_id', type: 'char', length: 36 })
  productId: string;

  @Column({ type: 'enum', enum: MOVEMENT_KINDS })
  kind: MovementKind;

  @Column({ name: 'delta_on_hand', type: 'int' })
  deltaOnHand: number;

  @Column({ name: 'delta_reserved', type: 'int' })
  deltaReserved: number;

  @Column({ name: 'reference_type', type: 'varchar', length: 32, nullable: true })
  referenceType: string | null;

  @Column({ name: 'reference_id', type: 'varchar', length: 64, nullable: true })
  referenceId: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
