import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { InvalidationBus } from '../src/infrastructure/cache/invalidation-bus.service.js';
import { TransactionService } from '../src/infrastructure/database/transaction.service.js';
import { ReservationExpiryJob } from '../src/modules/inventory/jobs/reservation-expiry.job.js';
import { StockAllocationService } from '../src/modules/inventory/services/stock-allocation.service.js';
import { DomainError } from '../src/common/errors/domain-error.js';
import { createProduct, expectReconciled, stockOf } from './support/inventory.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

const NAME = 'inventory_concurrency';

function statusCounts(responses: Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const res of responses) counts[res.status] = (counts[res.status] ?? 0) + 1;
  return counts;
}

describe('inventory under concurrency (two instances, one MySQL and Redis)', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: TestUser;
  let staff: TestUser;
  let customers: TestUser[];

  beforeAll(async () => {
    a = await startTestApp(NAME);
    b = await startTestApp(NAME, { reuseDatabase: true });
    admin = await createUser(a, ['admin']);
    staff = await createUser(a, ['staff']);
    customers = await Promise.all(Array.from({ length: 40 }, () => createUser(a, ['customer'])));
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const reserve = (t: TestApp, user: TestUser, items: { productId: string; quantity: number }[], ttlSeconds?: number) =>
    t
      .http()
      .post('/api/v1/inventory/reservations')
      .set(user.auth)
      .send({ items, ...(ttlSeconds ? { ttlSeconds } : {}) });

  it('200 concurrent single-unit reservations on stock 25: exactly 25 succeed, the rest 409, no 5xx', async () => {
    const product = await createProduct(a, staff, { initialStock: 25 });
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        reserve(i % 2 ? a : b, customers[i % customers.length], [{ productId: product.id, quantity: 1 }]),
      ),
    );
    expect(statusCounts(responses)).toEqual({ 201: 25, 409: 175 });
    for (const res of responses.filter((r) => r.status === 409)) {
      expect(res.body.code).toBe('out_of_stock');
      expect(res.body.items).toEqual([{ productId: product.id, requested: 1, available: 0 }]);
    }
    expect(await stockOf(a, product.id)).toEqual({ onHand: 25, reserved: 25 });
    const [{ n }] = await a.dataSource.query(
      `SELECT COUNT(*) AS n FROM stock_movements WHERE product_id = ? AND kind = 'reservation'`,
      [product.id],
    );
    expect(Number(n)).toBe(25);
    // Both instances show the final stock (caches invalidated everywhere).
    for (const t of [a, b]) {
      const res = await t.http().get(`/api/v1/products/${product.id}`).expect(200);
      expect(res.body.stock).toEqual({ onHand: 25, reserved: 25, available: 0 });
    }
    await expectReconciled(a, admin);
  });

  it('commit vs release vs expiry racing on one reservation: exactly one wins, stock moves once', async () => {
    const product = await createProduct(a, staff, { initialStock: 100 });
    const owner = customers[0];
    const sweepers = [a.app.get(ReservationExpiryJob), b.app.get(ReservationExpiryJob)];
    for (let round = 0; round < 12; round++) {
      const created = await reserve(a, owner, [{ productId: product.id, quantity: 2 }]).expect(201);
      const id: string = created.body.id;
      // The sweeper is told it is a minute later, so for it the reservation is due.
      const later = new Date(Date.now() + 60_000);
      const [commit, release, expired] = await Promise.all([
        (round % 2 ? a : b).http().post(`/api/v1/inventory/reservations/${id}/commit`).set(staff.auth),
        (round % 2 ? b : a).http().post(`/api/v1/inventory/reservations/${id}/release`).set(owner.auth),
        sweepers[round % 2].expireDue(later),
      ]);
      const winners = [commit.status === 200, release.status === 200, expired === 1].filter(Boolean);
      expect(winners).toHaveLength(1);
      for (const res of [commit, release]) expect([200, 409]).toContain(res.status);
      const [row] = await a.dataSource.query('SELECT status FROM reservations WHERE id = ?', [id]);
      const expected = commit.status === 200 ? 'committed' : release.status === 200 ? 'released' : 'expired';
      expect(row.status).toBe(expected);
      const events = await a.dataSource.query('SELECT action FROM audit_events WHERE entity_id = ?', [id]);
      expect(events).toHaveLength(2);
    }
    expect((await stockOf(a, product.id)).reserved).toBe(0);
    await expectReconciled(a, admin);
  });

  it('50 concurrent +1 adjustments on two instances: exactly +50', async () => {
    const product = await createProduct(a, staff, { initialStock: 3 });
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? a : b)
          .http()
          .post('/api/v1/inventory/adjustments')
          .set(staff.auth)
          .send({ productId: product.id, delta: 1, reason: `count ${i}` }),
      ),
    );
    expect(statusCounts(responses)).toEqual({ 201: 50 });
    expect(await stockOf(a, product.id)).toEqual({ onHand: 53, reserved: 0 });
    const res = await b.http().get(`/api/v1/products/${product.id}`).expect(200);
    expect(res.body.stock.onHand).toBe(53);
    await expectReconciled(a, admin);
  });

  it('multi-item reservations in opposite orders, committed and released concurrently: no deadlock reaches a client', async () => {
    const products = await Promise.all([0, 1, 2].map(() => createProduct(a, staff, { initialStock: 1000 })));
    const forward = products.map((p) => ({ productId: p.id, quantity: 1 }));
    const backward = [...forward].reverse();
    const created = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        reserve(i % 2 ? a : b, customers[i % customers.length], i % 2 ? forward : backward),
      ),
    );
    expect(statusCounts(created)).toEqual({ 201: 60 });
    const endings = await Promise.all(
      created.map((res, i) =>
        (i % 2 ? b : a)
          .http()
          .post(`/api/v1/inventory/reservations/${res.body.id}/${i % 3 ? 'commit' : 'release'}`)
          // Commit is staff-only; release is the owner's.
          .set(i % 3 ? staff.auth : customers[i % customers.length].auth),
      ),
    );
    expect(statusCounts(endings)).toEqual({ 200: 60 });
    const commits = created.filter((_, i) => i % 3 !== 0).length;
    for (const p of products) expect(await stockOf(a, p.id)).toEqual({ onHand: 1000 - commits, reserved: 0 });
    await expectReconciled(a, admin);
  });

  it('ttlSeconds 1 + two sweepers on two instances at once: each expires once, stock returned once', async () => {
    const product = await createProduct(a, staff, { initialStock: 10 });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push((await reserve(a, customers[i], [{ productId: product.id, quantity: 1 }], 1).expect(201)).body.id);
    }
    expect(await stockOf(a, product.id)).toEqual({ onHand: 10, reserved: 6 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const [first, second] = await Promise.all([
      a.app.get(ReservationExpiryJob).expireDue(),
      b.app.get(ReservationExpiryJob).expireDue(),
    ]);
    expect(first + second).toBeGreaterThanOrEqual(6);
    const statuses = await a.dataSource.query(
      `SELECT status, COUNT(*) AS n FROM reservations WHERE id IN (${ids.map(() => '?').join(',')}) GROUP BY status`,
      ids,
    );
    expect(statuses.map((r: { status: string; n: number }) => [r.status, Number(r.n)])).toEqual([['expired', 6]]);
    expect(await stockOf(a, product.id)).toEqual({ onHand: 10, reserved: 0 });
    const [{ n }] = await a.dataSource.query(
      `SELECT COUNT(*) AS n FROM stock_movements WHERE product_id = ? AND kind = 'expire'`,
      [product.id],
    );
    expect(Number(n)).toBe(6);
    const events = await a.dataSource.query(
      `SELECT actor_id FROM audit_events WHERE action = 'reservation.expire' AND entity_id IN (${ids.map(() => '?').join(',')})`,
      ids,
    );
    expect(events).toHaveLength(6);
    expect(new Set(events.map((e: { actor_id: string }) => e.actor_id))).toEqual(new Set(['system']));
    const read = await a.http().get(`/api/v1/inventory/reservations/${ids[0]}`).set(customers[0].auth).expect(200);
    expect(read.body.status).toBe('expired');
    await expectReconciled(a, admin);
  });

  it('StockAllocationService: concurrent allocations never oversell, all-or-nothing, 409 out_of_stock', async () => {
    const [p1, p2] = await Promise.all([
      createProduct(a, staff, { initialStock: 10 }),
      createProduct(a, staff, { initialStock: 100 }),
    ]);
    const allocation = a.app.get(StockAllocationService);
    const transactions = a.app.get(TransactionService);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        transactions.run((manager) =>
          allocation.allocate(
            manager,
            i % 2
              ? [
                  { productId: p1.id, quantity: 1 },
                  { productId: p2.id, quantity: 1 },
                ]
              : [
                  { productId: p2.id, quantity: 1 },
                  { productId: p1.id, quantity: 1 },
                ],
            { type: 'subscription', id: `sub-${i}` },
          ),
        ),
      ),
    );
    await allocation.invalidate([p1.id, p2.id]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    for (const o of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
      expect(o.reason).toBeInstanceOf(DomainError);
      expect((o.reason as DomainError).status).toBe(409);
      expect((o.reason as DomainError).code).toBe('out_of_stock');
      expect((o.reason as DomainError).options.extra?.items).toEqual([
        { productId: p1.id, requested: 1, available: 0 },
      ]);
    }
    expect(await stockOf(a, p1.id)).toEqual({ onHand: 0, reserved: 0 });
    expect(await stockOf(a, p2.id)).toEqual({ onHand: 90, reserved: 0 });
    const res = await b.http().get(`/api/v1/products/${p2.id}`).expect(200);
    expect(res.body.stock.onHand).toBe(90);
    await expect(allocation.assertProductsExist([p1.id, 'nope'])).rejects.toMatchObject({
      status: 404,
      code: 'product_not_found',
    });
    await expect(allocation.assertProductsExist([p1.id, p2.id])).resolves.toBeUndefined();
    await expectReconciled(a, admin);
  });

  describe('cache coherence across instances', () => {
    it('read, write, read again: the new value on both instances, with warm caches', async () => {
      const product = await createProduct(a, staff, { initialStock: 5 });
      for (const t of [a, b]) {
        await t.http().get(`/api/v1/products/${product.id}`).expect(200);
        const warm = await t.http().get(`/api/v1/products/${product.id}`).expect(200);
        expect(warm.headers['x-query-count']).toBe('0');
      }
      await a.http().patch(`/api/v1/products/${product.id}`).set(staff.auth).send({ name: 'Renamed on A' }).expect(200);
      expect((await b.http().get(`/api/v1/products/${product.id}`).expect(200)).body.name).toBe('Renamed on A');
      await b
        .http()
        .post('/api/v1/inventory/adjustments')
        .set(staff.auth)
        .send({ productId: product.id, delta: 2, reason: 'on B' })
        .expect(201);
      expect((await a.http().get(`/api/v1/products/${product.id}`).expect(200)).body.stock.onHand).toBe(7);
      const reservation = await reserve(b, customers[1], [{ productId: product.id, quantity: 3 }]).expect(201);
      expect((await a.http().get(`/api/v1/products/${product.id}`).expect(200)).body.stock).toEqual({
        onHand: 7,
        reserved: 3,
        available: 4,
      });
      await a.http().post(`/api/v1/inventory/reservations/${reservation.body.id}/commit`).set(staff.auth).expect(200);
      expect((await b.http().get(`/api/v1/products/${product.id}`).expect(200)).body.stock).toEqual({
        onHand: 4,
        reserved: 0,
        available: 4,
      });
    });

    it("an invalidation has reached the other instance's near cache by the time invalidate() resolves", async () => {
      // Read-your-write across instances: the writer answers only after its invalidation is in the other
      // instances' sockets. Redis writes the PUBLISH reply before the subscribers' copies (CI once read the
      // old stock on B right after A's 201); 500 rounds made a late delivery show every time before the fix.
      const namespace = 'test:fence';
      const nearOnB = b.app.get(InvalidationBus).create<number>(namespace);
      const busA = a.app.get(InvalidationBus);
      let late = 0;
      for (let i = 0; i < 500; i++) {
        nearOnB.set('key', i, nearOnB.ticket());
        expect(nearOnB.get('key')).toBe(i);
        await busA.invalidate(namespace, ['key']);
        await new Promise((resolve) => setImmediate(resolve)); // one turn: less than any HTTP round trip
        if (nearOnB.get('key') !== undefined) late++;
      }
      expect(late).toBe(0);
    });

    it('list pages follow writes on the other instance', async () => {
      const product = await createProduct(a, staff, { sku: `COH-${Date.now()}`, initialStock: 1 });
      const q = { q: product.sku };
      expect((await b.http().get('/api/v1/products').query(q).expect(200)).body.data[0].stock.onHand).toBe(1);
      await a
        .http()
        .post('/api/v1/inventory/adjustments')
        .set(staff.auth)
        .send({ productId: product.id, delta: 9, reason: 'x' })
        .expect(201);
      expect((await b.http().get('/api/v1/products').query(q).expect(200)).body.data[0].stock.onHand).toBe(10);
    });

    it('interleaved writes and reads never leave a stale value behind', async () => {
      const product = await createProduct(a, staff, { initialStock: 0 });
      // Readers hammer both instances while writers adjust; afterwards every read must be current.
      const work: Promise<unknown>[] = [];
      for (let i = 0; i < 20; i++) {
        work.push(
          (i % 2 ? a : b)
            .http()
            .post('/api/v1/inventory/adjustments')
            .set(staff.auth)
            .send({ productId: product.id, delta: 1, reason: 'x' }),
        );
        for (const t of [a, b]) work.push(t.http().get(`/api/v1/products/${product.id}`));
      }
      await Promise.all(work);
      for (const t of [a, b]) {
        for (let i = 0; i < 3; i++) {
          expect((await t.http().get(`/api/v1/products/${product.id}`).expect(200)).body.stock.onHand).toBe(20);
        }
      }
    });
  });
});
