import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '../src/common/ids.js';
import { TransactionService } from '../src/infrastructure/database/transaction.service.js';
import { AuditService } from '../src/modules/audit/services/audit.service.js';
import {
  PAYMENT_GATEWAY,
  PaymentFaults,
  PaymentIntents,
  type SimulatedPaymentGateway,
} from '../src/modules/payments/index.js';
import { createProduct } from './support/inventory.js';
import { countRows, createPlan, runRenewals, subscribe } from './support/subscriptions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

/** Issue 11: what must hold whatever a customer does (API.md "Rules that hold whatever a customer does"). */
describe('subscriptions: billing integrity', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp('subscriptions_integrity');
    admin = await createUser(t, ['admin']);
  });
  afterAll(() => t.close());

  const product = async (initialStock: number) => (await createProduct(t, admin, { priceCents: 100, initialStock })).id;
  const getSub = async (user: TestUser, id: string) =>
    (await t.http().get(`/api/v1/subscriptions/${id}`).set(user.auth).expect(200)).body;
  /** Allocation movements of a subscription: its first shipment and those of its renewal invoices. */
  const allocations = (subscriptionId: string) =>
    countRows(
      t,
      `SELECT COUNT(*) FROM stock_movements m WHERE m.kind = 'allocation' AND (m.reference_id = ?
         OR m.reference_id IN (SELECT id FROM invoices WHERE subscription_id = ?))`,
      [subscriptionId, subscriptionId],
    );
  const charged = (subscriptionId: string) =>
    countRows(
      t,
      "SELECT COALESCE(SUM(amount_cents), 0) FROM payment_attempts WHERE subscription_id = ? AND status = 'succeeded'",
      [subscriptionId],
    );

  it('1. switching monthly ↔ yearly ten times ships nothing and gives back only what was paid', async () => {
    const box = await product(100);
    const items = [{ productId: box, quantity: 1 }];
    const monthly = await createPlan(t, admin, { priceCents: 1000, interval: 'month', items });
    const yearly = await createPlan(t, admin, { priceCents: 9001, interval: 'year', items });
    const user = await createUser(t);
    const sub = (await subscribe(t, user, yearly.id).expect(201)).body;
    for (let i = 0; i < 10; i++) {
      const to = i % 2 === 0 ? monthly.id : yearly.id;
      await t
        .http()
        .post(`/api/v1/subscriptions/${sub.id}/change-plan`)
        .set(user.auth)
        .send({ planId: to })
        .expect(200);
    }
    expect(await allocations(sub.id)).toBe(1); // one paid period: the subscribe
    const after = await getSub(user, sub.id);
    // Total charged covers everything the customer holds: the periods bought, less the credit left.
    expect(await charged(sub.id)).toBeGreaterThanOrEqual(9001);
    expect(after.creditCents).toBeLessThanOrEqual(await charged(sub.id));
  });

  it('2. one trial per customer and plan: subscribing again is charged at once', async () => {
    const plan = await createPlan(t, admin, { trialDays: 14, priceCents: 700 });
    const user = await createUser(t);
    const first = (await subscribe(t, user, plan.id).expect(201)).body;
    expect(first.status).toBe('trialing');
    await t
      .http()
      .post(`/api/v1/subscriptions/${first.id}/cancel`)
      .set(user.auth)
      .send({ atPeriodEnd: false })
      .expect(200);
    const second = (await subscribe(t, user, plan.id).expect(201)).body;
    expect(second).toMatchObject({ status: 'active', trialEnd: null });
    expect(await charged(second.id)).toBe(700);
    // Another customer still gets the trial.
    expect((await subscribe(t, await createUser(t), plan.id).expect(201)).body.status).toBe('trialing');
  });

  it('3. out of stock at renewal: not charged, not dunned, awaiting stock, renewed once restocked', async () => {
    const box = await product(1);
    const plan = await createPlan(t, admin, { items: [{ productId: box, quantity: 1 }] });
    const user = await createUser(t);
    const sub = (await subscribe(t, user, plan.id).expect(201)).body;
    const due = new Date(new Date(sub.currentPeriodEnd).getTime() + 60_000);
    for (let run = 0; run < 5; run++) await runRenewals(t, admin, due);
    const waiting = await getSub(user, sub.id);
    expect(waiting).toMatchObject({ status: 'active', currentPeriodEnd: sub.currentPeriodEnd });
    expect(await countRows(t, 'SELECT COUNT(*) FROM payment_attempts WHERE subscription_id = ?', [sub.id])).toBe(1);
    expect(await countRows(t, 'SELECT failed_attempts FROM subscriptions WHERE id = ?', [sub.id])).toBe(0);
    const summary = (await t.http().get('/api/v1/billing/summary').set(admin.auth).expect(200)).body;
    expect(summary.awaitingStockSubscriptions).toBeGreaterThanOrEqual(1);

    await t
      .http()
      .post('/api/v1/inventory/adjustments')
      .set(admin.auth)
      .send({ productId: box, delta: 1, reason: 'restock' })
      .expect(201);
    await runRenewals(t, admin, due);
    const renewed = await getSub(user, sub.id);
    expect(renewed.status).toBe('active');
    expect(renewed.currentPeriodStart).toBe(sub.currentPeriodEnd);
    expect(await allocations(sub.id)).toBe(2);
  });

  it('4. period ends keep their day of month: Jan 31 → Feb 28 → Mar 31 → Apr 30', async () => {
    const plan = await createPlan(t, admin, { priceCents: 500 });
    const user = await createUser(t);
    const sub = (await subscribe(t, user, plan.id).expect(201)).body;
    await t.dataSource.query(
      'UPDATE subscriptions SET billing_anchor = ?, current_period_start = ?, current_period_end = ? WHERE id = ?',
      [new Date('2031-01-31T10:00:00Z'), new Date('2031-01-31T10:00:00Z'), new Date('2031-02-28T10:00:00Z'), sub.id],
    );
    const ends: string[] = [];
    for (const asOf of ['2031-03-01T00:00:00Z', '2031-04-01T00:00:00Z', '2031-05-01T00:00:00Z']) {
      await runRenewals(t, admin, new Date(asOf));
      ends.push((await getSub(user, sub.id)).currentPeriodEnd.slice(0, 10));
    }
    expect(ends).toEqual(['2031-03-31', '2031-04-30', '2031-05-31']);
  });

  it('5. the second transaction of a subscribe fails: the charge is kept, applied once by reconcile', async () => {
    const plan = await createPlan(t, admin, { priceCents: 1234 });
    const user = await createUser(t);
    const gateway = t.app.get<SimulatedPaymentGateway>(PAYMENT_GATEWAY);
    const before = gateway.charges;
    t.app.get(PaymentFaults).failNextApplies = 1;
    const res = await subscribe(t, user, plan.id);
    expect(res.status).toBe(500);
    expect(gateway.charges).toBe(before + 1);
    const [row] = await t.dataSource.query('SELECT id, status FROM subscriptions WHERE user_id = ?', [user.id]);
    expect(row.status).toBe('incomplete');
    await t.app.get(PaymentIntents).reconcile(0);
    expect((await getSub(user, row.id)).status).toBe('active');
    expect(gateway.charges).toBe(before + 1);
    expect(await charged(row.id)).toBe(1234);
  });

  it('6. after a subscribe returns, no read serves the entitlements from before it', async () => {
    const plan = await createPlan(t, admin, { features: [`f-${randomUUID().slice(0, 6)}`] });
    for (let round = 0; round < 3; round++) {
      const user = await createUser(t);
      const read = () => t.http().get('/api/v1/subscriptions/me/entitlements').set(user.auth);
      const racing = Array.from({ length: 10 }, () => read());
      await subscribe(t, user, plan.id).expect(201);
      await Promise.all(racing);
      for (let i = 0; i < 5; i++) expect((await read().expect(200)).body.features).toEqual(plan.features);
    }
  });

  it('8. AuditService.recordMany writes every event in the caller’s transaction, or none', async () => {
    const audit = t.app.get(AuditService);
    const entityId = newId();
    const entries = [1, 2, 3].map((n) => ({
      action: 'subscription.cancel',
      entityType: 'subscription',
      entityId,
      changes: { n, password: 'secret' },
    }));
    // Its own id (not derived from entityId: a derived one can equal it, 1 time in 16).
    const rolledBackId = newId();
    const tx = t.app.get(TransactionService);
    await tx.run((manager) => audit.recordMany(manager, entries));
    const rows = await t.dataSource.query('SELECT changes FROM audit_events WHERE entity_id = ? ORDER BY id', [
      entityId,
    ]);
    expect(rows.map((r: { changes: string }) => JSON.parse(r.changes).n)).toEqual([1, 2, 3]);
    expect(rows.every((r: { changes: string }) => !r.changes.includes('secret'))).toBe(true);
    await expect(
      tx.run(async (manager) => {
        await audit.recordMany(
          manager,
          entries.map((e) => ({ ...e, entityId: rolledBackId })),
        );
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await countRows(t, 'SELECT COUNT(*) FROM audit_events WHERE entity_id = ?', [rolledBackId])).toBe(0);
  });
});

describe('subscriptions: renewal asOf bound (BILLING_TEST_CLOCK off)', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp('subscriptions_asof', { env: { BILLING_TEST_CLOCK: 'false' } });
    admin = await createUser(t, ['admin']);
  });
  afterAll(() => t.close());

  it('7. asOf later than now + 5 minutes is 400; within it runs', async () => {
    const run = (asOf: Date) =>
      t.http().post('/api/v1/billing/renewals/run').set(admin.auth).send({ asOf: asOf.toISOString() });
    const res = await run(new Date(Date.now() + 3_600_000)).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'asOf' })]);
    await run(new Date(Date.now() + 60_000)).expect(200);
  });
});
