// What authentication costs on a read: the same primary-key read (GET /products/:id on the cache-off
// variant, so every request reads MySQL) with a bearer token against it without one, side by side in
// the same process. The token's cost is its verification (cached per token), the actor in the request
// context and the per-user rate-limit key. GET /auth/me (bearer; one primary-key read of the user) is
// reported beside them as the "me"-style read.
import { adminToken, bearer, createProduct, registerCustomer } from '../lib/fixtures.mjs';

export default {
  name: 'auth-bearer-read',
  description:
    '`GET /api/v1/products/:id` (cache off: one PK read) with a bearer token against the same read anonymous, same process; `GET /api/v1/auth/me` reported beside them.',
  target: 'service-nocache',
  async setup(ctx) {
    const user = await registerCustomer(ctx, 'me');
    return { token: user.token, productId: await createProduct(ctx, await adminToken(ctx)) };
  },
  request: (s) => ({ method: 'GET', path: `/api/v1/products/${s.productId}`, headers: bearer(s.token) }),
  baseline: {
    server: 'service-nocache',
    label: 'anonymous GET /products/:id (cache off)',
    request: (s) => ({ method: 'GET', path: `/api/v1/products/${s.productId}` }),
  },
  compare: [
    {
      server: 'service-nocache',
      label: 'bearer GET /auth/me',
      request: (s) => ({ method: 'GET', path: '/api/v1/auth/me', headers: bearer(s.token) }),
    },
  ],
  targets: { minRatio: 0.85, maxNon2xx: 0 },
};
