import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AfterQueryEvent, EntitySubscriberInterface } from 'typeorm';
import { PRODUCT_BY_ID_SQL, ProductRepository } from '../src/modules/inventory/repositories/product.repository.js';
import { ReservationRepository } from '../src/modules/inventory/repositories/reservation.repository.js';
import { StockRepository } from '../src/modules/inventory/repositories/stock.repository.js';
import { expectIndexed } from './support/explain.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const PRODUCTS = 100_000;
const id = (expr: string) => `LPAD(${expr}, 36, '0')`;

/**
 * The hot-path queries, captured as the repositories really issue them (SQL + parameters), are
 * EXPLAINed against 100,000 products, 100,000 reservations and 100,000 movements.
 */
describe('inventory queries use indexes (100,000 products)', () => {
  let t: TestApp;
  const captured: { query: string; parameters: unknown[] }[] = [];
  const capture: EntitySubscriberInterface = {
    afterQuery(event: AfterQueryEvent) {
      captured.push({ query: event.query, parameters: (event.parameters ?? []) as unknown[] });
    },
  };

  /** The SELECTs `run` issued. */
  async function queriesOf(run: () => Promise<unknown>): Promise<{ query: string; parameters: unknown[] }[]> {
    captured.length = 0;
    t.dataSource.subscribers.push(capture);
    try {
      await run();
    } finally {
      t.dataSource.subscribers.splice(t.dataSource.subscribers.indexOf(capture), 1);
    }
    const selects = captured.filter((q) => /^\s*SELECT/i.test(q.query));
    expect(selects.length).toBeGreaterThan(0);
    return selects;
  }

  async function expectAllIndexed(run: () => Promise<unknown>, options = {}) {
    for (const { query, parameters } of await queriesOf(run))
      await expectIndexed(t.dataSource, query, parameters, options);
  }

  beforeAll(async () => {
    t = await startTestApp('inventory_indexes');
    const q = (sql: string) => t.dataSource.query(sql);
    await q(`INSERT INTO products (id, sku, name, description, price_cents, currency, active, version, created_at, updated_at)
      SELECT ${id('seq')}, CONCAT('SKU-', LPAD(seq, 6, '0')), CONCAT('Product ', LPAD(seq, 6, '0')), NULL,
             seq % 5000, 'EUR', seq % 10 <> 0, 1, NOW(3), NOW(3)
      FROM seq_1_to_${PRODUCTS}`);
    await q(
      `INSERT INTO stock_levels (product_id, on_hand, reserved) SELECT ${id('seq')}, 100, 0 FROM seq_1_to_${PRODUCTS}`,
    );
    await q(`INSERT INTO reservations (id, user_id, status, expires_at, created_at, updated_at)
      SELECT ${id('seq')}, ${id('seq % 1000')}, ELT(1 + seq % 4, 'pending', 'committed', 'released', 'expired'),
             NOW(3) + INTERVAL (seq % 3600) SECOND - INTERVAL 10 SECOND, NOW(3), NOW(3)
      FROM seq_1_to_${PRODUCTS}`);
    await q(`INSERT INTO reservation_items (reservation_id, product_id, quantity)
      SELECT ${id('seq')}, ${id('1 + seq % 5000')}, 1 FROM seq_1_to_${PRODUCTS}`);
    await q(`INSERT INTO stock_movements (id, product_id, kind, delta_on_hand, delta_reserved, created_at)
      SELECT ${id('seq')}, ${id('1 + seq % 20000')}, 'adjustment', 1, 0, NOW(3) FROM seq_1_to_${PRODUCTS}`);
    await q('ANALYZE TABLE products, stock_levels, reservations, reservation_items, stock_movements');
  }, 60_000);
  afterAll(() => t.close());

  it('product by id (the cold read): primary keys only', async () => {
    // Sent through leanQuery, which the subscriber capture does not see: its SQL is explained directly.
    await expectIndexed(t.dataSource, PRODUCT_BY_ID_SQL, ['4242'.padStart(36, '0')], {
      keys: { p: 'PRIMARY', s: 'PRIMARY' },
    });
  });

  it('list pages (first, next, active filter) walk an index in order', async () => {
    const products = t.app.get(ProductRepository);
    const after = '50000'.padStart(36, '0');
    await expectAllIndexed(() => products.list({ limit: 21 }), { noFilesort: true });
    await expectAllIndexed(() => products.list({ limit: 21, afterId: after }), { noFilesort: true });
    await expectAllIndexed(() => products.list({ limit: 21, afterId: after, active: true }), { noFilesort: true });
  });

  it('prefix search on name and on sku is a range on their indexes', async () => {
    const products = t.app.get(ProductRepository);
    await expectAllIndexed(() => products.prefixSearch('name', 'Product 0421', { limit: 21 }), {
      keys: { p: 'idx_products_name', s: 'PRIMARY' },
    });
    await expectAllIndexed(() => products.prefixSearch('sku', 'SKU-0421', { limit: 21, active: true }), {
      keys: { p: 'uq_products_sku', s: 'PRIMARY' },
    });
  });

  it('reservation by id and its items', async () => {
    const reservations = t.app.get(ReservationRepository);
    const rid = '777'.padStart(36, '0');
    await expectAllIndexed(async () => {
      await reservations.findById(rid);
      await reservations.items(rid);
    });
  });

  it('sweeper scan: pending and due, oldest first, from the status/expiry index', async () => {
    const reservations = t.app.get(ReservationRepository);
    await expectAllIndexed(() => reservations.dueIds(new Date(), 100), {
      keys: { reservations: 'idx_reservations_status_expires' },
      noFilesort: true,
    });
  });

  it('movements by product, newest first, and the unfiltered ledger page', async () => {
    const stock = t.app.get(StockRepository);
    await expectAllIndexed(() => stock.listMovements({ productId: '42'.padStart(36, '0'), limit: 21 }), {
      keys: { m: 'idx_stock_movements_product' },
      noFilesort: true,
    });
    await expectAllIndexed(() => stock.listMovements({ limit: 21 }), { noFilesort: true });
  });

  it('the search API answers from those indexes', async () => {
    const res = await t.http().get('/api/v1/products').query({ q: 'SKU-04210', limit: 5 }).expect(200);
    expect(res.body.data.map((p: { sku: string }) => p.sku)).toEqual([
      'SKU-042100',
      'SKU-042101',
      'SKU-042102',
      'SKU-042103',
      'SKU-042104',
    ]);
  });
});
