// Stress ramp on the warm catalogue read: one run per connection count, to find where p99 passes 250 ms.
import { adminToken, createProduct } from '../lib/fixtures.mjs';

export default {
  name: 'product-by-id-ramp',
  description:
    '`GET /api/v1/products/:id` (cache warm), connections ramped 10 → 1000, one run each: where does p99 pass 250 ms?',
  target: 'service',
  async setup(ctx) {
    const id = await createProduct(ctx, await adminToken(ctx));
    await ctx.http('GET', `/api/v1/products/${id}`);
    return { id };
  },
  request: (s) => ({ method: 'GET', path: `/api/v1/products/${s.id}` }),
  ramp: [10, 25, 50, 100, 200, 400, 700, 1000],
  rampP99Ms: 250,
};
