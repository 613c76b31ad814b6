// Checkout under load: each connection reserves 1 unit as a customer, then pays for it with
// `POST /api/v1/orders` (payment intent, simulated gateway, commit). No baseline: throughput is
// recorded. Afterwards: the ledger reconciles, nothing is oversold, and charges = orders (every paid
// order has exactly one succeeded payment intent and no intent was charged without its order being paid).
// Connections ≤ RESERVATION_MAX_PENDING (5): every autocannon connection starts on the same request, so
// all of them may be one customer's at once.
import { adminToken, bearer, createProduct, mapLimit, registerCustomer } from '../lib/fixtures.mjs';
import { connectTo } from '../lib/database.mjs';
import { loadSettings } from '../lib/settings.mjs';

const CUSTOMERS = 16;
/**
 * Short holds: a run that stops between a reservation and its order leaves it pending, and an expired
 * reservation no longer counts towards its customer's 5 (the sweeper is off in the bench).
 */
const TTL_SECONDS = 30;
const CONNECTIONS = 5;
const INITIAL_STOCK = 1_000_000;

const count = (codes, status) => Number(codes?.[status]?.count ?? 0);

/** Paid orders of the product, and succeeded order payment intents of those orders vs of all orders. */
async function ledger(productId) {
  const conn = await connectTo(loadSettings().databaseUrl);
  try {
    const [[row]] = await conn.query(
      `SELECT
         (SELECT COUNT(*) FROM orders o JOIN order_lines l ON l.order_id = o.id
           WHERE l.product_id = ? AND o.status <> 'pending' AND o.status <> 'failed') AS paid,
         (SELECT COUNT(*) FROM payment_intents i JOIN order_lines l ON l.order_id = i.reference_id
           WHERE i.purpose = 'order' AND i.status = 'succeeded' AND l.product_id = ?) AS charged,
         (SELECT COUNT(*) FROM payment_intents i JOIN orders o ON o.id = i.reference_id
           WHERE i.purpose = 'order' AND i.status = 'succeeded' AND o.status IN ('pending', 'failed')) AS orphaned`,
      [productId, productId],
    );
    return { paid: Number(row.paid), charged: Number(row.charged), orphaned: Number(row.orphaned) };
  } finally {
    await conn.end();
  }
}

export default {
  name: 'order-create',
  description: `\`POST /api/v1/inventory/reservations\` (1 unit) then \`POST /api/v1/orders\` (\`pm_card_ok\`), ${CUSTOMERS} customers, ${CONNECTIONS} connections, one product with stock ${INITIAL_STOCK}. Recorded, no baseline; afterwards reconcile ok, no oversell, succeeded order charges = paid orders.`,
  target: 'service',
  connections: CONNECTIONS,
  async setup(ctx) {
    const admin = await adminToken(ctx);
    const productId = await createProduct(ctx, admin, { initialStock: INITIAL_STOCK });
    const customers = await mapLimit(Array.from({ length: CUSTOMERS }), 4, () => registerCustomer(ctx, 'order'));
    return { admin, productId, tokens: customers.map((c) => c.token) };
  },
  request: (s) =>
    s.tokens.flatMap((token) => [
      {
        method: 'POST',
        path: '/api/v1/inventory/reservations',
        headers: bearer(token),
        body: { items: [{ productId: s.productId, quantity: 1 }], ttlSeconds: TTL_SECONDS },
        capture: { reservationId: 'id' },
      },
      {
        method: 'POST',
        path: '/api/v1/orders',
        headers: bearer(token),
        body: { reservationId: '{reservationId}', paymentMethod: 'pm_card_ok' },
      },
    ]),
  baseline: null,
  async verify(ctx, s, runs) {
    const codes = runs.flatMap((r) => [r.statusCodes, r.warmupStatusCodes]);
    const created = codes.reduce((n, c) => n + count(c, 201), 0);
    const reconcile = await ctx.http('GET', '/api/v1/inventory/reconcile', { headers: bearer(s.admin) });
    const product = await ctx.http('GET', `/api/v1/products/${s.productId}`, {
      headers: { 'cache-control': 'no-cache' },
    });
    const stock = product.json?.stock ?? {};
    const sold = INITIAL_STOCK - stock.onHand;
    const { paid, charged, orphaned } = await ledger(s.productId);
    const ok =
      reconcile.status === 200 &&
      reconcile.json?.ok === true &&
      sold === paid &&
      charged === paid &&
      orphaned === 0 &&
      stock.reserved >= 0 &&
      stock.reserved <= stock.onHand;
    return {
      ok,
      detail: `reconcile ${reconcile.status} ok=${reconcile.json?.ok}; ${created} answers 201 (reservations + orders); stock ${INITIAL_STOCK} → onHand ${stock.onHand}, reserved ${stock.reserved}: sold ${sold} = paid orders ${paid} = succeeded order charges ${charged}; charged orders not paid: ${orphaned} — no oversell, no double or lost charge`,
    };
  },
};
