// Setup helpers shared by scenarios (not a scenario: bench/scenarios/ holds only scenario files).
import { randomBytes } from 'node:crypto';
import { BENCH_ADMIN } from './servers.mjs';

export const BENCH_PASSWORD = 'correct horse battery staple';

function expectStatus(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
  return res.json;
}

export const bearer = (token) => ({ authorization: `Bearer ${token}` });

/** An access token for the bootstrap admin (ADMIN_EMAIL / ADMIN_PASSWORD in the service's env). */
export async function adminToken(ctx) {
  const res = await ctx.http('POST', '/api/v1/auth/login', { body: BENCH_ADMIN });
  return expectStatus(res, 200, 'admin login').accessToken;
}

/** Registers a customer; { id, email, token }. */
export async function registerCustomer(ctx, label = 'user') {
  const email = `bench-${label}-${ctx.runId}-${randomBytes(3).toString('hex')}@example.test`;
  const res = await ctx.http('POST', '/api/v1/auth/register', { body: { email, password: BENCH_PASSWORD } });
  const body = expectStatus(res, 201, `register ${email}`);
  return { id: body.user.id, email, token: body.accessToken };
}

/** Creates a product as the admin; returns its id. */
export async function createProduct(ctx, token, { initialStock = 1000, priceCents = 1999 } = {}) {
  const sku = `BENCH-${ctx.runId}-${randomBytes(4).toString('hex')}`.toUpperCase();
  const res = await ctx.http('POST', '/api/v1/products', {
    headers: bearer(token),
    body: {
      sku,
      name: `Bench product ${sku}`,
      description: 'A product made by the benchmark',
      priceCents,
      currency: 'EUR',
      initialStock,
    },
  });
  return expectStatus(res, 201, 'create product').id;
}

/** Runs `fn` over `items` with at most `limit` at a time (setup must not itself be a storm). */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}
