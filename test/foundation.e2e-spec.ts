import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ProbeController, ProbeModule } from './support/probe.module.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('HTTP pipeline', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('foundation', { imports: [ProbeModule], env: { CORS_ORIGINS: 'https://shop.example' } });
  });
  afterAll(() => t.close());

  it('answers liveness without touching dependencies', async () => {
    const res = await t.http().get('/health/live').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('is ready when MySQL is reachable and migrations are applied', async () => {
    const res = await t.http().get('/health/ready').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details.database.status).toBe('up');
    expect(res.body.details.migrations.status).toBe('up');
    expect(res.body.details.redis.status).toBe('up');
  });

  it('echoes a given x-request-id and mints one otherwise', async () => {
    const echoed = await t.http().get('/health/live').set('x-request-id', 'abc-123').expect(200);
    expect(echoed.headers['x-request-id']).toBe('abc-123');
    const minted = await t.http().get('/health/live').expect(200);
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('publishes Swagger UI and the OpenAPI document', async () => {
    await t.http().get('/docs').expect(200);
    const doc = await t.http().get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready', '/metrics']));
  });

  it('exposes Prometheus metrics labelled by route template', async () => {
    await t.http().get('/probe/cache/metric-check').expect(200);
    const res = await t.http().get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toContain('http_request_duration_seconds_bucket');
    expect(res.text).toMatch(/route="\/probe\/cache\/:key"/);
    expect(res.text).not.toContain('metric-check');
    expect(res.text).toContain('db_query_duration_seconds');
    expect(res.text).toContain('cache_events_total');
    expect(res.text).toMatch(/^db_pool_connections{state="open"} [1-9]/m);
    expect(res.text).toMatch(/^db_pool_connections{state="waiting"} 0/m);
    expect(res.text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('sets security headers', async () => {
    const res = await t.http().get('/health/live');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    // Error answers carry them too (a 404 from the router, a 401 from the guard).
    for (const path of ['/no/such/route', '/api/v1/auth/me']) {
      const error = await t.http().get(path);
      expect(error.status).toBeGreaterThanOrEqual(400);
      expect(error.headers['x-content-type-options']).toBe('nosniff');
      expect(error.headers['strict-transport-security']).toBe(res.headers['strict-transport-security']);
    }
  });

  it('allows CORS only from configured origins', async () => {
    const allowed = await t
      .http()
      .options('/probe/echo')
      .set('origin', 'https://shop.example')
      .set('access-control-request-method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
    const other = await t.http().get('/health/live').set('origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends ETag and answers If-None-Match with 304', async () => {
    const first = await t.http().get('/probe/cache/etag').expect(200);
    expect(first.headers.etag).toBeDefined();
    await t.http().get('/probe/cache/etag').set('if-none-match', first.headers.etag).expect(304);
  });

  describe('errors are problem+json', () => {
    it('404 for an unknown route', async () => {
      const res = await t.http().get('/nope').expect(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 404, title: 'Not Found' });
      expect(res.body.type).toEqual(expect.any(String));
    });

    it('400 with field errors for invalid input, unknown fields rejected', async () => {
      const res = await t.http().post('/probe/echo').send({ name: 'x', extra: 1 }).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'name' }),
          expect.objectContaining({ field: 'extra' }),
        ]),
      );
    });

    it('400 for malformed JSON', async () => {
      const res = await t.http().post('/probe/echo').set('content-type', 'application/json').send('{bad').expect(400);
      expect(res.body.status).toBe(400);
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js/);
    });

    it('413 beyond the 1 MB body limit', async () => {
      const res = await t
        .http()
        .post('/probe/echo')
        .send({ name: 'x'.repeat(1_100_000) })
        .expect(413);
      expect(res.body.status).toBe(413);
    });

    it('valid input passes', async () => {
      const res = await t.http().post('/probe/echo').send({ name: 'ok', count: 3 }).expect(200);
      expect(res.body).toEqual({ name: 'ok', count: 3 });
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first response and runs the handler once', async () => {
      const before = ProbeController.executions;
      const first = await t
        .http()
        .post('/probe/idempotent')
        .set('idempotency-key', 'k1')
        .send({ name: 'one' })
        .expect(201);
      const again = await t
        .http()
        .post('/probe/idempotent')
        .set('idempotency-key', 'k1')
        .send({ name: 'one' })
        .expect(201);
      expect(again.body).toEqual(first.body);
      expect(ProbeController.executions).toBe(before + 1);
    });

    it('422 for the same key with a different body', async () => {
      await t.http().post('/probe/idempotent').set('idempotency-key', 'k2').send({ name: 'one' }).expect(201);
      const res = await t
        .http()
        .post('/probe/idempotent')
        .set('idempotency-key', 'k2')
        .send({ name: 'two' })
        .expect(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    });

    it('409 while the first request with the key is still running', async () => {
      const slow = t.http().post('/probe/idempotent?delayMs=400').set('idempotency-key', 'k3').send({ name: 'slow' });
      const slowDone = slow.then((res) => res);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await t
        .http()
        .post('/probe/idempotent?delayMs=400')
        .set('idempotency-key', 'k3')
        .send({ name: 'slow' })
        .expect(409);
      expect((await slowDone).status).toBe(201);
    });

    it('replays a stored 4xx answer', async () => {
      const first = await t
        .http()
        .post('/probe/idempotent')
        .set('idempotency-key', 'k4')
        .send({ name: 'conflict' })
        .expect(409);
      const again = await t
        .http()
        .post('/probe/idempotent')
        .set('idempotency-key', 'k4')
        .send({ name: 'conflict' })
        .expect(409);
      expect(again.body).toEqual(first.body);
    });

    it('runs exactly once under 20 concurrent duplicates', async () => {
      const before = ProbeController.executions;
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          t.http().post('/probe/idempotent?delayMs=50').set('idempotency-key', 'k5').send({ name: 'burst' }),
        ),
      );
      expect(ProbeController.executions).toBe(before + 1);
      for (const res of responses) expect([201, 409]).toContain(res.status);
      expect(responses.filter((res) => res.status === 201).length).toBeGreaterThanOrEqual(1);
    });

    it('rejects an over-long key', async () => {
      await t
        .http()
        .post('/probe/idempotent')
        .set('idempotency-key', 'x'.repeat(256))
        .send({ name: 'one' })
        .expect(400);
    });
  });

  describe('cache', () => {
    it('collapses concurrent misses into one load and serves hits from Redis', async () => {
      const before = ProbeController.loads;
      const responses = await Promise.all(Array.from({ length: 10 }, () => t.http().get('/probe/cache/stampede')));
      expect(new Set(responses.map((res) => res.body.load)).size).toBe(1);
      expect(ProbeController.loads).toBe(before + 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await t.http().get('/probe/cache/stampede').expect(200);
      expect(ProbeController.loads).toBe(before + 1);
    });

    it('drops a group of keys by tag', async () => {
      const first = await t.http().get('/probe/cache/tagged').expect(200);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await t.http().post('/probe/cache/invalidate').expect(204);
      const second = await t.http().get('/probe/cache/tagged').expect(200);
      expect(second.body.load).toBeGreaterThan(first.body.load);
    });
  });

  it('counts the SQL statements a request issues', async () => {
    const res = await t.http().get('/health/ready').expect(200);
    expect(Number(res.headers['x-query-count'])).toBe(1);
  });
});
