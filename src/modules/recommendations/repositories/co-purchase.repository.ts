import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { leanQuery } from '../../../infrastructure/database/lean-query.js';
import { SellableProducts, type SellableProductRow } from '../../inventory/index.js';
import type { RecommendationResponse } from '../dto/recommendation.dto.js';
import { coPurchasePairs, distinctSorted } from '../services/co-purchase-pairs.js';

type RecommendedRow = SellableProductRow & { score: number | string };

const toRecommendation = (row: RecommendedRow): RecommendationResponse => ({
  product: SellableProducts.map(row),
  score: Number(row.score),
});

/**
 * A product's top sellable partners in one statement: the backward range of idx_co_purchases_top (highest
 * count first; ties: the higher product id, i.e. the newer product, UUID v7), each candidate's product and
 * stock by primary key, stopping at the LIMIT-th sellable one: no sort, no second round trip. Exported for
 * the EXPLAIN test (it is sent through leanQuery, which TypeORM subscribers do not see).
 */
export const TOP_PARTNERS_SQL = `SELECT c.orders AS score, ${SellableProducts.columns}
  FROM co_purchases c ${SellableProducts.join('c.other_id')}
  WHERE c.product_id = ? AND c.orders > 0
  ORDER BY c.orders DESC, c.other_id DESC LIMIT ?`;

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
   * The product's `limit` best sellable partners (TOP_PARTNERS_SQL). `source`: the primary by default, or
   * the replica ReadReplicas chose. The cold read of GET /products/:id/recommendations: fixed SQL, no
   * entity hydration (leanQuery).
   */
  async topSellablePartners(
    productId: string,
    limit: number,
    source: DataSource = this.dataSource,
  ): Promise<RecommendationResponse[]> {
    return (await leanQuery<RecommendedRow>(source, TOP_PARTNERS_SQL, [productId, limit])).map(toRecommendation);
  }

  /**
   * Sellable products bought together with what the user bought (score: the sum of their co-purchase
   * counts with each of the user's products), minus what the user bought; same tie-break as
   * TOP_PARTNERS_SQL. The sums are grouped first, then only sellable products are joined.
   */
  async forUser(userId: string, limit: number): Promise<RecommendationResponse[]> {
    const rows = (await this.dataSource.query(
      `SELECT t.score, ${SellableProducts.columns}
       FROM (SELECT c.other_id, SUM(c.orders) AS score
             FROM user_purchases u JOIN co_purchases c ON c.product_id = u.product_id
             WHERE u.user_id = ? AND u.orders > 0 AND c.orders > 0
               AND NOT EXISTS (SELECT 1 FROM user_purchases b WHERE b.user_id = ? AND b.product_id = c.other_id AND b.orders > 0)
             GROUP BY c.other_id) t
       ${SellableProducts.join('t.other_id')}
       ORDER BY t.score DESC, t.other_id DESC LIMIT ?`,
      [userId, userId, limit],
    )) as RecommendedRow[];
    return rows.map(toRecommendation);
  }
}
