import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createProduct } from './support/inventory.js';
import { countRows, createPlan, runRenewals, subscribe } from './support/subscriptions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

/** Plans with items: stock is allocated through inventory's StockAllocationService, only when paid. */
describe('subscriptions: plan items and inventory', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp('subscriptions_items');
    admin = await createUser(t, ['admin']);
  });
  afterAll(() => t.close());

  const product = async (initialStock: number) => (await createProduct(t, admin, { priceCents: 100, initialStock })).id;
  const onHand = async (productId: string) =>
    (await t.http().get(`/api/v1/products/${productId}`).expect(200)).body.stock.onHand as number;

  it('plan creation checks the products exist', async () => {
    const res = await t
      .http()
      .post('/api/v1/plans')
      .set(admin.auth)
      .send({
        code: `bad-${randomUUID().slice(0, 6)}`,
        name: 'Bad',
        priceCents: 1,
        currency: 'EUR',
        interval: 'month',
        items: [{ productId: randomUUID(), quantity: 1 }],
      });
    expect(res.status).toBe(404);
    expect(await countRows(t, "SELECT COUNT(*) FROM plans WHERE name = 'Bad'")).toBe(0);
  });

  it('subscribe allocates the items with the paid first charge', async () => {
    const box = await product(10);
    const plan = await createPlan(t, admin, { items: [{ productId: box, quantity: 3 }] });
    const user = await createUser(t);
    const sub = (await subscribe(t, user, plan.id).expect(201)).body;
    expect(await onHand(box)).toBe(7);
    // The ledger names the subscription (inventory's API, not its tables, wrote it).
    const movements = await t.dataSource.query(
      "SELECT reference_type AS type, reference_id AS id FROM stock_movements WHERE product_id = ? AND reference_type = 'subscription' AND kind = 'allocation'",
      [box],
    );
    expect(movements).toEqual([{ type: 'subscription', id: sub.id }]);
  });

  it('out of stock → 409, nothing charged, no subscription kept', async () => {
    const box = await product(2);
    const plan = await createPlan(t, admin, { items: [{ productId: box, quantity: 3 }] });
    const user = await createUser(t);
    const res = await subscribe(t, user, plan.id).expect(409);
    expect(res.body.code).toBe('out_of_stock');
    expect(res.body.items).toEqual([expect.objectContaining({ productId: box })]);
    expect(await countRows(t, 'SELECT COUNT(*) FROM subscriptions WHERE user_id = ?', [user.id])).toBe(0);
    expect(await countRows(t, 'SELECT COUNT(*) FROM invoices WHERE user_id = ?', [user.id])).toBe(0);
    expect(
      await countRows(
        t,
        'SELECT COUNT(*) FROM payment_attempts p JOIN invoices i ON i.id = p.invoice_id WHERE i.user_id = ?',
        [user.id],
      ),
    ).toBe(0);
    expect(await onHand(box)).toBe(2);
  });

  it('a declined card takes no stock (402, incomplete)', async () => {
    const box = await product(5);
    const plan = await createPlan(t, admin, { items: [{ productId: box, quantity: 2 }] });
    const user = await createUser(t);
    const res = await subscribe(t, user, plan.id, 'pm_card_declined').expect(402);
    expect(await onHand(box)).toBe(5);
    const sub = await t.http().get(`/api/v1/subscriptions/${res.body.subscriptionId}`).set(user.auth).expect(200);
    expect(sub.body.status).toBe('incomplete');
  });

  it('trials ship nothing until the first charge at trial end', async () => {
    const box = await product(5);
    const plan = await createPlan(t, admin, { trialDays: 3, items: [{ productId: box, quantity: 1 }] });
    const user = await createUser(t);
    await subscribe(t, user, plan.id).expect(201);
    expect(await onHand(box)).toBe(5);
    await runRenewals(t, admin, new Date(Date.now() + 4 * 86_400_000));
    expect(await onHand(box)).toBe(4);
  });

  it('each renewal allocates; a failed renewal takes none; short stock at renewal charges nothing, dunns nothing', async () => {
    const box = await product(4);
    const plan = await createPlan(t, admin, { items: [{ productId: box, quantity: 2 }] });
    const ok = await createUser(t);
    const failing = await createUser(t);
    const okSub = (await subscribe(t, ok, plan.id).expect(201)).body;
    const failSub = (await subscribe(t, failing, plan.id, 'pm_card_fail_next').expect(201)).body;
    expect(await onHand(box)).toBe(0);
    const adjust = (delta: number) =>
      t
        .http()
        .post('/api/v1/inventory/adjustments')
        .set(admin.auth)
        .send({ productId: box, delta, reason: 'restock' })
        .expect(201);
    await adjust(4);
    const due = new Date(
      Math.max(new Date(okSub.currentPeriodEnd).getTime(), new Date(failSub.currentPeriodEnd).getTime()) + 60_000,
    );
    await runRenewals(t, admin, due);
    expect(await onHand(box)).toBe(2); // the paid renewal took 2; the declined one's hold went back
    const okAfter = (await t.http().get(`/api/v1/subscriptions/${okSub.id}`).set(ok.auth)).body;
    expect(okAfter.status).toBe('active');
    expect((await t.http().get(`/api/v1/subscriptions/${failSub.id}`).set(failing.auth)).body.status).toBe('past_due');
    await t.http().post(`/api/v1/subscriptions/${failSub.id}/cancel`).set(failing.auth).send({ atPeriodEnd: false });
    await adjust(-2);

    // Next period: no stock left → nothing charged, not dunned: still active, awaiting stock.
    const attemptsBefore = await countRows(t, 'SELECT COUNT(*) FROM payment_attempts WHERE subscription_id = ?', [
      okSub.id,
    ]);
    await runRenewals(t, admin, new Date(new Date(okAfter.currentPeriodEnd).getTime() + 60_000));
    expect(await countRows(t, 'SELECT COUNT(*) FROM payment_attempts WHERE subscription_id = ?', [okSub.id])).toBe(
      attemptsBefore,
    );
    expect((await t.http().get(`/api/v1/subscriptions/${okSub.id}`).set(ok.auth)).body.status).toBe('active');
    expect(await onHand(box)).toBe(0);
  });
});
