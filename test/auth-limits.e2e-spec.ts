import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditRows, login, PASSWORD, register, uniqueEmail } from './support/auth-flows.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { startTestApp, TEST_REDIS_URL, type TestApp } from './support/test-app.js';

const AUTH = '/api/v1/auth';
let ipSeq = 0;
/** Each test is its own client address (TRUST_PROXY on), so budgets never leak between tests. */
const nextIp = () => `10.9.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

/** Two instances on one database and one Redis, limits lowered to something a test can reach. */
describe('auth across instances: rate limits and refresh rotation', () => {
  const env = {
    REDIS_KEY_PREFIX: `t:auth_limits:${randomBytes(4).toString('hex')}:`,
    TRUST_PROXY: 'true',
    LOGIN_FAILURES_PER_EMAIL: '3',
    LOGIN_PER_IP_PER_MINUTE: '12',
    RATE_LIMIT_PER_MINUTE: '30',
  };
  let a: TestApp;
  let b: TestApp;
  const on = (i: number) => (i % 2 === 0 ? a : b);

  beforeAll(async () => {
    a = await startTestApp('auth_limits', { env });
    b = await startTestApp('auth_limits', { env, reuseDatabase: true });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('locks an email after repeated failed logins, on every instance, with a real Retry-After', async () => {
    const ip = nextIp();
    const user = await register(a);
    for (let i = 0; i < 3; i++) {
      await login(on(i), user.email, 'wrong password !!').set('x-forwarded-for', ip).expect(401);
    }
    for (const t of [a, b]) {
      // Even the right password is refused while the email is locked.
      const res = await login(t, user.email).set('x-forwarded-for', nextIp()).expect(429);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body).toMatchObject({ status: 429, code: 'rate_limited' });
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(800);
      expect(retryAfter).toBeLessThanOrEqual(900);
    }
    expect(await auditRows(a, 'auth.login_failed', user.id)).toHaveLength(3);
    // Another email is not affected.
    const other = await register(b);
    await login(a, other.email).set('x-forwarded-for', ip).expect(200);
  });

  it('locks unknown emails the same way (no enumeration through the lockout)', async () => {
    const email = uniqueEmail('ghost');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(on(i), email).set('x-forwarded-for', nextIp())).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('a successful login clears the failure count', async () => {
    const user = await register(a);
    const ip = nextIp();
    await login(a, user.email, 'wrong password !!').set('x-forwarded-for', ip).expect(401);
    await login(b, user.email, 'wrong password !!').set('x-forwarded-for', ip).expect(401);
    await login(a, user.email).set('x-forwarded-for', ip).expect(200);
    await login(b, user.email, 'wrong password !!').set('x-forwarded-for', ip).expect(401);
    await login(a, user.email, 'wrong password !!').set('x-forwarded-for', ip).expect(401);
    await login(b, user.email).set('x-forwarded-for', ip).expect(200);
  });

  it('limits login attempts per IP, looser and independent of the email', async () => {
    const ip = nextIp();
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      statuses.push((await login(on(i), uniqueEmail('ip'), PASSWORD).set('x-forwarded-for', ip)).status);
    }
    expect(statuses.slice(0, 12).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(12)).toEqual([429, 429]);
    const limited = await login(a, uniqueEmail('ip')).set('x-forwarded-for', ip).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    await login(a, uniqueEmail('ip')).set('x-forwarded-for', nextIp()).expect(401);
  });

  it('applies the global per-client budget across instances; health and metrics are never limited', async () => {
    const ip = nextIp();
    const user = await register(a, uniqueEmail(), PASSWORD);
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      statuses.push((await on(i).http().get(`${AUTH}/me`).set(user.auth).set('x-forwarded-for', ip)).status);
    }
    // register counted once for the IP, not for the user: the user has all 30.
    expect(statuses.filter((status) => status === 200)).toHaveLength(30);
    expect(statuses.slice(30)).toEqual([429, 429]);
    const limited = await a.http().get(`${AUTH}/me`).set(user.auth).set('x-forwarded-for', ip).expect(429);
    expect(limited.headers['content-type']).toMatch(/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    // Another user behind the same address has their own budget.
    const colleague = await register(b);
    await a.http().get(`${AUTH}/me`).set(colleague.auth).set('x-forwarded-for', ip).expect(200);
    for (let i = 0; i < 40; i++) {
      await on(i).http().get('/health/live').set('x-forwarded-for', ip).expect(200);
    }
    await a.http().get('/metrics').set('x-forwarded-for', ip).expect(200);
  });

  it('concurrent refreshes of one token on two instances: exactly one 200, the family ends revoked', async () => {
    for (let round = 0; round < 3; round++) {
      const user = await register(a);
      const results = await Promise.all(
        [a, b, a, b].map((t) =>
          t.http().post(`${AUTH}/refresh`).set('x-forwarded-for', nextIp()).send({ refreshToken: user.refreshToken }),
        ),
      );
      expect(results.map((res) => res.status).sort()).toEqual([200, 401, 401, 401]);
      const winner = results.find((res) => res.status === 200)!;
      await b.http().post(`${AUTH}/refresh`).send({ refreshToken: winner.body.refreshToken }).expect(401);
      expect(await auditRows(a, 'auth.refresh_reuse', user.id)).not.toHaveLength(0);
    }
  });
});

describe('auth with a reuse interval', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('auth_reuse', { env: { REFRESH_REUSE_INTERVAL_SECONDS: '5' } });
  });
  afterAll(() => t.close());

  it('answers a double refresh inside the interval with the same new refresh token, without revoking', async () => {
    const user = await register(t);
    const first = await t.http().post(`${AUTH}/refresh`).send({ refreshToken: user.refreshToken }).expect(200);
    const again = await t.http().post(`${AUTH}/refresh`).send({ refreshToken: user.refreshToken }).expect(200);
    expect(again.body.refreshToken).toBe(first.body.refreshToken);
    const next = await t.http().post(`${AUTH}/refresh`).send({ refreshToken: first.body.refreshToken }).expect(200);
    // Once the successor has been used, the old token is plain reuse again.
    await t.http().post(`${AUTH}/refresh`).send({ refreshToken: user.refreshToken }).expect(401);
    await t.http().post(`${AUTH}/refresh`).send({ refreshToken: next.body.refreshToken }).expect(401);
  });

  it('after the interval a second use is reuse', async () => {
    const user = await register(t);
    await t.http().post(`${AUTH}/refresh`).send({ refreshToken: user.refreshToken }).expect(200);
    await t.dataSource.query(
      'UPDATE refresh_tokens rt JOIN auth_sessions s ON s.id = rt.session_id SET rt.consumed_at = NOW(3) - INTERVAL 6 SECOND WHERE s.user_id = ? AND rt.consumed_at IS NOT NULL',
      [user.id],
    );
    await t.http().post(`${AUTH}/refresh`).send({ refreshToken: user.refreshToken }).expect(401);
  });
});

describe('rate limits with Redis down', () => {
  const target = new URL(TEST_REDIS_URL);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
  let t: TestApp;

  beforeAll(async () => {
    await proxy.start();
    t = await startTestApp('auth_redis_down', {
      env: {
        REDIS_URL: `redis://127.0.0.1:${proxy.port}${target.pathname}`,
        LOGIN_FAILURES_PER_EMAIL: '2',
        RATE_LIMIT_PER_MINUTE: '1000',
      },
    });
  });
  afterAll(async () => {
    await t.close().catch(() => undefined);
    await proxy.cut().catch(() => undefined);
  });

  it('falls back to per-instance limits instead of failing requests', async () => {
    const user = await register(t);
    await proxy.cut();
    try {
      const started = Date.now();
      await t.http().get(`${AUTH}/me`).set(user.auth).expect(200);
      await login(t, user.email, 'wrong password !!').expect(401);
      await login(t, user.email, 'wrong password !!').expect(401);
      const locked = await login(t, user.email).expect(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      await login(t, (await register(t)).email).expect(200);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await proxy.restore();
    }
  });
});
