import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createProduct, expectReconciled, stockOf } from './support/inventory.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

const NAME = 'reservation_limits';

describe('reservation limits for customers (two instances)', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: TestUser;
  let staff: TestUser;

  beforeAll(async () => {
    a = await startTestApp(NAME);
    b = await startTestApp(NAME, { reuseDatabase: true });
    admin = await createUser(a, ['admin']);
    staff = await createUser(a, ['staff']);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const reserve = (t: TestApp, user: TestUser, quantity: number, productId: string, ttlSeconds?: number) =>
    t
      .http()
      .post('/api/v1/inventory/reservations')
      .set(user.auth)
      .send({ items: [{ productId, quantity }], ...(ttlSeconds ? { ttlSeconds } : {}) });

  it('20 concurrent reservations by one customer on two instances: exactly 5 succeed, the rest 409 reservation_limit', async () => {
    const product = await createProduct(a, staff, { initialStock: 1000 });
    const customer = await createUser(a);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => reserve(i % 2 ? a : b, customer, 1, product.id)),
    );
    const statuses = responses.map((res) => res.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    for (const res of responses.filter((r) => r.status === 409)) {
      expect(res.body).toMatchObject({ status: 409, code: 'reservation_limit' });
    }
    expect(await stockOf(a, product.id)).toEqual({ onHand: 1000, reserved: 5 });
    // Another customer is not affected by this one's limit.
    await reserve(a, await createUser(a), 1, product.id).expect(201);
    await expectReconciled(a, admin);
  });

  it('a released or expired reservation frees its slot', async () => {
    const product = await createProduct(a, staff, { initialStock: 100 });
    const customer = await createUser(a);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await reserve(a, customer, 1, product.id).expect(201)).body.id);
    ids.push((await reserve(a, customer, 1, product.id, 1).expect(201)).body.id);
    await reserve(a, customer, 1, product.id).expect(409);
    await a.http().post(`/api/v1/inventory/reservations/${ids[0]}/release`).set(customer.auth).expect(200);
    await reserve(a, customer, 1, product.id).expect(201);
    await reserve(a, customer, 1, product.id).expect(409);
    // Past its expiresAt a reservation no longer counts, even before the sweeper has run.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await reserve(b, customer, 1, product.id).expect(201);
  });

  it('quantity per item ≤ 10 and ttlSeconds ≤ 1800 for customers; staff and admin are not limited', async () => {
    const product = await createProduct(a, staff, { initialStock: 1000 });
    const customer = await createUser(a);
    const tooMany = await reserve(a, customer, 11, product.id).expect(409);
    expect(tooMany.body.code).toBe('reservation_limit');
    // Quantities of the same product given twice are summed before the check.
    const merged = await a
      .http()
      .post('/api/v1/inventory/reservations')
      .set(customer.auth)
      .send({
        items: [
          { productId: product.id, quantity: 6 },
          { productId: product.id, quantity: 5 },
        ],
      })
      .expect(409);
    expect(merged.body.code).toBe('reservation_limit');
    const longTtl = await reserve(a, customer, 1, product.id, 1801).expect(409);
    expect(longTtl.body.code).toBe('reservation_limit');
    await reserve(a, customer, 10, product.id, 1800).expect(201);
    expect(await stockOf(a, product.id)).toEqual({ onHand: 1000, reserved: 10 });

    await reserve(a, staff, 500, product.id, 86_400).expect(201);
    for (let i = 0; i < 6; i++) await reserve(a, admin, 11, product.id).expect(201);
  });

  it('commit is for staff and admin: the owning customer gets 403 and the stock stays reserved', async () => {
    const product = await createProduct(a, staff, { initialStock: 5 });
    const customer = await createUser(a);
    const created = await reserve(a, customer, 2, product.id).expect(201);
    const refused = await a
      .http()
      .post(`/api/v1/inventory/reservations/${created.body.id}/commit`)
      .set(customer.auth)
      .expect(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(await stockOf(a, product.id)).toEqual({ onHand: 5, reserved: 2 });
    await a.http().post(`/api/v1/inventory/reservations/${created.body.id}/commit`).set(staff.auth).expect(200);
    expect(await stockOf(a, product.id)).toEqual({ onHand: 3, reserved: 0 });
  });
});
