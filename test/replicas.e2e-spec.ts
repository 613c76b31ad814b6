import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ReadReplicas } from '../src/infrastructure/database/read-replicas.service.js';
import { createProduct } from './support/inventory.js';
import { type MariaDbPair, startMariaDbPair } from './support/mariadb-pair.js';
import { startTestApp, type TestApp, testDatabaseName } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

/**
 * DATABASE_REPLICA_URLS against a real MariaDB primary + GTID replica started for this file (not the
 * machine's MariaDB). Proof of where a statement ran comes from the replica's own counters: Com_select for
 * reads, and its per-account statistics (userstat) for the app's account there: SELECTs yes, writes never.
 */
describe('read replicas (real MariaDB primary + replica)', () => {
  let pair: MariaDbPair;
  let t: TestApp;
  let admin: TestUser;
  const selectsOnReplica = () => pair.counter(pair.replica, 'Com_select');
  const replicaStatus = async () => (await t.http().get('/health/ready').expect(200)).body.details.replicas;

  beforeAll(async () => {
    pair = await startMariaDbPair();
    const database = testDatabaseName('replicas');
    t = await startTestApp('replicas', {
      env: {
        DATABASE_URL: pair.primaryUrl(database),
        DATABASE_REPLICA_URLS: pair.replicaUrl(database),
        DATABASE_REPLICA_MAX_LAG_SECONDS: '5',
        // Every list request must reach a database, not the cache, to be counted.
        CACHE_ENABLED: 'false',
      },
    });
    admin = await createUser(t, ['admin']);
    await pair.caughtUp();
    // The replica joins the rotation at its next check (every second) once the replicated schema is there.
    for (let i = 0; i < 50 && (await replicaStatus()).status !== 'up'; i++) await sleep(200);
  }, 120_000);

  afterAll(async () => {
    // The servers are stopped even if the app hangs on close (their processes must not outlive the run).
    await Promise.race([t?.close(), sleep(20_000)]);
    await pair?.close();
  }, 60_000);

  it('reports the replica in readiness, up', async () => {
    const status = await replicaStatus();
    expect(status.status).toBe('up');
    expect(Object.values(status.replicas)).toEqual([{ status: 'up', lagSeconds: 0 }]);
  });

  it('serves catalogue and audit lists from the replica, and never writes there', async () => {
    const product = await createProduct(t, admin, { name: 'Replicated lamp' });
    await pair.caughtUp();
    const selectsBefore = await selectsOnReplica();
    const appBefore = await pair.replicaUserStatements();
    for (let i = 0; i < 5; i++) {
      const page = await t.http().get('/api/v1/products?limit=50').expect(200);
      expect(page.body.data.map((p: { id: string }) => p.id)).toContain(product.id);
      await t.http().get('/api/v1/products?q=Replicated').expect(200);
      await t.http().get('/api/v1/audit-events').set(admin.auth).expect(200);
    }
    // 5 × (list + two prefix searches + audit list) statements, at least.
    expect((await selectsOnReplica()) - selectsBefore).toBeGreaterThanOrEqual(20);
    await createProduct(t, admin); // a write while the replica is in use goes to the primary
    const appAfter = await pair.replicaUserStatements();
    expect(appAfter.selects - appBefore.selects).toBeGreaterThanOrEqual(20);
    expect(appAfter.writes).toBe(0);
  });

  it("serves the MRR metrics and a product's recommendations (cache cold) from the replica", async () => {
    // Data written on the primary, then replicated: the answers below can only come from where it is.
    await t.dataSource.query(
      `INSERT INTO mrr_daily_totals (currency, day, kind, shard, amount_cents, movements) VALUES ('EUR', '2026-03-02', 'new', 0, 4200, 1)`,
    );
    const product = await createProduct(t, admin, { name: 'Replicated kettle' });
    const partner = await createProduct(t, admin, { name: 'Replicated mug' });
    await t.dataSource.query('INSERT INTO co_purchases (product_id, other_id, orders) VALUES (?, ?, 3)', [
      product.id,
      partner.id,
    ]);
    await pair.caughtUp();

    const selectsBefore = await selectsOnReplica();
    const appBefore = await pair.replicaUserStatements();
    for (let i = 0; i < 5; i++) {
      const mrr = await t
        .http()
        .get('/api/v1/billing/metrics/mrr?from=2026-03-01&to=2026-03-04&currency=EUR')
        .set(admin.auth)
        .expect(200);
      const day = mrr.body.data.find((b: { periodStart: string }) => b.periodStart.startsWith('2026-03-02'));
      expect(day).toMatchObject({ newCents: 4200, endingMrrCents: 4200 });
    }
    // 5 × (opening MRR + bucket totals).
    const afterMrr = await pair.replicaUserStatements();
    expect(afterMrr.selects - appBefore.selects).toBeGreaterThanOrEqual(10);

    for (let i = 0; i < 5; i++) {
      const recommended = await t.http().get(`/api/v1/products/${product.id}/recommendations`).expect(200);
      expect(recommended.body.data).toEqual([expect.objectContaining({ score: 3 })]);
      expect(recommended.body.data[0].product.id).toBe(partner.id);
    }
    // 5 × the pair counts' top-k joined to the sellable products (one statement).
    const appAfter = await pair.replicaUserStatements();
    expect(appAfter.selects - afterMrr.selects).toBeGreaterThanOrEqual(5);
    expect((await selectsOnReplica()) - selectsBefore).toBeGreaterThanOrEqual(15);
    expect(appAfter.writes).toBe(0);
  });

  it('keeps read-your-writes paths on the primary: a product right after its PATCH, no replica read', async () => {
    const product = await createProduct(t, admin);
    const selectsBefore = await selectsOnReplica();
    for (let i = 0; i < 5; i++) {
      const current = await t.http().get(`/api/v1/products/${product.id}`).expect(200);
      await t
        .http()
        .patch(`/api/v1/products/${product.id}`)
        .set(admin.auth)
        .set('if-match', String(current.body.version))
        .send({ name: `Renamed ${i}` })
        .expect(200);
      const read = await t.http().get(`/api/v1/products/${product.id}`).expect(200);
      expect(read.body.name).toBe(`Renamed ${i}`);
    }
    expect(await selectsOnReplica()).toBe(selectsBefore);
  });

  it('skips a replica whose replication stopped (lag unknown): degraded, 200, reads on the primary', async () => {
    await pair.replica.query('STOP SLAVE SQL_THREAD');
    try {
      await waitFor(async () => (await replicaStatus()).status === 'degraded');
      const status = await replicaStatus();
      expect(Object.values(status.replicas)).toEqual([{ status: 'down', reason: 'replication stopped' }]);
      // A product created now is not on the replica: the list must still show it (served by the primary).
      const product = await createProduct(t, admin);
      const selectsBefore = await selectsOnReplica();
      const page = await t.http().get('/api/v1/products?limit=100').expect(200);
      expect(page.body.data.map((p: { id: string }) => p.id)).toContain(product.id);
      expect(await selectsOnReplica()).toBe(selectsBefore);
    } finally {
      await pair.replica.query('START SLAVE SQL_THREAD');
    }
    await pair.caughtUp();
    await waitFor(async () => (await replicaStatus()).status === 'up');
  });

  it('survives the replica dying mid-test: no error, reads fall back to the primary, readiness degraded', async () => {
    const replicas = t.app.get(ReadReplicas);
    expect(replicas.states()[`127.0.0.1:${pair.replica.port}`].status).toBe('up');
    await pair.replica.kill();
    // Requests at once, before the next check notices: the first read on the dead replica is retried on the primary.
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0
          ? t.http().get('/api/v1/products?limit=10')
          : t.http().get('/api/v1/audit-events?limit=5').set(admin.auth),
      ),
    );
    expect(answers.map((res) => res.status)).toEqual(Array(10).fill(200));
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.details.replicas.status).toBe('degraded');
    await createProduct(t, admin);
    await t.http().get('/api/v1/products').expect(200);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(200);
  }
}
