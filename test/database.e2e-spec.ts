import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { leanQuery, leanStatement } from '../src/infrastructure/database/lean-query.js';
import { TransactionService } from '../src/infrastructure/database/transaction.service.js';
import { ProbeModule } from './support/probe.module.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('database layer', () => {
  let t: TestApp;
  const logLines: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString().trim().split('\n'));
        done();
      },
    });
    t = await startTestApp('database', {
      imports: [ProbeModule],
      env: { DB_SLOW_QUERY_MS: '50', DB_POOL_SIZE: '2', DB_ACQUIRE_TIMEOUT_MS: '300' },
      logger: pino({ level: 'info' }, sink),
    });
    await t.dataSource.query('CREATE TABLE probe_counters (id INT PRIMARY KEY, value INT NOT NULL)');
    await t.dataSource.query('INSERT INTO probe_counters VALUES (1, 0), (2, 0)');
  });
  afterAll(() => t.close());

  it('retries a transaction that lost a deadlock, so both writers succeed', async () => {
    const transactions = t.app.get(TransactionService);
    let attempts = 0;
    let arrived = 0;
    let release!: () => void;
    const bothHoldFirstLock = new Promise<void>((resolve) => (release = resolve));

    const lockInOrder = (first: number, second: number) =>
      transactions.run(async (manager) => {
        attempts++;
        await manager.query('UPDATE probe_counters SET value = value + 1 WHERE id = ?', [first]);
        if (++arrived === 2) release();
        await bothHoldFirstLock; // only the first attempts wait: retries find it resolved
        await manager.query('UPDATE probe_counters SET value = value + 1 WHERE id = ?', [second]);
      });

    await Promise.all([lockInOrder(1, 2), lockInOrder(2, 1)]);
    expect(attempts).toBe(3); // one of the two was chosen as the deadlock victim and ran again
    const rows = await t.dataSource.query('SELECT id, value FROM probe_counters ORDER BY id');
    expect(rows.map((row: { value: number }) => Number(row.value))).toEqual([2, 2]);
  });

  it('logs slow queries with their duration', async () => {
    await t.dataSource.query('SELECT SLEEP(0.1)');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logLines.some((line) => /slow query \(\d+ ms > 50 ms\): SELECT SLEEP/.test(line))).toBe(true);
  });

  it('sends a lean statement through the transaction it is given: it rolls back with it', async () => {
    const transactions = t.app.get(TransactionService);
    await expect(
      transactions.run(async (manager) => {
        await leanStatement(manager, 'UPDATE probe_counters SET value = value + 100 WHERE id = ?', [1]);
        const [inside] = await leanQuery<{ value: number }>(
          manager,
          'SELECT value FROM probe_counters WHERE id = 1',
          [],
        );
        expect(Number(inside.value)).toBeGreaterThanOrEqual(100); // seen by its own transaction
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const [after] = await leanQuery<{ value: number }>(
      t.dataSource,
      'SELECT value FROM probe_counters WHERE id = 1',
      [],
    );
    expect(Number(after.value)).toBeLessThan(100);
  });

  it('logs slow lean statements too', async () => {
    await leanQuery(t.dataSource, 'SELECT SLEEP(0.1) AS lean_probe', []);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(
      logLines.some((line) => /slow query \(\d+ ms > 50 ms\): SELECT SLEEP\(0\.1\) AS lean_probe/.test(line)),
    ).toBe(true);
  });

  it('answers 503 instead of hanging when the pool stays saturated', async () => {
    // Hold both pooled connections longer than the acquire timeout.
    const holders = [t.dataSource.query('SELECT SLEEP(1)'), t.dataSource.query('SELECT SLEEP(1)')];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const res = await t.http().get('/health/ready');
    expect(res.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(1_000);
    const write = await t.http().post('/probe/idempotent').set('idempotency-key', 'pool').send({ name: 'pool' });
    expect(write.status).toBe(503);
    expect(write.headers['content-type']).toMatch(/application\/problem\+json/);
    await Promise.all(holders);
    await t.http().get('/health/ready').expect(200);
  });

  it('writes one JSON access-log line per request without credentials', async () => {
    await t
      .http()
      .get('/health/live')
      .set('authorization', 'Bearer secret-token-value')
      .set('x-request-id', 'log-check');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const line = logLines.find((entry) => entry.includes('"reqId":"log-check"'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ route: '/health/live', status: 200, method: 'GET', msg: 'request' });
    expect(JSON.parse(line!).ms).toEqual(expect.any(Number));
    expect(logLines.join('\n')).not.toContain('secret-token-value');
  });

  it('answers an unexpected error with a bare 500 and logs it with the request id and the stack', async () => {
    const res = await t.http().get('/probe/boom').set('x-request-id', 'boom-check').expect(500);
    expect(res.text).not.toContain('something unexpected');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const line = logLines.find((entry) => entry.includes('unexpected error in request boom-check'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ level: 50, msg: expect.stringContaining('GET /probe/boom') });
    expect(line).toContain('probe: something unexpected');
  });
});
