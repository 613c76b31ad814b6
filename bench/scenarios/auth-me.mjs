// What authentication costs on a read. GET /auth/me (bearer) is one primary-key read of the user;
// it has no anonymous form, so its baseline is the closest anonymous read of the same work: one
// primary-key read from MySQL through the same pipeline, i.e. GET /products/:id on the cache-off
// variant (all three runs hit that same process). The extra reference, the very same product read
// with a bearer token, isolates the token's own cost (verification, per-user rate-limit key).
import { adminToken, bearer, createProduct, registerCustomer } from '../lib/fixtures.mjs';

export default {
  name: 'auth-me',
  description:
    '`GET /api/v1/auth/me` with a bearer token (one PK read of the user) against the anonymous PK read `GET /api/v1/products/:id` with the cache off, same process; also the same product read with a bearer.',
  target: 'service-nocache',
  async setup(ctx) {
    const user = await registerCustomer(ctx, 'me');
    return { token: user.token, productId: await createProduct(ctx, await adminToken(ctx)) };
  },
  request: (s) => ({ method: 'GET', path: '/api/v1/auth/me', headers: bearer(s.token) }),
  baseline: {
    server: 'service-nocache',
    label: 'anonymous GET /products/:id (cache off)',
    request: (s) => ({ method: 'GET', path: `/api/v1/products/${s.productId}` }),
  },
  compare: [
    {
      server: 'service-nocache',
      label: 'bearer GET /products/:id (cache off)',
      request: (s) => ({ method: 'GET', path: `/api/v1/products/${s.productId}`, headers: bearer(s.token) }),
    },
  ],
  targets: { minRatio: 0.85, maxNon2xx: 0 },
};
