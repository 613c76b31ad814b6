// Co-purchase counts: 10,000 paid orders of 1–5 lines over 1,000 products, counted the way checkout counts
// them (CoPurchaseService.orderPaid, the two upserts an order adds to its paying transaction), then the cold
// read: RecommendationService.loadForProduct (no recommendation cache) once per product.
// Targets: build < 10 s, cold query p99 < 5 ms. Checks: the pair rows add up to what the orders imply.
//   node bench/measurements/recommendations.mjs   (after `npm run build`; bench/run.mjs runs it)
import { DataSource } from 'typeorm';
import { dist, progress, runMeasurement, seconds, startApp } from '../lib/measurement.mjs';

const PRODUCTS = 1_000;
const ORDERS = 10_000;
const PARALLEL = 4;
/**
 * Orders counted per transaction. In production the counting rides on the order's own paying transaction
 * and adds no commit; here 10,000 commits of their own (each an fsync of the redo log on this shared disk)
 * would be what is measured, so orders are grouped into transactions of this size.
 */
const PER_TRANSACTION = 25;
const MAX_BUILD_SECONDS = 10;
const MAX_P99_MS = 5;

/** Deterministic PRNG (mulberry32): the same orders on every run. */
function prng(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const productId = (n) => `${n.toString(16).padStart(8, '0')}-0000-7000-8000-000000000000`;

await runMeasurement('recommendations', async (target) => {
  const { CoPurchaseService } = await dist('src/modules/recommendations/index.js');
  const { RecommendationService } = await dist('src/modules/recommendations/services/recommendation.service.js');
  const { TransactionService } = await dist('src/infrastructure/database/transaction.service.js');
  const app = await startApp(target);
  try {
    const ds = app.get(DataSource);
    await ds.query(
      `INSERT INTO products (id, sku, name, description, price_cents, currency, active, version, created_at, updated_at)
       SELECT CONCAT(LPAD(HEX(seq), 8, '0'), '-0000-7000-8000-000000000000'), CONCAT('REC-', seq), CONCAT('Product ', seq),
              NULL, 1000, 'EUR', 1, 1, NOW(3), NOW(3)
       FROM seq_1_to_${PRODUCTS}`,
    );
    await ds.query(
      `INSERT INTO stock_levels (product_id, on_hand, reserved)
       SELECT CONCAT(LPAD(HEX(seq), 8, '0'), '-0000-7000-8000-000000000000'), 1000, 0 FROM seq_1_to_${PRODUCTS}`,
    );
    // Popular products are bought more often (index skewed towards 1), as in a real catalogue.
    const random = prng(42);
    const orders = Array.from({ length: ORDERS }, () => {
      const lines = 1 + Math.floor(random() * 5);
      const ids = new Set();
      while (ids.size < lines) ids.add(productId(1 + Math.floor(PRODUCTS * random() ** 2)));
      return { userId: productId(100_000 + Math.floor(random() * 2_000)), ids: [...ids] };
    });
    const expectedRows = new Set();
    for (const order of orders)
      for (const a of order.ids) for (const b of order.ids) if (a !== b) expectedRows.add(`${a}|${b}`);

    const pairs = app.get(CoPurchaseService);
    const tx = app.get(TransactionService);
    globalThis.gc?.();
    let started = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < orders.length) {
          const batch = orders.slice(next, next + PER_TRANSACTION);
          next += PER_TRANSACTION;
          await tx.run(async (manager) => {
            for (const order of batch) await pairs.orderPaid(manager, order.userId, order.ids);
          });
        }
      }),
    );
    const buildSeconds = seconds(started);
    progress(`recommendations: counted ${ORDERS} orders in ${buildSeconds.toFixed(2)} s`);
    const [{ pair_rows: rows, total }] = await ds.query(
      'SELECT COUNT(*) AS pair_rows, SUM(orders) AS total FROM co_purchases',
    );
    const expectedTotal = orders.reduce((n, o) => n + o.ids.length * (o.ids.length - 1), 0);

    const reads = app.get(RecommendationService);
    const times = [];
    let answered = 0;
    for (let n = 1; n <= PRODUCTS; n++) {
      started = process.hrtime.bigint();
      const result = await reads.loadForProduct(productId(n));
      times.push(seconds(started) * 1000);
      if (result.length > 0) answered++;
    }
    times.sort((x, y) => x - y);
    const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
    const p50 = pct(50);
    const p99 = pct(99);
    return {
      figures: `build ${ORDERS} orders in ${buildSeconds.toFixed(2)} s (${Math.round(ORDERS / buildSeconds)}/s); cold query p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
      orders: ORDERS,
      products: PRODUCTS,
      buildSeconds: Math.round(buildSeconds * 100) / 100,
      p50Ms: Math.round(p50 * 100) / 100,
      p99Ms: Math.round(p99 * 100) / 100,
      pairRows: Number(rows),
      target: {
        description: `build < ${MAX_BUILD_SECONDS} s, cold query p99 < ${MAX_P99_MS} ms`,
        pass: buildSeconds < MAX_BUILD_SECONDS && p99 < MAX_P99_MS,
      },
      detail: `${ORDERS} orders of 1–5 lines over ${PRODUCTS} products (skewed), CoPurchaseService.orderPaid per order, ${PER_TRANSACTION} orders per transaction, ${PARALLEL} transactions at a time; then RecommendationService.loadForProduct (top 20 sellable partners) once per product, no recommendation cache`,
      checks: [
        { what: `pair rows = ${expectedRows.size} (${rows})`, ok: Number(rows) === expectedRows.size },
        { what: `sum of counts = ${expectedTotal} (${total})`, ok: Number(total) === expectedTotal },
        { what: `products with recommendations > 0 (${answered})`, ok: answered > 0 },
      ],
    };
  } finally {
    await app.close();
  }
});
