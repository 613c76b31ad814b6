import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ProductRow } from '../dto/product.dto.js';
import { leanQuery } from '../../../infrastructure/database/lean-query.js';
import { Product } from '../entities/product.entity.js';
import { affectedRows, likePrefix } from '../../../infrastructure/database/sql.js';

export const PRODUCT_COLUMNS = `p.id, p.sku, p.name, p.description, p.price_cents, p.currency, p.active, p.version,
  p.created_at, p.updated_at, s.on_hand, s.reserved`;

/**
 * The hot path: one primary-key join, fixed SQL, no entity hydration. Exported for the EXPLAIN test:
 * it is sent through leanQuery, which TypeORM subscribers do not see.
 */
export const PRODUCT_BY_ID_SQL = `SELECT ${PRODUCT_COLUMNS} FROM products p JOIN stock_levels s ON s.product_id = p.id WHERE p.id = ?`;

export interface ProductListFilter {
  limit: number;
  afterId?: string;
  active?: boolean;
}

export type ProductFields = Partial<
  Pick<Product, 'sku' | 'name' | 'description' | 'priceCents' | 'currency' | 'active'>
>;

const FIELD_COLUMNS: Record<keyof ProductFields, string> = {
  sku: 'sku',
  name: 'name',
  description: 'description',
  priceCents: 'price_cents',
  currency: 'currency',
  active: 'active',
};

@Injectable()
export class ProductRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The hottest read (cold catalogue read, and after every change): bypasses TypeORM's QueryRunner, see leanQuery. */
  async findRowById(id: string, manager?: EntityManager): Promise<ProductRow | undefined> {
    const [row] = await leanQuery<ProductRow>(manager ?? this.dataSource, PRODUCT_BY_ID_SQL, [id]);
    return row;
  }

  /** A keyset page in id order (time-ordered ids: newest last), optionally only (in)active products. */
  async list(filter: ProductListFilter, source: DataSource = this.dataSource): Promise<ProductRow[]> {
    const { where, params } = pageConditions(filter, [], []);
    return (await source.query(
      `SELECT ${PRODUCT_COLUMNS} FROM products p JOIN stock_levels s ON s.product_id = p.id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY p.id LIMIT ?`,
      params,
    )) as ProductRow[];
  }

  /**
   * Products whose `column` starts with `prefix` (a range on that column's index), in id order.
   * The service runs it for name and for sku and merges: no `%q%` scan, no OR across two indexes.
   */
  async prefixSearch(
    column: 'name' | 'sku',
    prefix: string,
    filter: ProductListFilter,
    source: DataSource = this.dataSource,
  ): Promise<ProductRow[]> {
    const { where, params } = pageConditions(filter, [`p.${column} LIKE ?`], [likePrefix(prefix)]);
    return (await source.query(
      `SELECT ${PRODUCT_COLUMNS} FROM products p FORCE INDEX (${column === 'name' ? 'idx_products_name' : 'uq_products_sku'})
       JOIN stock_levels s ON s.product_id = p.id
       WHERE ${where.join(' AND ')} ORDER BY p.id LIMIT ?`,
      params,
    )) as ProductRow[];
  }

  async insert(manager: EntityManager, product: Product): Promise<void> {
    await manager.insert(Product, product);
  }

  /** The row, locked for the rest of the transaction (PATCH reads, compares and writes it). */
  async lockById(manager: EntityManager, id: string): Promise<Product | undefined> {
    const product = await manager
      .createQueryBuilder(Product, 'p')
      .setLock('pessimistic_write')
      .where('p.id = :id', { id })
      .getOne();
    return product ?? undefined;
  }

  /** Conditional on the version read: bumps it; false if someone else changed the row meanwhile. */
  async update(
    manager: EntityManager,
    id: string,
    expectedVersion: number,
    fields: ProductFields,
    now: Date,
  ): Promise<boolean> {
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const [field, column] of Object.entries(FIELD_COLUMNS) as [keyof ProductFields, string][]) {
      if (fields[field] === undefined) continue;
      sets.push(`${column} = ?`);
      params.push(field === 'active' ? (fields.active ? 1 : 0) : fields[field]);
    }
    sets.push('version = version + 1', 'updated_at = ?');
    params.push(now, id, expectedVersion);
    const result = await manager.query(`UPDATE products SET ${sets.join(', ')} WHERE id = ? AND version = ?`, params);
    return affectedRows(result) === 1;
  }

  /** Those of `ids` that exist, with their stock (one IN query; order not guaranteed). */
  async rowsByIds(ids: readonly string[]): Promise<ProductRow[]> {
    if (ids.length === 0) return [];
    return (await this.dataSource.query(
      `SELECT ${PRODUCT_COLUMNS} FROM products p JOIN stock_levels s ON s.product_id = p.id
       WHERE p.id IN (${ids.map(() => '?').join(',')})`,
      [...ids],
    )) as ProductRow[];
  }

  /** Committed stock and active flag of those of `ids` that exist (a plain, non-locking read). */
  async stockStates(ids: readonly string[]) {
    if (ids.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT p.id, p.active, s.on_hand, s.reserved FROM products p JOIN stock_levels s ON s.product_id = p.id
       WHERE p.id IN (${ids.map(() => '?').join(',')})`,
      [...ids],
    )) as { id: string; active: number; on_hand: number; reserved: number }[];
    return rows.map((row) => ({
      id: row.id,
      active: Boolean(row.active),
      available: Number(row.on_hand) - Number(row.reserved),
    }));
  }

  /** id and active flag of those of `ids` that exist. */
  async activeStates(ids: readonly string[], manager: EntityManager = this.dataSource.manager) {
    if (ids.length === 0) return [];
    const rows = (await manager.query(`SELECT id, active FROM products WHERE id IN (${ids.map(() => '?').join(',')})`, [
      ...ids,
    ])) as { id: string; active: number }[];
    return rows.map((row) => ({ id: row.id, active: Boolean(row.active) }));
  }
}

/** The list filters every catalogue page shares (active flag, keyset position), then the LIMIT parameter. */
function pageConditions(filter: ProductListFilter, where: string[], params: unknown[]) {
  if (filter.active !== undefined) {
    where.push('p.active = ?');
    params.push(filter.active ? 1 : 0);
  }
  if (filter.afterId !== undefined) {
    where.push('p.id > ?');
    params.push(filter.afterId);
  }
  params.push(filter.limit);
  return { where, params };
}
