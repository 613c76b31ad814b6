import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  countRows,
  createPlan,
  runRenewals,
  setPaymentMethod,
  subscribe,
  subscriptionAction,
} from './support/subscriptions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

/** Issue 11's recovery routes: payment-method, pay, pause, resume, reactivate. */
describe('subscriptions: recovery routes', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp('subscriptions_recovery');
    admin = await createUser(t, ['admin']);
  });
  afterAll(() => t.close());

  const api = (path: string) => `/api/v1/subscriptions/${path}`;
  const getSub = async (user: TestUser, id: string) => (await t.http().get(api(id)).set(user.auth).expect(200)).body;
  const features = async (user: TestUser) =>
    (await t.http().get(api('me/entitlements')).set(user.auth).expect(200)).body.features;
  const actions = async (id: string) =>
    (await t.dataSource.query('SELECT action, outcome FROM audit_events WHERE entity_id = ? ORDER BY id', [id])).map(
      (e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`,
    );
  const succeededCharges = (id: string) =>
    countRows(t, "SELECT COUNT(*) FROM payment_attempts WHERE subscription_id = ? AND status = 'succeeded'", [id]);

  /** A subscription whose renewal failed: past_due with an open invoice. */
  async function pastDue(card = 'pm_card_fail_next') {
    const plan = await createPlan(t, admin, { priceCents: 1500, features: ['pro'] });
    const user = await createUser(t);
    const sub = (await subscribe(t, user, plan.id, card === 'pm_card_declined' ? 'pm_card_ok' : card).expect(201)).body;
    if (card === 'pm_card_declined') {
      await setPaymentMethod(t, user, sub.id, card).expect(200);
    }
    await runRenewals(t, admin, new Date(new Date(sub.currentPeriodEnd).getTime() + 60_000));
    expect((await getSub(user, sub.id)).status).toBe('past_due');
    return { plan, user, sub };
  }

  it('pay: past_due → active with the current card; 10 concurrent calls take one charge', async () => {
    const { user, sub } = await pastDue();
    await setPaymentMethod(t, user, sub.id, 'pm_card_ok').expect(200);
    const before = await succeededCharges(sub.id);
    const results = await Promise.all(Array.from({ length: 10 }, () => subscriptionAction(t, user, sub.id, 'pay')));
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    expect(await succeededCharges(sub.id)).toBe(before + 1);
    const after = await getSub(user, sub.id);
    expect(after.status).toBe('active');
    expect(new Date(after.currentPeriodStart).getTime()).toBe(new Date(sub.currentPeriodEnd).getTime());
    await subscriptionAction(t, user, sub.id, 'pay').expect(409);
    expect(await actions(sub.id)).toContain('subscription.pay:success');
  });

  it('pay declined is 402 and it stays past_due; pay honours Idempotency-Key', async () => {
    const { user, sub } = await pastDue();
    const declined = await subscriptionAction(t, user, sub.id, 'pay').expect(402);
    expect(declined.body.code).toBe('payment_declined');
    expect((await getSub(user, sub.id)).status).toBe('past_due');
    await setPaymentMethod(t, user, sub.id, 'pm_card_ok').expect(200);
    const before = await succeededCharges(sub.id);
    const first = await subscriptionAction(t, user, sub.id, 'pay').set('idempotency-key', 'pay-1').expect(200);
    const again = await subscriptionAction(t, user, sub.id, 'pay').set('idempotency-key', 'pay-1').expect(200);
    expect(again.body).toEqual(first.body);
    expect(await succeededCharges(sub.id)).toBe(before + 1);
  });

  it('a hard decline stops automatic retries; a card update brings the next retry, with the new card', async () => {
    const { user, sub } = await pastDue('pm_card_declined');
    const stuck = await getSub(user, sub.id);
    expect(stuck.nextRetryAt).toBeNull();
    await runRenewals(t, admin, new Date(Date.now() + 400 * 86_400_000));
    expect((await getSub(user, sub.id)).status).toBe('past_due'); // not retried, not canceled
    await setPaymentMethod(t, user, sub.id, 'pm_card_ok').expect(200);
    await runRenewals(t, admin, new Date(new Date(sub.currentPeriodEnd).getTime() + 120_000));
    expect((await getSub(user, sub.id)).status).toBe('active');
    expect(await actions(sub.id)).toContain('subscription.payment_method_change:success');
  });

  it('pause: no entitlements, no renewals, not in MRR; resume charges a new period from now', async () => {
    const plan = await createPlan(t, admin, { priceCents: 2000, features: ['pausable'] });
    const user = await createUser(t);
    const sub = (await subscribe(t, user, plan.id).expect(201)).body;
    expect(await features(user)).toEqual(['pausable']);
    const paused = (await subscriptionAction(t, user, sub.id, 'pause').send({}).expect(200)).body;
    expect(paused.status).toBe('paused');
    expect(await features(user)).toEqual([]);
    const invoicesBefore = await countRows(t, 'SELECT COUNT(*) FROM invoices WHERE subscription_id = ?', [sub.id]);
    await runRenewals(t, admin, new Date(Date.now() + 100 * 86_400_000));
    expect(await countRows(t, 'SELECT COUNT(*) FROM invoices WHERE subscription_id = ?', [sub.id])).toBe(
      invoicesBefore,
    );
    const summary = (await t.http().get('/api/v1/billing/summary').set(admin.auth).expect(200)).body;
    expect(summary.pausedSubscriptions).toBeGreaterThanOrEqual(1);
    expect(summary.byPlan.find((p: { planId: string }) => p.planId === plan.id)).toBeUndefined();

    const started = Date.now();
    const resumed = (await subscriptionAction(t, user, sub.id, 'resume').set('idempotency-key', 'resume-1').expect(200))
      .body;
    expect(resumed.status).toBe('active');
    expect(new Date(resumed.currentPeriodStart).getTime()).toBeGreaterThanOrEqual(started - 1000);
    await subscriptionAction(t, user, sub.id, 'resume').set('idempotency-key', 'resume-1').expect(200);
    expect(await succeededCharges(sub.id)).toBe(2);
    expect(await features(user)).toEqual(['pausable']);
    expect(await actions(sub.id)).toEqual(
      expect.arrayContaining(['subscription.pause:success', 'subscription.resume:success']),
    );
    await subscriptionAction(t, user, sub.id, 'resume').expect(409);
  });

  it('pause with resumesAt resumes by itself at the renewal run; only from active', async () => {
    const plan = await createPlan(t, admin, { priceCents: 800 });
    const user = await createUser(t);
    const sub = (await subscribe(t, user, plan.id).expect(201)).body;
    const resumesAt = new Date(Date.now() + 3 * 86_400_000);
    await subscriptionAction(t, user, sub.id, 'pause')
      .send({ resumesAt: new Date(Date.now() - 1000).toISOString() })
      .expect(400);
    await subscriptionAction(t, user, sub.id, 'pause').send({ resumesAt: resumesAt.toISOString() }).expect(200);
    await subscriptionAction(t, user, sub.id, 'pause').send({}).expect(409);
    await runRenewals(t, admin, new Date(resumesAt.getTime() + 1000));
    expect((await getSub(user, sub.id)).status).toBe('active');
  });

  it('resume declined is 402 and it stays paused', async () => {
    const plan = await createPlan(t, admin, { priceCents: 800 });
    const user = await createUser(t);
    const sub = (await subscribe(t, user, plan.id).expect(201)).body;
    await subscriptionAction(t, user, sub.id, 'pause').send({}).expect(200);
    await setPaymentMethod(t, user, sub.id, 'pm_card_declined').expect(200);
    await subscriptionAction(t, user, sub.id, 'resume').expect(402);
    expect((await getSub(user, sub.id)).status).toBe('paused');
  });

  it('pause vs cancel at once: exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const plan = await createPlan(t, admin, { priceCents: 900 });
      const user = await createUser(t);
      const sub = (await subscribe(t, user, plan.id).expect(201)).body;
      const [pause, cancel] = await Promise.all([
        subscriptionAction(t, user, sub.id, 'pause').send({}),
        subscriptionAction(t, user, sub.id, 'cancel').send({ atPeriodEnd: false }),
      ]);
      expect([pause.status, cancel.status].sort()).toEqual([200, 409]);
      const final = await getSub(user, sub.id);
      expect(final.status).toBe(pause.status === 200 ? 'paused' : 'canceled');
    }
  });

  it('reactivate clears cancelAtPeriodEnd; 409 once canceled; owner or admin only', async () => {
    const plan = await createPlan(t, admin, { priceCents: 600 });
    const user = await createUser(t);
    const sub = (await subscribe(t, user, plan.id).expect(201)).body;
    await subscriptionAction(t, user, sub.id, 'cancel').send({ atPeriodEnd: true }).expect(200);
    const staff = await createUser(t, ['staff']);
    await subscriptionAction(t, staff, sub.id, 'reactivate').expect(403);
    await subscriptionAction(t, await createUser(t), sub.id, 'reactivate').expect(404);
    const back = (await subscriptionAction(t, user, sub.id, 'reactivate').expect(200)).body;
    expect(back.cancelAtPeriodEnd).toBe(false);
    await runRenewals(t, admin, new Date(new Date(sub.currentPeriodEnd).getTime() + 60_000));
    expect((await getSub(user, sub.id)).status).toBe('active');
    await subscriptionAction(t, user, sub.id, 'cancel').send({ atPeriodEnd: false }).expect(200);
    await subscriptionAction(t, user, sub.id, 'reactivate').expect(409);
    expect(await actions(sub.id)).toContain('subscription.reactivate:success');
  });

  it('writes one MRR movement with every change that moves MRR, in its transaction', async () => {
    const basic = await createPlan(t, admin, { priceCents: 1000 });
    const pro = await createPlan(t, admin, { priceCents: 3000 });
    const yearly = await createPlan(t, admin, { priceCents: 12_001, interval: 'year' });
    const user = await createUser(t);
    const sub = (await subscribe(t, user, basic.id).expect(201)).body;
    await subscriptionAction(t, user, sub.id, 'change-plan').send({ planId: pro.id }).expect(200);
    await subscriptionAction(t, user, sub.id, 'change-plan').send({ planId: basic.id }).expect(200);
    await subscriptionAction(t, user, sub.id, 'pause').send({}).expect(200);
    await subscriptionAction(t, user, sub.id, 'resume').expect(200);
    await subscriptionAction(t, user, sub.id, 'cancel').send({ atPeriodEnd: false }).expect(200);
    const declined = await createUser(t);
    await subscribe(t, declined, basic.id, 'pm_card_declined').expect(402);
    const y = (await subscribe(t, await createUser(t), yearly.id).expect(201)).body;
    const movements = async (id: string) =>
      (
        await t.dataSource.query(
          'SELECT kind, amount_cents AS a FROM mrr_movements WHERE subscription_id = ? ORDER BY id',
          [id],
        )
      ).map((m: { kind: string; a: number }) => `${m.kind}:${m.a}`);
    expect(await movements(sub.id)).toEqual([
      'new:1000',
      'expansion:2000',
      'contraction:2000',
      'churn:1000',
      'reactivation:1000',
      'churn:1000',
    ]);
    expect(await movements(y.id)).toEqual(['new:1000']); // 12 001 / 12 rounded
    expect(
      await countRows(
        t,
        'SELECT COUNT(*) FROM mrr_movements m JOIN subscriptions s ON s.id = m.subscription_id WHERE s.user_id = ?',
        [declined.id],
      ),
    ).toBe(0);
  });
});
