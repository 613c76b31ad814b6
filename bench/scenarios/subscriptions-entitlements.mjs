// Entitlements, warm: the hottest read. JWT verify + one Redis GET, no SQL.
// Setup signs its own tokens with the bench JWT secret (no admin bootstrap needed): an admin creates two
// plans, a customer subscribes to both with the simulated `pm_card_ok`, and the cache is primed.
import { createHmac, randomUUID } from 'node:crypto';

/** Must match the secret bench/lib/servers.mjs gives the service. */
const BENCH_JWT_SECRET = process.env.BENCH_JWT_SECRET ?? 'bench-only-secret-not-for-production-0123456789';

function sign(sub, roles) {
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub, roles, iat: now, exp: now + 6 * 3600 })}`;
  return `${body}.${createHmac('sha256', BENCH_JWT_SECRET).update(body).digest('base64url')}`;
}

export default {
  name: 'subscriptions-entitlements',
  description:
    '`GET /api/v1/subscriptions/me/entitlements` (authenticated, warm Redis cache: 0 SQL) against bare NestJS.',
  target: 'service',
  async setup(ctx) {
    const admin = { authorization: `Bearer ${sign(randomUUID(), ['admin', 'customer'])}` };
    const customer = { authorization: `Bearer ${sign(randomUUID(), ['customer'])}` };
    for (const [code, features] of [
      ['basic', ['reports', 'api']],
      ['pro', ['api', 'sso', 'audit-log']],
    ]) {
      const plan = await ctx.http('POST', '/api/v1/plans', {
        headers: admin,
        body: {
          code: `bench-${code}-${ctx.runId ?? randomUUID().slice(0, 8)}`,
          name: code,
          priceCents: 1000,
          currency: 'EUR',
          interval: 'month',
          features,
        },
      });
      if (plan.status !== 201) throw new Error(`plan: ${plan.status} ${plan.text}`);
      const sub = await ctx.http('POST', '/api/v1/subscriptions', {
        headers: customer,
        body: { planId: plan.json.id, paymentMethod: 'pm_card_ok' },
      });
      if (sub.status !== 201) throw new Error(`subscribe: ${sub.status} ${sub.text}`);
    }
    const primed = await ctx.http('GET', '/api/v1/subscriptions/me/entitlements', { headers: customer });
    if (primed.status !== 200 || primed.json.features.length !== 4) throw new Error(`entitlements: ${primed.text}`);
    return { customer };
  },
  request: (state) => ({ method: 'GET', path: '/api/v1/subscriptions/me/entitlements', headers: state.customer }),
  baseline: 'nest',
  compare: [{ scenario: 'health-live' }],
  targets: { minRatio: 0.65, maxP99Ratio: 1.5, maxNon2xx: 0 },
};
