import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createProduct } from './support/inventory.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { startTestApp, TEST_REDIS_URL, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

const NAME = 'inventory_resilience';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Instance B reaches Redis through a proxy we can cut; instance A keeps writing meanwhile. */
describe('catalogue cache when Redis goes away on one instance', () => {
  let a: TestApp;
  let b: TestApp;
  let staff: TestUser;
  const redisTarget = new URL(TEST_REDIS_URL);
  const proxy = new TcpProxy(redisTarget.hostname, Number(redisTarget.port || 6379));

  beforeAll(async () => {
    await proxy.start();
    a = await startTestApp(NAME);
    b = await startTestApp(NAME, {
      reuseDatabase: true,
      env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}${redisTarget.pathname}` },
    });
    staff = await createUser(a, ['staff']);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await proxy.cut();
  });

  const read = (t: TestApp, id: string) => t.http().get(`/api/v1/products/${id}`).expect(200);
  const adjust = (t: TestApp, productId: string, delta: number) =>
    t
      .http()
      .post('/api/v1/inventory/adjustments')
      .set(staff.auth)
      .send({ productId, delta, reason: 'resilience' })
      .expect(201);

  it('drops the in-process cache while pub/sub is down, serves MySQL, and is coherent again after', async () => {
    const product = await createProduct(a, staff, { initialStock: 1 });
    await read(b, product.id);
    expect((await read(b, product.id)).headers['x-query-count']).toBe('0'); // warm on B

    await proxy.cut();
    await sleep(200);
    await adjust(a, product.id, 1); // A invalidates; B cannot hear it
    const during = await read(b, product.id);
    expect(during.body.stock.onHand).toBe(2);
    expect(during.headers['x-query-count']).toBe('1'); // from MySQL, no cache

    await proxy.restore();
    await adjust(a, product.id, 1);
    expect((await read(b, product.id)).body.stock.onHand).toBe(3);
    // Once B's subscriber is back, its near cache warms again and still follows A's writes.
    let warm = false;
    for (let i = 0; i < 40 && !warm; i++) {
      await sleep(100);
      warm = (await read(b, product.id)).headers['x-query-count'] === '0';
    }
    expect(warm).toBe(true);
    await adjust(a, product.id, 1);
    expect((await read(b, product.id)).body.stock.onHand).toBe(4);
  });
});
