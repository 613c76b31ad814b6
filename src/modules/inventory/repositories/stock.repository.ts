import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { newId } from '../../../common/ids.js';
import { StockLevel } from '../entities/stock-level.entity.js';
import { type MovementKind, StockMovement } from '../entities/stock-movement.entity.js';
import { affectedRows } from '../../../infrastructure/database/sql.js';

/** Upper bound for on_hand (INT column): an adjustment past it is refused rather than overflowing. */
const MAX_ON_HAND = 2_000_000_000;

export interface MovementInput {
  productId: string;
  kind: MovementKind;
  deltaOnHand: number;
  deltaReserved: number;
  referenceType?: string | null;
  referenceId?: string | null;
  reason?: string | null;
}

export interface ReconcileRow {
  product_id: string;
  on_hand: number;
  reserved: number;
  ledger_on_hand: number | string;
  ledger_reserved: number | string;
}

/**
 * Every change to stock_levels is ONE conditional UPDATE that checks its precondition in the WHERE
 * clause and reports success through the affected-row count: the row lock taken by the UPDATE makes
 * check-and-change atomic, so concurrent writers can never oversell or go below what is reserved.
 */
@Injectable()
export class StockRepository {
  constructor(private readonly dataSource: DataSource) {}

  async createLevel(manager: EntityManager, productId: string, onHand: number): Promise<void> {
    await manager.insert(StockLevel, { productId, onHand, reserved: 0 });
  }

  /** reserved += qty, only if available (on_hand − reserved) covers it. */
  async reserve(manager: EntityManager, productId: string, quantity: number): Promise<boolean> {
    return this.update(
      manager,
      'UPDATE stock_levels SET reserved = reserved + ? WHERE product_id = ? AND on_hand - reserved >= ?',
      [quantity, productId, quantity],
    );
  }

  /** reserved −= qty (release or expiry of a reservation). */
  async unreserve(manager: EntityManager, productId: string, quantity: number): Promise<boolean> {
    return this.update(
      manager,
      'UPDATE stock_levels SET reserved = reserved - ? WHERE product_id = ? AND reserved >= ?',
      [quantity, productId, quantity],
    );
  }

  /** The reserved units leave the warehouse: on_hand and reserved both drop by qty. */
  async commitReserved(manager: EntityManager, productId: string, quantity: number): Promise<boolean> {
    return this.update(
      manager,
      'UPDATE stock_levels SET on_hand = on_hand - ?, reserved = reserved - ? WHERE product_id = ? AND reserved >= ? AND on_hand >= ?',
      [quantity, quantity, productId, quantity, quantity],
    );
  }

  /** A direct sale (subscription allocation): on_hand −= qty, only if available covers it. */
  async allocate(manager: EntityManager, productId: string, quantity: number): Promise<boolean> {
    return this.update(
      manager,
      'UPDATE stock_levels SET on_hand = on_hand - ? WHERE product_id = ? AND on_hand - reserved >= ?',
      [quantity, productId, quantity],
    );
  }

  /** on_hand += delta, only if the result stays at or above what is reserved (and within INT). */
  async adjust(manager: EntityManager, productId: string, delta: number): Promise<boolean> {
    return this.update(
      manager,
      'UPDATE stock_levels SET on_hand = on_hand + ? WHERE product_id = ? AND on_hand + ? >= reserved AND on_hand + ? <= ?',
      [delta, productId, delta, delta, MAX_ON_HAND],
    );
  }

  async level(
    productId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ onHand: number; reserved: number } | undefined> {
    const rows = (await manager.query('SELECT on_hand, reserved FROM stock_levels WHERE product_id = ?', [
      productId,
    ])) as { on_hand: number; reserved: number }[];
    return rows[0] ? { onHand: Number(rows[0].on_hand), reserved: Number(rows[0].reserved) } : undefined;
  }

  /** Appends ledger rows (one multi-row INSERT); returns them as stored. */
  async appendMovements(manager: EntityManager, inputs: readonly MovementInput[], now: Date): Promise<StockMovement[]> {
    if (inputs.length === 0) return [];
    const movements = inputs.map((input) =>
      Object.assign(new StockMovement(), {
        id: newId(),
        productId: input.productId,
        kind: input.kind,
        deltaOnHand: input.deltaOnHand,
        deltaReserved: input.deltaReserved,
        referenceType: input.referenceType ?? null,
        referenceId: input.referenceId ?? null,
        reason: input.reason ?? null,
        createdAt: now,
      }),
    );
    await manager.insert(StockMovement, movements);
    return movements;
  }

  /** Newest first, keyset on id (UUID v7: time-ordered). */
  async listMovements(filter: { productId?: string; beforeId?: string; limit: number }): Promise<StockMovement[]> {
    const query = this.dataSource.getRepository(StockMovement).createQueryBuilder('m');
    if (filter.productId !== undefined) query.andWhere('m.productId = :productId', { productId: filter.productId });
    if (filter.beforeId !== undefined) query.andWhere('m.id < :beforeId', { beforeId: filter.beforeId });
    return query.orderBy('m.id', 'DESC').limit(filter.limit).getMany();
  }

  /** Every product whose ledger does not sum to its stock, or whose stock breaks 0 <= reserved <= on_hand. */
  async reconcile(): Promise<{ checked: number; mismatches: ReconcileRow[] }> {
    const [{ checked }] = (await this.dataSource.query('SELECT COUNT(*) AS checked FROM stock_levels')) as {
      checked: number | string;
    }[];
    const mismatches = (await this.dataSource.query(
      `SELECT s.product_id, s.on_hand, s.reserved, l.ledger_on_hand, l.ledger_reserved
       FROM stock_levels s
       LEFT JOIN (
         SELECT product_id, SUM(delta_on_hand) AS ledger_on_hand, SUM(delta_reserved) AS ledger_reserved
         FROM stock_movements GROUP BY product_id
       ) l ON l.product_id = s.product_id
       WHERE COALESCE(l.ledger_on_hand, 0) <> s.on_hand OR COALESCE(l.ledger_reserved, 0) <> s.reserved
          OR s.reserved < 0 OR s.reserved > s.on_hand`,
    )) as ReconcileRow[];
    return { checked: Number(checked), mismatches };
  }

  private async update(manager: EntityManager, sql: string, params: unknown[]): Promise<boolean> {
    return affectedRows(await manager.query(sql, params)) === 1;
  }
}
