import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createProduct } from './support/inventory.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

const NAME = 'recommendations';

type Product = { id: string };

describe('recommendations (co-purchase counts, two instances)', () => {
  let a: TestApp;
  let b: TestApp;
  let staff: TestUser;

  beforeAll(async () => {
    a = await startTestApp(NAME);
    b = await startTestApp(NAME, { reuseDatabase: true });
    staff = await createUser(a, ['staff']);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  /** Reserve one of each product and pay for it: one paid order. */
  const buy = async (customer: TestUser, products: Product[]) => {
    const reservation = await a
      .http()
      .post('/api/v1/inventory/reservations')
      .set(customer.auth)
      .send({ items: products.map((p) => ({ productId: p.id, quantity: 1 })) })
      .expect(201);
    const order = await a
      .http()
      .post('/api/v1/orders')
      .set(customer.auth)
      .send({ reservationId: reservation.body.id, paymentMethod: 'pm_card_ok' })
      .expect(201);
    return order.body as { id: string };
  };

  const recommended = async (t: TestApp, product: Product, query = '') => {
    const res = await t.http().get(`/api/v1/products/${product.id}/recommendations${query}`).expect(200);
    return (res.body.data as { product: { id: string }; score: number }[]).map((r) => [r.product.id, r.score]);
  };

  // Created in id order: for equal scores the newer product (higher id) comes first.
  const products = async (n: number, stock = 50) => {
    const created: Product[] = [];
    for (let i = 0; i < n; i++) created.push(await createProduct(a, staff, { initialStock: stock }));
    return created;
  };

  it('orders by paid orders containing both, ties newer first; never itself, inactive or out of stock', async () => {
    const [x, b1, c, d, inactive] = await products(5);
    const [soldOut] = await products(1, 1);
    const customer = await createUser(a);
    await buy(customer, [x, b1]);
    await buy(customer, [x, b1, c]);
    await buy(customer, [x, d]);
    await buy(customer, [x, inactive]);
    await buy(await createUser(a), [x, soldOut]); // its only unit: now out of stock
    await buy(await createUser(a), [c, d]); // does not involve x
    await a.http().patch(`/api/v1/products/${inactive.id}`).set(staff.auth).send({ active: false }).expect(200);

    expect(await recommended(a, x)).toEqual([
      [b1.id, 2],
      [d.id, 1],
      [c.id, 1],
    ]);
    expect(await recommended(b, x, '?limit=1')).toEqual([[b1.id, 2]]);
    expect(await recommended(b, c)).toEqual([
      [d.id, 1],
      [b1.id, 1],
      [x.id, 1],
    ]);
    await a.http().get(`/api/v1/products/${x.id}/recommendations?limit=0`).expect(400);
    await a.http().get(`/api/v1/products/${x.id}/recommendations?limit=21`).expect(400);
    await a.http().get('/api/v1/products/0190a000-0000-7000-8000-000000000000/recommendations').expect(404);
    await a.http().get('/api/v1/products/not-an-id/recommendations').expect(400);
  });

  it('warm reads issue no SQL; a new paid order shows at once on both instances (invalidated), a full refund decrements', async () => {
    const [x, y, z] = await products(3);
    const customer = await createUser(a);
    await buy(customer, [x, y]);
    const order = await buy(customer, [x, y]);
    expect(await recommended(a, x)).toEqual([[y.id, 2]]);
    const warm = await b.http().get(`/api/v1/products/${x.id}/recommendations`).expect(200);
    expect(warm.headers['x-query-count']).toBe('0');
    expect(warm.body.data).toHaveLength(1);

    await buy(await createUser(a), [x, z]);
    // Well within the 5 s the contract allows: the paying transaction's commit dropped the cached answers.
    expect(await recommended(b, x)).toEqual([
      [y.id, 2],
      [z.id, 1],
    ]);

    await a.http().post(`/api/v1/orders/${order.id}/refund`).set(staff.auth).send({ restock: false }).expect(200);
    expect(await recommended(a, x)).toEqual([
      [z.id, 1],
      [y.id, 1],
    ]);
    // A partial refund does not decrement: the order still counts.
    const partial = await buy(customer, [y, z]);
    await a
      .http()
      .post(`/api/v1/orders/${partial.id}/refund`)
      .set(staff.auth)
      .send({ amountCents: 1, restock: false })
      .expect(200);
    expect(await recommended(b, y)).toEqual([
      [z.id, 1],
      [x.id, 1],
    ]);
  });

  it('/recommendations/me: co-purchased with what I bought, minus what I bought; bearer only', async () => {
    const [p, q, r, s, t] = await products(5);
    const me = await createUser(a);
    await buy(me, [p, q]);
    await buy(await createUser(a), [p, r]);
    await buy(await createUser(a), [p, r]);
    await buy(await createUser(a), [q, s]);
    await buy(await createUser(a), [t, r]);
    const res = await a.http().get('/api/v1/recommendations/me').set(me.auth).expect(200);
    expect(res.body.data.map((x: { product: { id: string }; score: number }) => [x.product.id, x.score])).toEqual([
      [r.id, 2],
      [s.id, 1],
    ]);
    const warm = await b.http().get('/api/v1/recommendations/me').set(me.auth).expect(200);
    expect(warm.headers['x-query-count']).toBe('0');
    expect(warm.headers['cache-control']).toMatch(/private|no-store/);
    await a.http().get('/api/v1/recommendations/me').expect(401);
    const stranger = await createUser(a);
    expect((await a.http().get('/api/v1/recommendations/me').set(stranger.auth).expect(200)).body).toEqual({
      data: [],
    });
  });

  it('served directly: an invalid query is the same 400 as through the validation pipe (GET /recommendations/me)', async () => {
    const [x] = await products(1);
    const me = await createUser(a);
    for (const query of [
      '?limit=0',
      '?limit=21',
      '?limit=abc',
      '?limit=1.5',
      '?limit=',
      '?limit=2&limit=3',
      '?foo=1',
      '?limit=5&foo=1',
    ]) {
      const direct = await a.http().get(`/api/v1/products/${x.id}/recommendations${query}`).expect(400);
      const piped = await a.http().get(`/api/v1/recommendations/me${query}`).set(me.auth).expect(400);
      expect(direct.headers['content-type']).toBe(piped.headers['content-type']);
      expect([query, direct.body]).toEqual([query, piped.body]);
    }
    // Valid spellings of a limit are read as the pipe reads them (Number()).
    for (const query of ['?limit=05', '?limit=5.0', '?limit=%205']) {
      await a.http().get(`/api/v1/products/${x.id}/recommendations${query}`).expect(200);
      await a.http().get(`/api/v1/recommendations/me${query}`).set(me.auth).expect(200);
    }
    // A product that exists but was never bought with anything: an empty list, not a 404.
    expect(await recommended(a, x)).toEqual([]);
  });

  it('a warm answer is the same bytes and ETag on every hit, per limit; If-None-Match gives 304', async () => {
    const [x, y, z] = await products(3);
    const customer = await createUser(a);
    await buy(customer, [x, y, z]);
    const path = `/api/v1/products/${x.id}/recommendations`;
    const first = await b.http().get(path).expect(200);
    const again = await b.http().get(path).expect(200);
    expect(again.headers['x-query-count']).toBe('0');
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.text).toBe(first.text);
    const one = await b.http().get(`${path}?limit=1`).expect(200);
    expect(one.body.data).toHaveLength(1);
    expect(one.headers.etag).not.toBe(first.headers.etag);
    await b
      .http()
      .get(path)
      .set('if-none-match', first.headers.etag as string)
      .expect(304);
  });

  it('a product deactivated after its recommendations were cached drops out within 15 s', async () => {
    const [x, y, z] = await products(3);
    const customer = await createUser(a);
    await buy(customer, [x, y]);
    await buy(customer, [x, y, z]);
    expect(await recommended(a, x)).toEqual([
      [y.id, 2],
      [z.id, 1],
    ]);
    await recommended(b, x); // cached on both instances
    await a.http().patch(`/api/v1/products/${y.id}`).set(staff.auth).send({ active: false }).expect(200);
    const started = Date.now();
    let seen = await recommended(b, x);
    while (seen.length !== 1 && Date.now() - started < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      seen = await recommended(b, x);
    }
    expect(seen).toEqual([[z.id, 1]]);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 30_000);
});
