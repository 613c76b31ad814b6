// "Bought together", warm: GET /api/v1/products/:id/recommendations answered from the Redis cache (0 SQL),
// against bare NestJS. Setup: 6 products, a customer buys 3 orders of pairs (reserve + order), the
// answer is primed.
import { adminToken, bearer, createProduct, registerCustomer } from '../lib/fixtures.mjs';

export default {
  name: 'recommendations-warm',
  description: '`GET /api/v1/products/:id/recommendations` (anonymous, warm cache: 0 SQL) against bare NestJS.',
  target: 'service',
  async setup(ctx) {
    const admin = await adminToken(ctx);
    const products = [];
    for (let i = 0; i < 6; i++) products.push(await createProduct(ctx, admin, { initialStock: 1000 }));
    const customer = await registerCustomer(ctx, 'rec');
    for (const other of products.slice(1, 4)) {
      const reservation = await ctx.http('POST', '/api/v1/inventory/reservations', {
        headers: bearer(customer.token),
        body: { items: [products[0], other].map((productId) => ({ productId, quantity: 1 })) },
      });
      if (reservation.status !== 201) throw new Error(`reserve: ${reservation.status} ${reservation.text}`);
      const order = await ctx.http('POST', '/api/v1/orders', {
        headers: bearer(customer.token),
        body: { reservationId: reservation.json.id, paymentMethod: 'pm_card_ok' },
      });
      if (order.status !== 201) throw new Error(`order: ${order.status} ${order.text}`);
    }
    const path = `/api/v1/products/${products[0]}/recommendations`;
    const primed = await ctx.http('GET', path);
    if (primed.status !== 200 || primed.json.data.length !== 3) throw new Error(`recommendations: ${primed.text}`);
    return { path };
  },
  request: (state) => ({ method: 'GET', path: state.path }),
  baseline: 'nest',
  compare: [{ scenario: 'health-live' }],
  targets: { minRatio: 0.65, maxP99Ratio: 1.5, maxNon2xx: 0 },
};
