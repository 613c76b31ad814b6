import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Response } from 'supertest';
import { ReservationExpiryJob } from '../src/modules/inventory/jobs/reservation-expiry.job.js';
import { PAYMENT_GATEWAY, PaymentFaults, type PaymentGateway, PaymentIntents } from '../src/modules/payments/index.js';
import { createProduct, expectReconciled, stockOf } from './support/inventory.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

const NAME = 'orders';

function statusCounts(responses: Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const res of responses) counts[res.status] = (counts[res.status] ?? 0) + 1;
  return counts;
}

describe('orders (two instances, one MySQL and Redis)', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: TestUser;
  let staff: TestUser;
  let charges: ReturnType<typeof jest.spyOn>[];

  beforeAll(async () => {
    a = await startTestApp(NAME);
    b = await startTestApp(NAME, { reuseDatabase: true });
    admin = await createUser(a, ['admin']);
    staff = await createUser(a, ['staff']);
    // Every charge sent to either instance's gateway is counted.
    charges = [a, b].map((t) => jest.spyOn(t.app.get<PaymentGateway>(PAYMENT_GATEWAY), 'charge'));
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const chargesFor = (orderId: string) =>
    charges
      .flatMap((spy) => spy.mock.calls)
      .filter(([request]) => (request as { idempotencyKey: string }).idempotencyKey === `order:${orderId}`);
  const chargeCount = () => charges.reduce((n, spy) => n + spy.mock.calls.length, 0);

  const reserve = async (
    t: TestApp,
    user: TestUser,
    items: { productId: string; quantity: number }[],
    ttlSeconds?: number,
  ) =>
    (
      await t
        .http()
        .post('/api/v1/inventory/reservations')
        .set(user.auth)
        .send({ items, ...(ttlSeconds ? { ttlSeconds } : {}) })
        .expect(201)
    ).body as { id: string };

  const order = (t: TestApp, user: TestUser, reservationId: string, paymentMethod = 'pm_card_ok') =>
    t.http().post('/api/v1/orders').set(user.auth).send({ reservationId, paymentMethod });

  const reservationStatus = async (id: string) =>
    ((await a.dataSource.query('SELECT status FROM reservations WHERE id = ?', [id])) as { status: string }[])[0]
      .status;

  it('checkout: prices the reservation at current prices, charges once, commits it; owner/staff see it, others 404', async () => {
    const p1 = await createProduct(a, staff, { initialStock: 10, priceCents: 1250 });
    const p2 = await createProduct(a, staff, { initialStock: 5, priceCents: 300 });
    const customer = await createUser(a);
    const reservation = await reserve(a, customer, [
      { productId: p1.id, quantity: 2 },
      { productId: p2.id, quantity: 3 },
    ]);
    // The price at checkout counts, not the one at reservation time.
    await a.http().patch(`/api/v1/products/${p2.id}`).set(staff.auth).send({ priceCents: 400 }).expect(200);
    const res = await order(b, customer, reservation.id).expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      userId: customer.id,
      reservationId: reservation.id,
      status: 'paid',
      totalCents: 2 * 1250 + 3 * 400,
      refundedCents: 0,
      currency: 'EUR',
      lines: expect.arrayContaining([
        { productId: p1.id, quantity: 2, unitPriceCents: 1250 },
        { productId: p2.id, quantity: 3, unitPriceCents: 400 },
      ]),
      createdAt: expect.any(String),
    });
    expect(res.body.lines).toHaveLength(2);
    expect(chargesFor(res.body.id)).toHaveLength(1);
    expect(await reservationStatus(reservation.id)).toBe('committed');
    expect(await stockOf(a, p1.id)).toEqual({ onHand: 8, reserved: 0 });
    expect(await stockOf(a, p2.id)).toEqual({ onHand: 2, reserved: 0 });
    // Both instances' catalogues show the stock that left.
    expect((await a.http().get(`/api/v1/products/${p1.id}`).expect(200)).body.stock.onHand).toBe(8);

    const other = await createUser(a);
    await a.http().get(`/api/v1/orders/${res.body.id}`).set(customer.auth).expect(200);
    await a.http().get(`/api/v1/orders/${res.body.id}`).set(staff.auth).expect(200);
    const hidden = await a.http().get(`/api/v1/orders/${res.body.id}`).set(other.auth).expect(404);
    expect(JSON.stringify(hidden.body)).not.toContain(customer.id);
    expect((await a.http().get('/api/v1/orders').set(other.auth).expect(200)).body).toEqual({
      data: [],
      nextCursor: null,
    });
    const own = await a.http().get('/api/v1/orders').set(customer.auth).expect(200);
    expect(own.body.data.map((o: { id: string }) => o.id)).toEqual([res.body.id]);
    const filtered = await a.http().get(`/api/v1/orders?userId=${customer.id}`).set(staff.auth).expect(200);
    expect(filtered.body.data.map((o: { id: string }) => o.id)).toEqual([res.body.id]);
    // The reservation's owner only: staff cannot pay for someone else's reservation either.
    const another = await reserve(a, customer, [{ productId: p1.id, quantity: 1 }]);
    await order(a, staff, another.id).expect(404);
    await a.http().post(`/api/v1/inventory/reservations/${another.id}/release`).set(customer.auth).expect(200);
    const [event] = await a.dataSource.query(
      `SELECT actor_id, outcome FROM audit_events WHERE action = 'order.create' AND entity_id = ?`,
      [res.body.id],
    );
    expect(event).toEqual({ actor_id: customer.id, outcome: 'success' });
    await expectReconciled(a, admin);
  });

  it("someone else's reservation is 404; expired or released is 409 and charges nothing", async () => {
    const product = await createProduct(a, staff, { initialStock: 10 });
    const owner = await createUser(a);
    const other = await createUser(a);
    const mine = await reserve(a, owner, [{ productId: product.id, quantity: 1 }]);
    const before = chargeCount();
    await order(a, other, mine.id).expect(404);
    const released = await reserve(a, owner, [{ productId: product.id, quantity: 1 }]);
    await a.http().post(`/api/v1/inventory/reservations/${released.id}/release`).set(owner.auth).expect(200);
    const res = await order(a, owner, released.id).expect(409);
    expect(res.body.code).toBe('reservation_not_pending');
    const expiring = await reserve(a, owner, [{ productId: product.id, quantity: 1 }], 1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await order(a, owner, expiring.id).expect(409)).body.reservationStatus).toBe('expired');
    expect(chargeCount()).toBe(before);
  });

  it('decline: 402, the reservation stays pending, stock untouched; paying again with a good card works', async () => {
    const product = await createProduct(a, staff, { initialStock: 4, priceCents: 999 });
    const customer = await createUser(a);
    const reservation = await reserve(a, customer, [{ productId: product.id, quantity: 2 }]);
    const declined = await order(a, customer, reservation.id, 'pm_card_declined').expect(402);
    expect(declined.body).toMatchObject({ code: 'payment_declined', status: 402 });
    expect(await reservationStatus(reservation.id)).toBe('pending');
    expect(await stockOf(a, product.id)).toEqual({ onHand: 4, reserved: 2 });
    expect((await a.http().get('/api/v1/orders').set(customer.auth).expect(200)).body.data).toEqual([]);
    const paid = await order(b, customer, reservation.id).expect(201);
    expect(paid.body.totalCents).toBe(1998);
    expect(await stockOf(a, product.id)).toEqual({ onHand: 2, reserved: 0 });
    await expectReconciled(a, admin);
  });

  it('20 concurrent orders for one reservation on two instances: exactly one 201 and one charge', async () => {
    const product = await createProduct(a, staff, { initialStock: 10 });
    const customer = await createUser(a);
    const reservation = await reserve(a, customer, [{ productId: product.id, quantity: 3 }]);
    const before = chargeCount();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => order(i % 2 ? a : b, customer, reservation.id)),
    );
    expect(statusCounts(responses)).toEqual({ 201: 1, 409: 19 });
    expect(chargeCount() - before).toBe(1);
    const [{ n }] = await a.dataSource.query('SELECT COUNT(*) AS n FROM orders WHERE reservation_id = ?', [
      reservation.id,
    ]);
    expect(Number(n)).toBe(1);
    expect(await stockOf(a, product.id)).toEqual({ onHand: 7, reserved: 0 });
  });

  it('20 concurrent retries with one Idempotency-Key: one charge, every answer is the 201 or a 409 in progress', async () => {
    const product = await createProduct(a, staff, { initialStock: 10 });
    const customer = await createUser(a);
    const reservation = await reserve(a, customer, [{ productId: product.id, quantity: 1 }]);
    const before = chargeCount();
    const send = (t: TestApp) =>
      t
        .http()
        .post('/api/v1/orders')
        .set(customer.auth)
        .set('Idempotency-Key', `order-${reservation.id}`)
        .send({ reservationId: reservation.id, paymentMethod: 'pm_card_ok' });
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => send(i % 2 ? a : b)));
    const created = responses.filter((res) => res.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((res) => res.body.id)).size).toBe(1);
    for (const res of responses) expect([201, 409]).toContain(res.status);
    expect(chargeCount() - before).toBe(1);
    const replay = await send(a).expect(201);
    expect(replay.body).toEqual(created[0].body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });

  it('an order racing the reservation expiry: exactly one of paid / expired, stock consistent', async () => {
    const product = await createProduct(a, staff, { initialStock: 100 });
    const customer = await createUser(a);
    const sweepers = [a.app.get(ReservationExpiryJob), b.app.get(ReservationExpiryJob)];
    for (let round = 0; round < 8; round++) {
      const reservation = await reserve(a, customer, [{ productId: product.id, quantity: 1 }]);
      // For the sweeper the reservation is already due (a minute later).
      const before = chargeCount();
      const [res] = await Promise.all([
        order(round % 2 ? a : b, customer, reservation.id),
        sweepers[round % 2].expireDue(new Date(Date.now() + 60_000)),
      ]);
      // (The sweep may also expire other tests' reservations: the winner is read from this one's row.)
      if (res.status === 201) {
        expect(await reservationStatus(reservation.id)).toBe('committed');
        expect(chargeCount() - before).toBe(1);
      } else {
        expect(res.status).toBe(409);
        expect(await reservationStatus(reservation.id)).toBe('expired');
        expect(chargeCount()).toBe(before);
      }
    }
    expect((await stockOf(a, product.id)).reserved).toBe(0);
    await expectReconciled(a, admin);
  });

  it('an interrupted checkout (charge outcome unknown) holds the reservation and is finished by the reconcile job', async () => {
    const product = await createProduct(a, staff, { initialStock: 5, priceCents: 700 });
    const customer = await createUser(a);
    const reservation = await reserve(a, customer, [{ productId: product.id, quantity: 1 }]);
    charges[0].mockRejectedValueOnce(new Error('gateway timeout'));
    const res = await order(a, customer, reservation.id).expect(503);
    expect(res.body.code).toBe('payment_gateway_unavailable');
    // Held: neither the owner, nor staff, nor the sweeper can end it meanwhile; a second order is 409.
    const release = await a
      .http()
      .post(`/api/v1/inventory/reservations/${reservation.id}/release`)
      .set(customer.auth)
      .expect(409);
    expect(release.body.code).toBe('checkout_in_progress');
    expect((await order(b, customer, reservation.id).expect(409)).body.code).toBe('checkout_in_progress');
    await a.app.get(ReservationExpiryJob).expireDue(new Date(Date.now() + 3_600_000));
    expect(await reservationStatus(reservation.id)).toBe('pending');
    // The payments reconcile job (on the other instance) charges it and calls the orders applier.
    expect(await b.app.get(PaymentIntents).reconcile(0)).toBeGreaterThanOrEqual(1);
    expect(await reservationStatus(reservation.id)).toBe('committed');
    const list = await a.http().get('/api/v1/orders').set(customer.auth).expect(200);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({ status: 'paid', totalCents: 700 });
    expect(await stockOf(a, product.id)).toEqual({ onHand: 4, reserved: 0 });
    await expectReconciled(a, admin);
  });

  it('a crash after the charge (its outcome never recorded) is finished by the reconcile job: paid once, never charged twice', async () => {
    const product = await createProduct(a, staff, { initialStock: 5, priceCents: 900 });
    const customer = await createUser(a);
    const reservation = await reserve(a, customer, [{ productId: product.id, quantity: 2 }]);
    const before = chargeCount();
    a.app.get(PaymentFaults).failNextApplies = 1;
    const res = await order(a, customer, reservation.id);
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(chargeCount() - before).toBe(1);
    expect(await reservationStatus(reservation.id)).toBe('pending');
    expect((await a.http().get('/api/v1/orders').set(customer.auth).expect(200)).body.data).toEqual([]);
    // The reconcile job asks the gateway what happened to the key (charged) and applies it: no new charge.
    expect(await a.app.get(PaymentIntents).reconcile(0)).toBeGreaterThanOrEqual(1);
    expect(chargeCount() - before).toBe(1);
    expect(await reservationStatus(reservation.id)).toBe('committed');
    const list = await a.http().get('/api/v1/orders').set(customer.auth).expect(200);
    expect(list.body.data).toEqual([expect.objectContaining({ status: 'paid', totalCents: 1800 })]);
    expect(await stockOf(a, product.id)).toEqual({ onHand: 3, reserved: 0 });
    await expectReconciled(a, admin);
  });

  describe('refunds', () => {
    const refund = (t: TestApp, user: TestUser, id: string, body: Record<string, unknown>) =>
      t.http().post(`/api/v1/orders/${id}/refund`).set(user.auth).send(body);

    const paidOrder = async (stock = 10, quantity = 2, priceCents = 500) => {
      const product = await createProduct(a, staff, { initialStock: stock, priceCents });
      const customer = await createUser(a);
      const reservation = await reserve(a, customer, [{ productId: product.id, quantity }]);
      const res = await order(a, customer, reservation.id).expect(201);
      return { product, customer, order: res.body as { id: string; totalCents: number } };
    };

    it('full refund with restock: refunded, stock back with return movements, ledger reconciles, audited', async () => {
      const { product, customer, order: o } = await paidOrder(10, 2, 500);
      await refund(a, customer, o.id, { restock: true }).expect(403);
      const res = await refund(b, staff, o.id, { restock: true }).expect(200);
      expect(res.body).toMatchObject({ id: o.id, status: 'refunded', totalCents: 1000, refundedCents: 1000 });
      expect(await stockOf(a, product.id)).toEqual({ onHand: 10, reserved: 0 });
      const movements = await a.dataSource.query(
        `SELECT kind, delta_on_hand FROM stock_movements WHERE product_id = ? AND kind = 'return'`,
        [product.id],
      );
      expect(movements).toEqual([{ kind: 'return', delta_on_hand: 2 }]);
      expect((await a.http().get(`/api/v1/products/${product.id}`).expect(200)).body.stock.onHand).toBe(10);
      const events = await a.dataSource.query(`SELECT action FROM audit_events WHERE entity_id = ? ORDER BY id`, [
        o.id,
      ]);
      expect(events.map((e: { action: string }) => e.action)).toEqual(['order.create', 'order.refund']);
      expect((await refund(a, staff, o.id, { restock: true }).expect(409)).body.code).toBe('refund_exceeds_remaining');
      await expectReconciled(a, admin);
    });

    it('partial refunds up to the total, then 409; restock happens once', async () => {
      const { product, order: o } = await paidOrder(10, 1, 1000);
      const first = await refund(a, admin, o.id, { amountCents: 300, restock: false }).expect(200);
      expect(first.body).toMatchObject({ status: 'partially_refunded', refundedCents: 300 });
      await refund(a, admin, o.id, { amountCents: 701, restock: false }).expect(409);
      const second = await refund(a, admin, o.id, { amountCents: 200, restock: true }).expect(200);
      expect(second.body).toMatchObject({ status: 'partially_refunded', refundedCents: 500 });
      expect(await stockOf(a, product.id)).toEqual({ onHand: 10, reserved: 0 });
      const rest = await refund(a, admin, o.id, { restock: true }).expect(200);
      expect(rest.body).toMatchObject({ status: 'refunded', refundedCents: 1000 });
      expect(await stockOf(a, product.id)).toEqual({ onHand: 10, reserved: 0 });
      await expectReconciled(a, admin);
    });

    it('two concurrent full refunds on two instances: one 200, one 409; refunded never exceeds the total', async () => {
      for (let round = 0; round < 3; round++) {
        const { product, order: o } = await paidOrder(10, 3, 250);
        const responses = await Promise.all([
          refund(a, staff, o.id, { restock: true }),
          refund(b, admin, o.id, { restock: true }),
        ]);
        expect(statusCounts(responses)).toEqual({ 200: 1, 409: 1 });
        const [row] = await a.dataSource.query('SELECT refunded_cents, status FROM orders WHERE id = ?', [o.id]);
        expect(row).toEqual({ refunded_cents: 750, status: 'refunded' });
        expect(await stockOf(a, product.id)).toEqual({ onHand: 10, reserved: 0 });
      }
      await expectReconciled(a, admin);
    });

    it('unknown order is 404', async () => {
      await refund(a, staff, '0190a000-0000-7000-8000-000000000000', { restock: false }).expect(404);
    });
  });
});
