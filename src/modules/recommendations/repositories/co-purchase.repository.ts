import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { coPurchasePairs, distinctSorted } from '../services/co-purchase-pairs.js';

export interface ScoredProduct {
  productId: string;
  score: number;
}

/** Every query on co_purchases and user_purchases. */
@Injectable()
export class CoPurchaseRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Adds `delta` (+1 paid, −1 fully refunded) to every ordered pair of `productIds` (distinct, sorted)
   * and to the user's purchases of them: one multi-row upsert each, rows in key order, so concurrent
   * orders lock shared rows in the same order. Counts never go below 0.
   */
  async add(manager: EntityManager, userId: string, productIds: readonly string[], delta: 1 | -1): Promise<void> {
    const ids = distinctSorted(productIds);
    const initial = Math.max(delta, 0);
    const pairs = coPurchasePairs(ids);
    if (pairs.length > 0) {
      await manager.query(
        `INSERT INTO co_purchases (product_id, other_id, orders) VALUES ${pairs.map(() => `(?, ?, ${initial})`).join(', ')}
         ON DUPLICATE KEY UPDATE orders = GREATEST(orders + ?, 0)`,
        [...pairs.flat(), delta],
      );
    }
    if (ids.length > 0) {
      await manager.query(
        `INSERT INTO user_purchases (user_id, product_id, orders) VALUES ${ids.map(() => `(?, ?, ${initial})`).join(', ')}
         ON DUPLICATE KEY UPDATE orders = GREATEST(orders + ?, 0)`,
        [...ids.flatMap((id) => [userId, id]), delta],
      );
    }
  }

  /**
   * The product's partners, highest count first; ties: the higher product id first (UUID v7: the newer
   * product), so the whole order is one backward range scan of idx_co_purchases_top. `after` continues
   * a previous call (keyset). `source`: the primary by default, or the replica ReadReplicas chose.
   */
  async partners(
    productId: string,
    limit: number,
    after?: ScoredProduct,
    source: DataSource = this.dataSource,
  ): Promise<ScoredProduct[]> {
    const rows = (await source.query(
      `SELECT other_id, orders FROM co_purchases
       WHERE product_id = ? AND orders > 0 ${after ? 'AND (orders < ? OR (orders = ? AND other_id < ?))' : ''}
       ORDER BY orders DESC, other_id DESC LIMIT ?`,
      after ? [productId, after.score, after.score, after.productId, limit] : [productId, limit],
    )) as { other_id: string; orders: number }[];
    return rows.map((row) => ({ productId: row.other_id, score: Number(row.orders) }));
  }

  /**
   * Products bought together with what the user bought (score: the sum of their co-purchase counts
   * with each of the user's products), minus what the user bought; same tie-break as `partners`.
   */
  async forUser(userId: string, limit: number): Promise<ScoredProduct[]> {
    const rows = (await this.dataSource.query(
      `SELECT c.other_id, SUM(c.orders) AS score
       FROM user_purchases u JOIN co_purchases c ON c.product_id = u.product_id
       WHERE u.user_id = ? AND u.orders > 0 AND c.orders > 0
         AND NOT EXISTS (SELECT 1 FROM user_purchases b WHERE b.user_id = ? AND b.product_id = c.other_id AND b.orders > 0)
       GROUP BY c.other_id ORDER BY score DESC, c.other_id DESC LIMIT ?`,
      [userId, userId, limit],
    )) as { other_id: string; score: number | string }[];
    return rows.map((row) => ({ productId: row.other_id, score: Number(row.score) }));
  }
}
