import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createProduct } from './support/inventory.js';
import { createPlan, runRenewals, subscribe } from './support/subscriptions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Invoice {
  amountCents: number;
  currency: string;
  status: string;
}

/**
 * A scripted month through the real API: subscribes, an upgrade, a downgrade, a cancel at period end,
 * a renewal that fails then recovers (renewals run `asOf` under BILLING_TEST_CLOCK), an order and a
 * refund; then every metric equals the hand calculation. MRR movements are dated by the business time
 * of the change: a request's at the wall clock (today), a renewal run's at its `asOf` (a month on), so
 * the cancel that takes effect at the period end lands in the bucket of the run's day. Revenue and
 * dunning count when the payment outcome and the status change were recorded (wall clock: today).
 * Series are read over yesterday … the day after the last run and added up (also right if the test
 * runs across midnight).
 */
describe('analytics: a scripted month, every figure by hand', () => {
  let t: TestApp;
  let admin: TestUser;
  const users: TestUser[] = [];
  const subs: { user: TestUser; id: string }[] = [];
  let range: string;
  /** The day of the first renewal run's asOf. */
  let runDay: string;

  const metric = (path: string, query: string) =>
    t.http().get(`/api/v1/billing/metrics/${path}?${query}`).set(admin.auth).expect(200);
  const invoicesOf = async (user: TestUser, id: string): Promise<Invoice[]> =>
    (await t.http().get(`/api/v1/subscriptions/${id}/invoices`).set(user.auth).expect(200)).body.data;

  beforeAll(async () => {
    t = await startTestApp('analytics_scripted_month');
    admin = await createUser(t, ['admin']);
    for (let i = 0; i < 5; i++) users.push(await createUser(t));
    const started = Date.now();

    const basic = await createPlan(t, admin, { priceCents: 1000, currency: 'USD', interval: 'month' });
    const pro = await createPlan(t, admin, { priceCents: 3000, currency: 'USD', interval: 'month' });
    const annual = await createPlan(t, admin, { priceCents: 12_000, currency: 'USD', interval: 'year' });
    const euro = await createPlan(t, admin, { priceCents: 999, currency: 'EUR', interval: 'month' });
    const start = async (user: TestUser, planId: string, card = 'pm_card_ok') => {
      const id = (await subscribe(t, user, planId, card).expect(201)).body.id as string;
      subs.push({ user, id });
      return id;
    };
    const [u1, u2, u3, u4, u5] = users;

    const s1 = await start(u1, basic.id); // new 1000
    await start(u2, annual.id); // new 12000 / 12 = 1000
    const s3 = await start(u3, pro.id); // new 3000
    const s4 = await start(u4, basic.id); // new 1000
    const s5 = await start(u5, basic.id, 'pm_card_fail_next'); // new 1000; its renewals will be declined
    await start(u5, euro.id); // EUR: in no USD figure
    const s1Due = new Date(
      (await t.http().get(`/api/v1/subscriptions/${s1}`).set(u1.auth).expect(200)).body.currentPeriodEnd,
    ).getTime();
    runDay = dayOf(s1Due + 60_000);
    range = `from=${dayOf(started - DAY_MS)}&to=${dayOf(s1Due + 2 * DAY_MS)}`;

    await t.http().post(`/api/v1/subscriptions/${s1}/change-plan`).set(u1.auth).send({ planId: pro.id }).expect(200); // expansion 2000
    await t.http().post(`/api/v1/subscriptions/${s3}/change-plan`).set(u3.auth).send({ planId: basic.id }).expect(200); // contraction 2000
    // Churn 1000, but only when the period ends: dated by the renewal run that ends it (its asOf).
    await t.http().post(`/api/v1/subscriptions/${s4}/cancel`).set(u4.auth).send({ atPeriodEnd: true }).expect(200);

    // Month end: s4 ends (churn); s1, s3, s5 renew (same price: no MRR movement); s5 is declined → past_due.
    await runRenewals(t, admin, new Date(s1Due + 60_000));
    expect((await t.http().get(`/api/v1/subscriptions/${s5}`).set(u5.auth).expect(200)).body.status).toBe('past_due');
    // The customer fixes the card; the next dunning retry is paid → active again (no MRR movement: past_due counts).
    await t
      .http()
      .put(`/api/v1/subscriptions/${s5}/payment-method`)
      .set(u5.auth)
      .send({ paymentMethod: 'pm_card_ok' })
      .expect(200);
    await runRenewals(t, admin, new Date(s1Due + 25 * HOUR_MS));
    expect((await t.http().get(`/api/v1/subscriptions/${s5}`).set(u5.auth).expect(200)).body.status).toBe('active');

    // An order paid (5000) and partly refunded (2000), through the API a customer and the staff use.
    const product = await createProduct(t, admin, { priceCents: 5000, currency: 'USD', initialStock: 5 });
    const reservation = await t
      .http()
      .post('/api/v1/inventory/reservations')
      .set(u1.auth)
      .send({ items: [{ productId: product.id, quantity: 1 }] })
      .expect(201);
    const order = await t
      .http()
      .post('/api/v1/orders')
      .set(u1.auth)
      .send({ reservationId: reservation.body.id, paymentMethod: 'pm_card_ok' })
      .expect(201);
    expect(order.body).toMatchObject({ status: 'paid', totalCents: 5000 });
    const refunded = await t
      .http()
      .post(`/api/v1/orders/${order.body.id}/refund`)
      .set(admin.auth)
      .send({ amountCents: 2000, restock: false })
      .expect(200);
    expect(refunded.body).toMatchObject({ status: 'partially_refunded', refundedCents: 2000 });
  });
  afterAll(() => t.close());

  it('MRR: 5 subscribes, one upgrade, one downgrade, one cancel; renewals and dunning move nothing', async () => {
    const { body } = await metric('mrr', `${range}&interval=day`);
    // The cancel at period end is the run's: in the bucket of its asOf, not today's (and nothing else is).
    const churnByDay = body.data
      .filter((b: { churnCents: number }) => b.churnCents !== 0)
      .map((b: { periodStart: string; churnCents: number }) => [b.periodStart.slice(0, 10), b.churnCents]);
    expect(churnByDay).toEqual([[runDay, 1000]]);
    const sum = (field: string) => body.data.reduce((total: number, b: Record<string, number>) => total + b[field], 0);
    expect(body.data[0].startingMrrCents).toBe(0);
    expect({
      newCents: sum('newCents'),
      expansionCents: sum('expansionCents'),
      contractionCents: sum('contractionCents'),
      churnCents: sum('churnCents'),
      reactivationCents: sum('reactivationCents'),
    }).toEqual({
      newCents: 1000 + 1000 + 3000 + 1000 + 1000,
      expansionCents: 2000,
      contractionCents: 2000,
      churnCents: 1000,
      reactivationCents: 0,
    });
    // 7000 + 2000 − 2000 − 1000: s1 Pro 3000, s2 yearly 1000, s3 Basic 1000, s5 Basic 1000.
    expect(body.data.at(-1).endingMrrCents).toBe(6000);
    // Before the run, s4 still counted: the day before it ends at 7000.
    const beforeRun = body.data.findIndex((b: { periodStart: string }) => b.periodStart.startsWith(runDay)) - 1;
    expect(body.data[beforeRun].endingMrrCents).toBe(7000);
    const summary = await t.http().get('/api/v1/billing/summary').set(admin.auth).expect(200);
    expect(summary.body.mrrByCurrency).toContainEqual({ currency: 'USD', mrrCents: 6000 });
    const month = await metric('mrr', `${range}&interval=month&currency=EUR`);
    expect(month.body.data.at(-1).endingMrrCents).toBe(999);
  });

  it('revenue: every paid invoice and the order collected, the refund, the one declined renewal', async () => {
    // By hand (proration: the change comes seconds after the subscribe, so the unused share is 0.999…):
    //   first charges         1000 (s1) + 12000 (s2) + 3000 (s3) + 1000 (s4) + 1000 (s5)      = 18000
    //   upgrade s1 → Pro      3000 − floor(999.9…) = 3000 − 999                                =  2001
    //   downgrade s3 → Basic  1000 − 2999 → 0 charged, credit 1999 left                        =     0
    //   renewals              s1 Pro 3000; s3 1000 − credit 1000 = 0; s5 declined, then 1000   =  4000
    //   order                 5000 (refund 2000)                                               =  5000
    const expected = { collectedCents: 29_001, refundedCents: 2000, paidInvoices: 9, failedPayments: 1 };
    const { body } = await metric('revenue', `${range}&interval=day`);
    const sum = (field: string) => body.data.reduce((total: number, b: Record<string, number>) => total + b[field], 0);
    expect({
      collectedCents: sum('collectedCents'),
      refundedCents: sum('refundedCents'),
      paidInvoices: sum('paidInvoices'),
      failedPayments: sum('failedPayments'),
    }).toEqual(expected);
    // The same money as the invoices say (USD ones: the EUR subscription renewed too).
    const invoices = (await Promise.all(subs.map(({ user, id }) => invoicesOf(user, id)))).flat();
    const paid = invoices.filter((invoice) => invoice.status === 'paid' && invoice.currency === 'USD');
    expect(paid.reduce((total, invoice) => total + invoice.amountCents, 0) + 5000).toBe(expected.collectedCents);
    const euro = await metric('revenue', `${range}&interval=month&currency=EUR`);
    expect(euro.body.data.reduce((total: number, b: { collectedCents: number }) => total + b.collectedCents, 0)).toBe(
      2 * 999,
    );
  });

  it('dunning: one subscription entered past_due and recovered', async () => {
    const { body } = await metric('dunning', range);
    expect(body).toMatchObject({ enteredPastDue: 1, recovered: 1, churned: 0, recoveryRate: 1 });
  });
});
