import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RenewalJob } from '../src/modules/subscriptions/jobs/renewal.job.js';
import { countRows, createPlan, DAY_MS, daysFromNow, runRenewals, subscribe } from './support/subscriptions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

/** DUNNING_RETRY_HOURS is the default 24,72,168: three retries after the first failure. */
describe('subscriptions: renewals and dunning', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await startTestApp('subscriptions_renewals', { env: { RENEWAL_BATCH_SIZE: '7' } });
    admin = await createUser(t, ['admin']);
  });
  afterAll(() => t.close());

  const getSub = async (user: TestUser, id: string) =>
    (await t.http().get(`/api/v1/subscriptions/${id}`).set(user.auth).expect(200)).body;
  const invoicesOf = async (user: TestUser, id: string) =>
    (await t.http().get(`/api/v1/subscriptions/${id}/invoices?limit=100`).set(user.auth).expect(200)).body.data;
  const actions = async (id: string) =>
    (
      await t.dataSource.query(
        'SELECT action, outcome, actor_id AS actorId FROM audit_events WHERE entity_id = ? ORDER BY id',
        [id],
      )
    ).map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`);
  /** Moves a subscription's clock: its period (and retry) end `days` from now. */
  const endPeriodIn = (id: string, days: number) =>
    t.dataSource.query('UPDATE subscriptions SET current_period_end = ? WHERE id = ?', [daysFromNow(days), id]);

  it('renews a due subscription: new invoice at the current plan price, period advanced, audited', async () => {
    const user = await createUser(t);
    const plan = await createPlan(t, admin, { priceCents: 1000 });
    const sub = (await subscribe(t, user, plan.id).expect(201)).body;
    await t.http().patch(`/api/v1/plans/${plan.id}`).set(admin.auth).send({ priceCents: 1200 }).expect(200);
    const periodEnd = new Date(sub.currentPeriodEnd);
    const result = await runRenewals(t, admin, new Date(periodEnd.getTime() + 60_000));
    expect(result.renewed).toBeGreaterThanOrEqual(1);
    const after = await getSub(user, sub.id);
    expect(after).toMatchObject({ status: 'active', currentPeriodStart: sub.currentPeriodEnd, priceCents: 1200 });
    expect(new Date(after.currentPeriodEnd).getTime()).toBeGreaterThan(periodEnd.getTime() + 27 * DAY_MS);
    const invoices = await invoicesOf(user, sub.id);
    expect(invoices.map((i: { amountCents: number; status: string }) => [i.amountCents, i.status])).toEqual([
      [1200, 'paid'],
      [1000, 'paid'],
    ]);
    expect(invoices[0]).toMatchObject({ billingReason: 'subscription_cycle', periodStart: sub.currentPeriodEnd });
    expect(await actions(sub.id)).toEqual(['subscription.create:success', 'subscription.renew:success']);
    const [renew] = await t.dataSource.query(
      "SELECT actor_id AS actorId FROM audit_events WHERE entity_id = ? AND action = 'subscription.renew'",
      [sub.id],
    );
    expect(renew.actorId).toBe(admin.id);

    // Same asOf again: nothing left to do.
    const again = await runRenewals(t, admin, new Date(periodEnd.getTime() + 60_000));
    expect(again).toEqual({ processed: 0, renewed: 0, failed: 0, ended: 0 });
    expect(await invoicesOf(user, sub.id)).toHaveLength(2);
  });

  it('catches up every missed period once (three periods behind → three renewal invoices)', async () => {
    const user = await createUser(t);
    const plan = await createPlan(t, admin, { priceCents: 500 });
    const sub = (await subscribe(t, user, plan.id).expect(201)).body;
    const asOf = new Date(new Date(sub.currentPeriodEnd).getTime() + 75 * DAY_MS);
    await runRenewals(t, admin, asOf);
    expect(await invoicesOf(user, sub.id)).toHaveLength(4);
    const after = await getSub(user, sub.id);
    expect(new Date(after.currentPeriodEnd).getTime()).toBeGreaterThan(asOf.getTime());
    expect(new Date(after.currentPeriodStart).getTime()).toBeLessThanOrEqual(asOf.getTime());
  });

  it('a failed renewal → past_due (entitlements kept) → retried on schedule → canceled after the last retry', async () => {
    const user = await createUser(t);
    const plan = await createPlan(t, admin, { priceCents: 700, features: ['dunned'] });
    const sub = (await subscribe(t, user, plan.id, 'pm_card_fail_next').expect(201)).body;
    const due = new Date(sub.currentPeriodEnd).getTime();

    const first = await runRenewals(t, admin, new Date(due + 60_000));
    expect(first.failed).toBeGreaterThanOrEqual(1);
    const pastDue = await getSub(user, sub.id);
    expect(pastDue.status).toBe('past_due');
    expect(pastDue.nextRetryAt).toBe(new Date(due + 24 * 3_600_000).toISOString());
    expect(pastDue.currentPeriodEnd).toBe(sub.currentPeriodEnd);
    expect((await t.http().get('/api/v1/subscriptions/me/entitlements').set(user.auth)).body.features).toEqual([
      'dunned',
    ]);
    let invoices = await invoicesOf(user, sub.id);
    expect(invoices.map((i: { status: string }) => i.status)).toEqual(['open', 'paid']);

    // Before the retry is due: untouched.
    await runRenewals(t, admin, new Date(due + 23 * 3_600_000));
    expect((await getSub(user, sub.id)).version).toBe(pastDue.version);

    // Second retry time: the first retry fails, still past_due.
    await runRenewals(t, admin, new Date(due + 25 * 3_600_000));
    const retried = await getSub(user, sub.id);
    expect(retried.status).toBe('past_due');
    expect(retried.nextRetryAt).toBe(new Date(due + 72 * 3_600_000).toISOString());

    // Far in the future: the remaining retries fail and it is canceled.
    await runRenewals(t, admin, daysFromNow(400));
    const canceled = await getSub(user, sub.id);
    expect(canceled).toMatchObject({ status: 'canceled', nextRetryAt: null });
    expect((await t.http().get('/api/v1/subscriptions/me/entitlements').set(user.auth)).body.features).toEqual([]);
    invoices = await invoicesOf(user, sub.id);
    expect(invoices.map((i: { status: string }) => i.status)).toEqual(['void', 'paid']);
    // 1 initial charge + 1 renewal attempt + 3 retries, each with its own idempotency key.
    const attempts = await t.dataSource.query(
      'SELECT attempt, status, idempotency_key AS k FROM payment_attempts WHERE subscription_id = ? ORDER BY created_at, attempt',
      [sub.id],
    );
    expect(attempts.map((a: { attempt: number; status: string }) => `${a.attempt}:${a.status}`)).toEqual([
      '1:succeeded',
      '1:declined',
      '2:declined',
      '3:declined',
      '4:declined',
    ]);
    expect(attempts[4].k).toBe(`invoice:${invoices[0].id}:attempt:4`);
    expect(await actions(sub.id)).toEqual([
      'subscription.create:success',
      'subscription.renew_failed:failure',
      'subscription.renew_failed:failure',
      'subscription.renew_failed:failure',
      'subscription.renew_failed:failure',
    ]);
    // The user may subscribe again.
    await subscribe(t, user, plan.id).expect(201);
  });

  it('a past_due subscription recovers when a retry is paid', async () => {
    const user = await createUser(t);
    const plan = await createPlan(t, admin, { priceCents: 900 });
    const sub = (await subscribe(t, user, plan.id).expect(201)).body;
    await t.dataSource.query("UPDATE subscriptions SET payment_method = 'pm_card_declined' WHERE id = ?", [sub.id]);
    const due = new Date(sub.currentPeriodEnd).getTime();
    await runRenewals(t, admin, new Date(due + 1000));
    expect((await getSub(user, sub.id)).status).toBe('past_due');
    await t.dataSource.query("UPDATE subscriptions SET payment_method = 'pm_card_ok' WHERE id = ?", [sub.id]);
    const result = await runRenewals(t, admin, new Date(due + 25 * 3_600_000));
    expect(result.renewed).toBeGreaterThanOrEqual(1);
    const after = await getSub(user, sub.id);
    expect(after).toMatchObject({ status: 'active', nextRetryAt: null, currentPeriodStart: sub.currentPeriodEnd });
    expect((await invoicesOf(user, sub.id)).map((i: { status: string }) => i.status)).toEqual(['paid', 'paid']);
  });

  it('cancelAtPeriodEnd ends the subscription instead of renewing', async () => {
    const user = await createUser(t);
    const plan = await createPlan(t, admin, { features: ['ending'] });
    const sub = (await subscribe(t, user, plan.id).expect(201)).body;
    await t
      .http()
      .post(`/api/v1/subscriptions/${sub.id}/cancel`)
      .set(user.auth)
      .send({ atPeriodEnd: true })
      .expect(200);
    const result = await runRenewals(t, admin, new Date(new Date(sub.currentPeriodEnd).getTime() + 1000));
    expect(result.ended).toBeGreaterThanOrEqual(1);
    const after = await getSub(user, sub.id);
    expect(after.status).toBe('canceled');
    expect(await invoicesOf(user, sub.id)).toHaveLength(1);
    expect(await countRows(t, 'SELECT COUNT(*) FROM payment_attempts WHERE subscription_id = ?', [sub.id])).toBe(1);
    expect((await t.http().get('/api/v1/subscriptions/me/entitlements').set(user.auth)).body.features).toEqual([]);
    expect(await actions(sub.id)).toEqual([
      'subscription.create:success',
      'subscription.cancel:success',
      'subscription.cancel:success',
    ]);
  });

  it('a trial converts at trial end with the first charge (pm_card_fail_next succeeds: first charge)', async () => {
    const user = await createUser(t);
    const plan = await createPlan(t, admin, { trialDays: 7, priceCents: 2500 });
    const sub = (await subscribe(t, user, plan.id, 'pm_card_fail_next').expect(201)).body;
    await runRenewals(t, admin, daysFromNow(6));
    expect((await getSub(user, sub.id)).status).toBe('trialing');
    await runRenewals(t, admin, daysFromNow(8));
    const after = await getSub(user, sub.id);
    expect(after).toMatchObject({ status: 'active', currentPeriodStart: sub.trialEnd, trialEnd: sub.trialEnd });
    const invoices = await invoicesOf(user, sub.id);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({
      amountCents: 2500,
      status: 'paid',
      billingReason: 'subscription_create',
      periodStart: sub.trialEnd,
    });
  });

  it('a trial whose first charge fails goes past_due', async () => {
    const user = await createUser(t);
    const plan = await createPlan(t, admin, { trialDays: 3 });
    const sub = (await subscribe(t, user, plan.id, 'pm_card_declined').expect(201)).body;
    expect(sub.status).toBe('trialing');
    await runRenewals(t, admin, daysFromNow(4));
    expect((await getSub(user, sub.id)).status).toBe('past_due');
  });

  it('only admins run renewals; asOf is validated', async () => {
    const staff = await createUser(t, ['staff']);
    await t.http().post('/api/v1/billing/renewals/run').set(staff.auth).send({}).expect(403);
    await t.http().post('/api/v1/billing/renewals/run').send({}).expect(401);
    await t.http().post('/api/v1/billing/renewals/run').set(admin.auth).send({ asOf: 'tomorrow' }).expect(400);
    const res = await t.http().post('/api/v1/billing/renewals/run').set(admin.auth).send({}).expect(200);
    expect(res.body).toEqual({
      processed: expect.any(Number),
      renewed: expect.any(Number),
      failed: expect.any(Number),
      ended: expect.any(Number),
    });
  });

  it('the scheduled job renews as "system"', async () => {
    const user = await createUser(t);
    const plan = await createPlan(t, admin);
    const sub = (await subscribe(t, user, plan.id).expect(201)).body;
    await endPeriodIn(sub.id, -1);
    await t.app.get(RenewalJob).tick();
    expect((await getSub(user, sub.id)).status).toBe('active');
    const [event] = await t.dataSource.query(
      "SELECT actor_id AS actorId FROM audit_events WHERE entity_id = ? AND action = 'subscription.renew'",
      [sub.id],
    );
    expect(event.actorId).toBe('system');
  });

  describe('concurrency', () => {
    /** 30 due subscriptions (several batches of 7), a few with a failing card. */
    async function seedDue(count: number) {
      const plan = await createPlan(t, admin, { priceCents: 300 });
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const user = await createUser(t);
        const sub = (await subscribe(t, user, plan.id, i % 5 === 0 ? 'pm_card_fail_next' : 'pm_card_ok').expect(201))
          .body;
        ids.push(sub.id);
      }
      await t.dataSource.query('UPDATE subscriptions SET current_period_end = ? WHERE plan_id = ?', [
        daysFromNow(-0.5),
        plan.id,
      ]);
      return { plan, ids };
    }

    async function expectEachBilledOnce(planId: string, count: number) {
      // One renewal invoice per subscription and exactly one attempt on it.
      expect(
        await countRows(
          t,
          "SELECT COUNT(*) FROM invoices WHERE plan_id = ? AND billing_reason = 'subscription_cycle'",
          [planId],
        ),
      ).toBe(count);
      expect(
        await countRows(
          t,
          "SELECT COUNT(*) FROM payment_attempts p JOIN invoices i ON i.id = p.invoice_id WHERE i.plan_id = ? AND i.billing_reason = 'subscription_cycle'",
          [planId],
        ),
      ).toBe(count);
      expect(
        await countRows(
          t,
          "SELECT COUNT(*) FROM audit_events a JOIN subscriptions s ON s.id = a.entity_id WHERE s.plan_id = ? AND a.action IN ('subscription.renew', 'subscription.renew_failed')",
          [planId],
        ),
      ).toBe(count);
    }

    it('two runs with the same asOf in parallel bill each due subscription exactly once', async () => {
      const { plan } = await seedDue(30);
      const asOf = new Date();
      const [a, b] = await Promise.all([runRenewals(t, admin, asOf), runRenewals(t, admin, asOf)]);
      expect(a.processed + b.processed).toBeGreaterThanOrEqual(30);
      expect(a.failed + b.failed).toBeGreaterThanOrEqual(6);
      await expectEachBilledOnce(plan.id, 30);
      expect(
        await countRows(t, "SELECT COUNT(*) FROM subscriptions WHERE plan_id = ? AND status = 'past_due'", [plan.id]),
      ).toBe(6);
    });

    it('runs on two app instances at once (plus the job) bill each due subscription exactly once', async () => {
      const { plan } = await seedDue(30);
      const second = await startTestApp('subscriptions_renewals', {
        reuseDatabase: true,
        env: { RENEWAL_BATCH_SIZE: '5' },
      });
      try {
        const asOf = new Date();
        await Promise.all([
          runRenewals(t, admin, asOf),
          runRenewals(second, admin, asOf),
          runRenewals(second, admin, asOf),
          t.app.get(RenewalJob).tick(),
        ]);
        await expectEachBilledOnce(plan.id, 30);
      } finally {
        await second.close();
      }
    });
  });
});
