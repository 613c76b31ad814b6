// The hottest catalogue read with the cache warm: an in-process (L1) hit, no SQL, no Redis.
import { adminToken, createProduct } from '../lib/fixtures.mjs';

export default {
  name: 'product-by-id-warm',
  description:
    '`GET /api/v1/products/:id`, anonymous, cache warm (L1 hit: no SQL, no Redis), against bare NestJS (and bare Fastify).',
  target: 'service',
  async setup(ctx) {
    const id = await createProduct(ctx, await adminToken(ctx));
    const warm = await ctx.http('GET', `/api/v1/products/${id}`);
    if (warm.status !== 200) throw new Error(`warm-up read: HTTP ${warm.status}`);
    return { id };
  },
  request: (s) => ({ method: 'GET', path: `/api/v1/products/${s.id}` }),
  baseline: 'nest',
  compare: ['fastify'],
  targets: { minRatio: 0.75, maxP99Ratio: 1.5, maxNon2xx: 0 },
};
