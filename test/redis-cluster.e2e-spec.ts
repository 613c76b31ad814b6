import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { login, PASSWORD, register, uniqueEmail } from './support/auth-flows.js';
import { createProduct } from './support/inventory.js';
import { type RedisCluster, startRedisCluster } from './support/redis-cluster.js';
import { createPlan } from './support/subscriptions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

/**
 * REDIS_CLUSTER_NODES against a real three-master Redis Cluster started for this file: the cache (values,
 * tags, generation tokens), near-cache invalidation over pub/sub and the rate-limit Lua scripts, on two
 * instances; then one node killed mid-test, which must cost no request (fail-open, as with a single Redis).
 */
describe('Redis Cluster (real three-node cluster, two instances)', () => {
  let cluster: RedisCluster;
  let a: TestApp;
  let b: TestApp;
  let admin: TestUser;
  let ipSeq = 0;
  const nextIp = () => `10.8.0.${++ipSeq}`;
  const on = (i: number) => (i % 2 === 0 ? a : b);

  beforeAll(async () => {
    cluster = await startRedisCluster();
    const env = {
      REDIS_CLUSTER_NODES: cluster.nodeList,
      REDIS_URL: 'redis://127.0.0.1:1', // unused with a cluster: proves nothing goes to a single Redis
      TRUST_PROXY: '1',
      LOGIN_FAILURES_PER_EMAIL: '3',
      // High enough for every other test here (anonymous requests share 127.0.0.1), reachable by one.
      RATE_LIMIT_PER_MINUTE: '200',
      // A cluster call may need a redirect or a topology refresh on a loaded CI machine.
      REDIS_TIMEOUT_MS: '500',
    };
    a = await startTestApp('redis_cluster', { env });
    b = await startTestApp('redis_cluster', { env, reuseDatabase: true });
    admin = await createUser(a, ['admin']);
  }, 120_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await cluster?.close();
  });

  it('is ready with the cluster up', async () => {
    for (const t of [a, b]) {
      const res = await t.http().get('/health/ready').expect(200);
      expect(res.body.details.redis).toEqual({ status: 'up' });
    }
  });

  it('caches in the cluster: entries spread over the nodes and are served from there', async () => {
    const products = await Promise.all(Array.from({ length: 8 }, () => createProduct(a, admin)));
    for (const product of products) {
      await a.http().get(`/api/v1/products/${product.id}`).expect(200);
      await b.http().get(`/api/v1/products/${product.id}`).expect(200);
    }
    const perNode = await cluster.keysPerNode(a.config.redis.keyPrefix);
    expect(perNode.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);
    // Served from the cache: no SQL for a read on the other instance once warm.
    const warm = await b.http().get(`/api/v1/products/${products[0].id}`).expect(200);
    expect(warm.headers['x-query-count']).toBe('0');
  });

  it('a write on one instance is seen on the other at once (generation tokens, pub/sub invalidation)', async () => {
    for (let i = 0; i < 5; i++) {
      const product = await createProduct(a, admin);
      await b.http().get(`/api/v1/products/${product.id}`).expect(200); // warm b's near cache and Redis
      await a
        .http()
        .patch(`/api/v1/products/${product.id}`)
        .set(admin.auth)
        .set('if-match', String(product.version))
        .send({ name: `Renamed ${i}` })
        .expect(200);
      const read = await b.http().get(`/api/v1/products/${product.id}`).expect(200);
      expect(read.body.name).toBe(`Renamed ${i}`);
      const list = await b.http().get('/api/v1/products?limit=100').expect(200);
      expect(list.body.data.find((p: { id: string }) => p.id === product.id).name).toBe(`Renamed ${i}`);
    }
  });

  it('drops tagged entries whose keys live in different slots (plan catalogue)', async () => {
    const plan = await createPlan(a, admin, { name: 'Before' });
    const before = await b.http().get('/api/v1/plans').expect(200);
    expect(before.body.data.find((p: { id: string }) => p.id === plan.id).name).toBe('Before');
    await b.http().get(`/api/v1/plans/${plan.id}`).expect(200);
    await a.http().patch(`/api/v1/plans/${plan.id}`).set(admin.auth).send({ name: 'After' }).expect(200);
    const after = await b.http().get('/api/v1/plans').expect(200);
    expect(after.body.data.find((p: { id: string }) => p.id === plan.id).name).toBe('After');
    expect((await b.http().get(`/api/v1/plans/${plan.id}`).expect(200)).body.name).toBe('After');
  });

  it('shares rate limits across instances through the cluster (Lua scripts)', async () => {
    const user = await register(a);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await login(on(i), user.email, 'wrong password !!').set('x-forwarded-for', nextIp())).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);

    const ip = nextIp();
    const reader = await register(b, uniqueEmail(), PASSWORD);
    const budget: number[] = [];
    for (let i = 0; i < 202; i++) {
      budget.push((await on(i).http().get('/api/v1/auth/me').set(reader.auth).set('x-forwarded-for', ip)).status);
    }
    expect(budget.filter((status) => status === 200)).toHaveLength(200);
    expect(budget.slice(200)).toEqual([429, 429]);
  });

  it('keeps serving with one node killed: no failed request, writes still seen everywhere', async () => {
    const products = await Promise.all(Array.from({ length: 6 }, () => createProduct(a, admin)));
    for (const product of products) await b.http().get(`/api/v1/products/${product.id}`).expect(200);
    await cluster.nodes[0].kill();

    const statuses: number[] = [];
    for (const [i, product] of products.entries()) {
      const patched = await on(i)
        .http()
        .patch(`/api/v1/products/${product.id}`)
        .set(admin.auth)
        .set('if-match', String(product.version))
        .send({ name: `After kill ${i}` });
      statuses.push(patched.status);
      const read = await on(i + 1)
        .http()
        .get(`/api/v1/products/${product.id}`);
      statuses.push(read.status);
      expect(read.body.name).toBe(`After kill ${i}`);
    }
    const user = await register(a);
    for (let i = 0; i < 4; i++) {
      const res = await login(on(i), user.email).set('x-forwarded-for', nextIp());
      statuses.push(res.status);
    }
    statuses.push((await b.http().get('/api/v1/plans').set('x-forwarded-for', nextIp())).status);
    expect(statuses).toEqual(Array(statuses.length).fill(200));
    for (const t of [a, b]) await t.http().get('/health/ready').expect(200);
  });
});
