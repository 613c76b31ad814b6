import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ShutdownState } from '../src/infrastructure/health/shutdown-state.js';
import { ProbeController, ProbeModule } from './support/probe.module.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { startTestApp, TEST_MYSQL_URL, TEST_REDIS_URL, testDatabaseName, type TestApp } from './support/test-app.js';

/** Faults injected for real: the app talks to MySQL and Redis through proxies the test cuts. */
describe('resilience', () => {
  const mysqlTarget = new URL(TEST_MYSQL_URL);
  const redisTarget = new URL(TEST_REDIS_URL);
  const mysqlProxy = new TcpProxy(mysqlTarget.hostname, Number(mysqlTarget.port || 3306));
  const redisProxy = new TcpProxy(redisTarget.hostname, Number(redisTarget.port || 6379));
  let t: TestApp;

  beforeAll(async () => {
    await mysqlProxy.start();
    await redisProxy.start();
    t = await startTestApp('resilience', {
      imports: [ProbeModule],
      env: {
        DATABASE_URL: `mysql://root@127.0.0.1:${mysqlProxy.port}/${testDatabaseName('resilience')}`,
        REDIS_URL: `redis://127.0.0.1:${redisProxy.port}${redisTarget.pathname}`,
        DB_ACQUIRE_TIMEOUT_MS: '500',
        DB_CONNECT_TIMEOUT_MS: '500',
      },
    });
  });
  afterAll(async () => {
    await t.close().catch(() => undefined);
    await mysqlProxy.cut().catch(() => undefined);
    await redisProxy.cut().catch(() => undefined);
  });

  describe('Redis down', () => {
    it('stays ready (degraded) and serves every request from the source', async () => {
      await t.http().get('/probe/cache/redis-down').expect(200);
      await redisProxy.cut();
      try {
        const ready = await t.http().get('/health/ready').expect(200);
        expect(ready.body.details.redis.status).toBe('degraded');

        const loadsBefore = ProbeController.loads;
        const started = Date.now();
        const res = await t.http().get('/probe/cache/redis-down').expect(200);
        expect(res.body.key).toBe('redis-down');
        expect(ProbeController.loads).toBe(loadsBefore + 1); // a miss, served by the loader
        expect(Date.now() - started).toBeLessThan(1_000);

        const metrics = await t.http().get('/metrics').expect(200);
        expect(metrics.text).toMatch(/cache_events_total\{result="error"\} [1-9]/);
      } finally {
        await redisProxy.restore();
      }
    });

    it('treats a hanging Redis as a miss after the 50 ms timeout', async () => {
      await t.http().get('/probe/cache/redis-slow').expect(200);
      await new Promise((resolve) => setTimeout(resolve, 100)); // let the value land in Redis first
      redisProxy.stall();
      try {
        const loadsBefore = ProbeController.loads;
        const started = Date.now();
        const res = await t.http().get('/probe/cache/redis-slow').expect(200);
        expect(res.body.key).toBe('redis-slow');
        expect(ProbeController.loads).toBe(loadsBefore + 1);
        expect(Date.now() - started).toBeLessThan(500);
      } finally {
        redisProxy.resume();
      }
    });

    it('reconnects by itself when Redis is back', async () => {
      const deadline = Date.now() + 10_000;
      let status = '';
      while (Date.now() < deadline) {
        const ready = await t.http().get('/health/ready').expect(200);
        status = ready.body.details.redis.status;
        if (status === 'up') break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(status).toBe('up');
    });
  });

  describe('MySQL down', () => {
    it('turns readiness to 503 naming the database, and requests get 503 problems, never a hang', async () => {
      await mysqlProxy.cut();
      try {
        const ready = await t.http().get('/health/ready').expect(503);
        expect(ready.body.status).toBe('error');
        expect(ready.body.error.database.status).toBe('down');

        const res = await t.http().post('/probe/idempotent').set('idempotency-key', 'db-down').send({ name: 'x1' });
        expect(res.status).toBe(503);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|SELECT|INSERT|127\.0\.0\.1/);

        await t.http().get('/health/live').expect(200);
      } finally {
        await mysqlProxy.restore();
      }
    });

    it('recovers when MySQL is back', async () => {
      const deadline = Date.now() + 10_000;
      let status = 0;
      while (Date.now() < deadline) {
        status = (await t.http().get('/health/ready')).status;
        if (status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(status).toBe(200);
    });
  });

  describe('shutdown', () => {
    it('fails readiness at once and lets in-flight requests finish', async () => {
      const inFlight = t.http().get('/probe/slow?ms=500');
      const inFlightDone = inFlight.then((res) => res);
      await new Promise((resolve) => setTimeout(resolve, 100));

      t.app.get(ShutdownState).begin();
      const ready = await t.http().get('/health/ready').expect(503);
      expect(ready.body.error.shutdown.status).toBe('down');

      const closing = t.app.close();
      const res = await inFlightDone;
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ waited: 500 });
      await closing;
    });
  });
});
