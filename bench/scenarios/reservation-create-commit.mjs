// The admin reserves 1 unit and commits it, in a loop (each connection: create → commit → …). Customers
// can no longer commit (they pay: scenario order-create) and hold at most 5 pending reservations, while
// every autocannon connection starts on the same request: staff/admin are not limited. No
// baseline: throughput is recorded; afterwards the ledger must reconcile and nothing may be oversold.
import { adminToken, bearer, createProduct } from '../lib/fixtures.mjs';

const INITIAL_STOCK = 1_000_000;

function count(codes, status) {
  return Number(codes?.[status]?.count ?? 0);
}

export default {
  name: 'reservation-create-commit',
  description: `\`POST /api/v1/inventory/reservations\` (1 unit) then \`POST …/:id/commit\`, as the admin, one product with stock ${INITIAL_STOCK}. Recorded, no baseline; afterwards \`GET /api/v1/inventory/reconcile\` must be ok and on-hand must equal stock minus commits (no oversell).`,
  target: 'service',
  async setup(ctx) {
    const admin = await adminToken(ctx);
    const productId = await createProduct(ctx, admin, { initialStock: INITIAL_STOCK });
    return { admin, productId };
  },
  request: (s) => [
    {
      method: 'POST',
      path: '/api/v1/inventory/reservations',
      headers: bearer(s.admin),
      body: { items: [{ productId: s.productId, quantity: 1 }] },
      capture: { reservationId: 'id' },
    },
    { method: 'POST', path: '/api/v1/inventory/reservations/{reservationId}/commit', headers: bearer(s.admin) },
  ],
  baseline: null,
  async verify(ctx, s, runs) {
    const codes = runs.flatMap((r) => [r.statusCodes, r.warmupStatusCodes]);
    const created = codes.reduce((n, c) => n + count(c, 201), 0);
    const committed = codes.reduce((n, c) => n + count(c, 200), 0);
    const reconcile = await ctx.http('GET', '/api/v1/inventory/reconcile', { headers: bearer(s.admin) });
    const product = await ctx.http('GET', `/api/v1/products/${s.productId}`, {
      headers: { 'cache-control': 'no-cache' },
    });
    const stock = product.json?.stock ?? {};
    // Requests cut off at the end of a run may have been served without their answer being counted:
    // the ledger is the truth, the counts are a lower bound of what was committed.
    const sold = INITIAL_STOCK - stock.onHand;
    const ok =
      reconcile.status === 200 &&
      reconcile.json?.ok === true &&
      created <= INITIAL_STOCK &&
      sold >= committed &&
      sold <= created + 32 &&
      stock.reserved >= 0 &&
      stock.reserved <= stock.onHand;
    return {
      ok,
      detail: `reconcile ${reconcile.status} ok=${reconcile.json?.ok} (${reconcile.json?.checked} products checked); answers counted: ${created} reservations created (201), ${committed} commits (200); stock ${INITIAL_STOCK} → onHand ${stock.onHand}, reserved ${stock.reserved}: sold (stock − onHand) ${sold} ≥ commits counted, ≤ stock, 0 ≤ reserved ≤ onHand — no oversell (requests cut off at the end of a run are served without their answer being counted)`,
    };
  },
};
