import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { newId } from '../src/common/ids.js';
import { register } from './support/auth-flows.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser } from './support/users.js';

/** What every error answer carries, whoever raised it (Fastify before routing, or the app). */
function expectProblem(res: Response, status: number): void {
  expect({ status: res.status, type: res.headers['content-type'] }).toEqual({
    status,
    type: expect.stringMatching(/^application\/problem\+json/),
  });
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
  expect(res.headers['x-request-id']).toEqual(expect.any(String));
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(js|ts):\d+/);
}

function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

describe('HTTP edge: framework errors and ids (issue 12 item 6)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('edge_errors');
  });
  afterAll(() => t.close());

  it('an unknown route is a problem+json 404', async () => {
    expectProblem(await t.http().get('/api/v1/nothing-here'), 404);
  });

  it('an over-long id is 400, never 414', async () => {
    expectProblem(await t.http().get(`/api/v1/products/${'x'.repeat(300)}`), 400);
    expectProblem(await t.http().get(`/api/v1/products/${'x'.repeat(5000)}`), 400);
  });

  it('a malformed id is 400 before it reaches a cache or the database', async () => {
    const redis = t.app.get((await import('../src/infrastructure/cache/redis-client.js')).REDIS_CLIENT) as {
      keys: (pattern: string) => Promise<string[]>;
    };
    // Cache keys only: rate-limit counters (rl:) count every request, malformed or not.
    const cacheKeys = async () =>
      (await redis.keys(`${t.config.redis.keyPrefix}*`)).filter(
        (key) => !key.startsWith(`${t.config.redis.keyPrefix}rl:`),
      );
    const before = (await cacheKeys()).length;
    const res = await t.http().get('/api/v1/products/not-a-uuid');
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([{ field: 'id', message: expect.any(String) }]);
    expect(res.headers['x-query-count']).toBe('0');
    const admin = await createUser(t, ['admin']);
    expectProblem(await t.http().put('/api/v1/users/1%27%20OR%201=1/roles').set(admin.auth).send({ roles: [] }), 400);
    expectProblem(await t.http().delete('/api/v1/auth/sessions/abc').set(admin.auth), 400);
    expect((await cacheKeys()).length).toBe(before);
  });

  it('an unknown (well-formed) id is still a plain 404, and leaves nothing in Redis', async () => {
    const redis = t.app.get((await import('../src/infrastructure/cache/redis-client.js')).REDIS_CLIENT) as {
      keys: (pattern: string) => Promise<string[]>;
    };
    await t.http().get(`/api/v1/products/${newId()}`); // the first read of the list generation may start it
    const before = (await redis.keys(`${t.config.redis.keyPrefix}*`)).sort();
    for (let i = 0; i < 5; i++) expectProblem(await t.http().get(`/api/v1/products/${newId()}`), 404);
    expect((await redis.keys(`${t.config.redis.keyPrefix}*`)).sort()).toEqual(before);
  });

  it('a malformed JSON body is a problem+json 400', async () => {
    const res = await t.http().post('/api/v1/auth/login').set('content-type', 'application/json').send('{"email":');
    expectProblem(res, 400);
  });

  it('deeply nested JSON is 400, not 500', async () => {
    for (const depth of [100, 10_000]) {
      const res = await t.http().post('/api/v1/auth/login').set('content-type', 'application/json').send(nested(depth));
      expectProblem(res, 400);
    }
  });

  it('a body over the limit is a problem+json 413', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(2_000_000) }));
    expectProblem(res, 413);
  });

  it('an unsupported media type is a problem+json 415', async () => {
    const res = await t.http().post('/api/v1/auth/login').set('content-type', 'application/xml').send('<a/>');
    expectProblem(res, 415);
  });
});

describe('caching headers (issue 12 item 7)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('edge_cache_headers');
  });
  afterAll(() => t.close());

  it('token responses are no-store', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: `c-${newId()}@example.com`, password: 'correct horse battery staple' })
      .expect(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const refreshed = await t.http().post('/api/v1/auth/refresh').send({ refreshToken: res.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers['cache-control']).toBe('no-store');
  });

  it('every authenticated response is private or no-store; public catalogue reads keep ETag revalidation', async () => {
    const user = await register(t);
    for (const path of [
      '/api/v1/auth/me',
      '/api/v1/subscriptions/me/entitlements',
      '/api/v1/subscriptions',
      '/api/v1/plans',
    ]) {
      const res = await t.http().get(path).set(user.auth);
      expect({ path, status: res.status, cc: res.headers['cache-control'] }).toEqual({
        path,
        status: 200,
        cc: expect.stringMatching(/private|no-store/),
      });
    }
    const anonymous = await t.http().get('/api/v1/plans').expect(200);
    expect(anonymous.headers.etag).toEqual(expect.any(String));
    expect(anonymous.headers['cache-control'] ?? '').not.toMatch(/private|no-store/);
    await t.http().get('/api/v1/plans').set('if-none-match', anonymous.headers.etag).expect(304);
  });
});
