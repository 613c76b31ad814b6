import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TOP_PARTNERS_SQL } from '../src/modules/recommendations/repositories/co-purchase.repository.js';
import { expectIndexed } from './support/explain.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const PRODUCTS = 20_000;
const id = (expr: string) => `LPAD(${expr}, 36, '0')`;
/** A popular product (among the first thousand): it has 200 partners. */
const PRODUCT_42 = '42'.padStart(36, '0');

/**
 * The cold read of GET /products/:id/recommendations is one statement (TOP_PARTNERS_SQL): its plan is
 * pinned on 20,000 products (a tenth inactive, a seventh sold out) and ~390,000 pair rows.
 */
describe('recommendations: the top-partners read uses indexes (EXPLAIN)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('recommendations_explain');
    const q = (sql: string) => t.dataSource.query(sql);
    await q(`INSERT INTO products (id, sku, name, description, price_cents, currency, active, version, created_at, updated_at)
      SELECT ${id('seq')}, CONCAT('SKU-', seq), CONCAT('Product ', seq), NULL, 1000, 'EUR', seq % 10 <> 0, 1, NOW(3), NOW(3)
      FROM seq_1_to_${PRODUCTS}`);
    await q(`INSERT INTO stock_levels (product_id, on_hand, reserved)
      SELECT ${id('seq')}, IF(seq % 7 = 0, 0, 100), 0 FROM seq_1_to_${PRODUCTS}`);
    // The first thousand products (the popular ones) have 200 partners each, every other product 10.
    await q(`INSERT IGNORE INTO co_purchases (product_id, other_id, orders)
      SELECT ${id('a.seq')}, ${id(`1 + (a.seq * 37 + b.seq * 101) % ${PRODUCTS}`)}, 1 + (a.seq * b.seq) % 50
      FROM seq_1_to_${PRODUCTS} a JOIN seq_1_to_200 b ON a.seq <= 1000 OR b.seq <= 10
      WHERE a.seq <> 1 + (a.seq * 37 + b.seq * 101) % ${PRODUCTS}`);
    await q('ANALYZE TABLE products, stock_levels, co_purchases');
  }, 120_000);
  afterAll(() => t?.close());

  it('walks idx_co_purchases_top backwards (no sort), the product and its stock by primary key', async () => {
    const plan = await expectIndexed(t.dataSource, TOP_PARTNERS_SQL, [PRODUCT_42, 20], {
      noFilesort: true,
      keys: { c: 'idx_co_purchases_top', p: 'PRIMARY', s: 'PRIMARY' },
    });
    // The pair counts drive the join: the LIMIT stops the scan at the 20th sellable partner.
    expect(plan.map((row) => row.table)).toEqual(['c', 'p', 's']);
  });

  it('answers the best sellable partners, highest count first, ties: the higher id', async () => {
    const rows = (await t.dataSource.query(TOP_PARTNERS_SQL, [PRODUCT_42, 20])) as { id: string; score: number }[];
    // The same answer computed here from every partner and every product state.
    const partners = (await t.dataSource.query(
      `SELECT c.other_id AS id, c.orders AS score, p.active, s.on_hand, s.reserved FROM co_purchases c
       JOIN products p ON p.id = c.other_id JOIN stock_levels s ON s.product_id = c.other_id WHERE c.product_id = ?`,
      [PRODUCT_42],
    )) as { id: string; score: number; active: number; on_hand: number; reserved: number }[];
    const expected = partners
      .filter((row) => row.score > 0 && Boolean(row.active) && row.on_hand > row.reserved)
      .sort((x, y) => y.score - x.score || (x.id < y.id ? 1 : -1))
      .slice(0, 20)
      .map((row) => [row.id, row.score]);
    expect(partners.length).toBeGreaterThan(100);
    expect(expected).toHaveLength(20);
    expect(rows.map((row) => [row.id, Number(row.score)])).toEqual(expected);
  });
});
