// The same read with the cache off: one primary-key JOIN per request (products ⋈ stock_levels).
// Baseline: bare Fastify + mysql2 doing the same join shape on a products-like table (CHAR(36) id,
// same columns) and a stock table, mapped to the same JSON (fastify-mysql's GET /products/:n).
import { adminToken, createProduct } from '../lib/fixtures.mjs';

export default {
  name: 'product-by-id-cold',
  description:
    '`GET /api/v1/products/:id`, anonymous, on a service started with `CACHE_ENABLED=false` (one PK join per request), against bare Fastify + mysql2 doing the same join on same-shaped tables.',
  target: 'service-nocache',
  async setup(ctx) {
    return { id: await createProduct(ctx, await adminToken(ctx)) };
  },
  request: (s) => ({ method: 'GET', path: `/api/v1/products/${s.id}` }),
  baseline: { server: 'fastify-mysql', request: { method: 'GET', path: '/products/42' } },
  targets: { minRatio: 0.7, maxNon2xx: 0 },
};
