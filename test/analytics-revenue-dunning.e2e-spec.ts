import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '../src/common/ids.js';
import { TransactionService } from '../src/infrastructure/database/transaction.service.js';
import { AuditService } from '../src/modules/audit/services/audit.service.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

const DAY_MS = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);

describe('analytics: GET /billing/metrics/revenue and /billing/metrics/dunning', () => {
  let t: TestApp;
  let admin: TestUser;
  const get = (path: string, query: string) => t.http().get(`/api/v1/billing/metrics/${path}?${query}`).set(admin.auth);

  /** A settled charge, as the payments module records it (its table, seeded directly: these are past dates). */
  const charge = async (
    status: 'succeeded' | 'declined' | 'pending',
    amountCents: number,
    settledAt: string | null,
    currency = 'USD',
  ) => {
    const id = newId();
    await t.dataSource.query(
      `INSERT INTO payment_intents (id, purpose, reference_id, user_id, amount_cents, currency, payment_method, reason,
         idempotency_key, status, gateway, gateway_reference, decline_code, refunded_cents, created_at, updated_at, settled_at)
       VALUES (?, 'order', ?, ?, ?, ?, 'pm_card_ok', 'one_off', ?, ?, 'simulated', NULL, NULL, 0, NOW(3), NOW(3), ?)`,
      [
        id,
        newId(),
        newId(),
        amountCents,
        currency,
        `seed:${id}`,
        status,
        settledAt === null ? null : new Date(settledAt),
      ],
    );
    return id;
  };
  const refund = async (
    intentId: string,
    status: 'succeeded' | 'failed',
    amountCents: number,
    settledAt: string,
    currency = 'USD',
  ) => {
    const id = newId();
    await t.dataSource.query(
      `INSERT INTO payment_refunds (id, intent_id, amount_cents, currency, idempotency_key, status, gateway_reference, created_at, updated_at, settled_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL, NOW(3), NOW(3), ?)`,
      [id, intentId, amountCents, currency, `seed:${id}`, status, new Date(settledAt)],
    );
  };

  beforeAll(async () => {
    t = await startTestApp('analytics_revenue');
    admin = await createUser(t, ['admin']);
    const a = await charge('succeeded', 1000, '2026-01-05T10:00:00Z');
    await charge('succeeded', 2500, '2026-01-05T23:59:59.999Z');
    await charge('succeeded', 0, '2026-01-06T08:00:00Z'); // a fully credited invoice: no money, not a paid invoice
    await charge('declined', 700, '2026-01-06T09:00:00Z');
    await charge('pending', 900, null); // not settled: nowhere
    await charge('succeeded', 4000, '2026-01-06T09:00:00Z', 'EUR');
    await charge('succeeded', 300, '2026-02-01T00:00:00Z');
    await refund(a, 'succeeded', 400, '2026-01-07T12:00:00Z');
    await refund(a, 'failed', 600, '2026-01-07T13:00:00Z');
  });
  afterAll(() => t.close());

  it('revenue per day equals the hand calculation (zero-filled buckets, USD by default)', async () => {
    const res = await get('revenue', 'from=2026-01-05&to=2026-01-07&interval=day');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      currency: 'USD',
      interval: 'day',
      data: [
        {
          periodStart: '2026-01-05T00:00:00.000Z',
          collectedCents: 3500,
          refundedCents: 0,
          paidInvoices: 2,
          failedPayments: 0,
        },
        {
          periodStart: '2026-01-06T00:00:00.000Z',
          collectedCents: 0,
          refundedCents: 0,
          paidInvoices: 0,
          failedPayments: 1,
        },
        {
          periodStart: '2026-01-07T00:00:00.000Z',
          collectedCents: 0,
          refundedCents: 400,
          paidInvoices: 0,
          failedPayments: 0,
        },
      ],
    });
  });

  it('revenue per month, and per currency', async () => {
    const months = await get('revenue', 'from=2026-01-20&to=2026-02-10&interval=month');
    expect(months.body.data).toEqual([
      {
        periodStart: '2026-01-01T00:00:00.000Z',
        collectedCents: 3500,
        refundedCents: 400,
        paidInvoices: 2,
        failedPayments: 1,
      },
      {
        periodStart: '2026-02-01T00:00:00.000Z',
        collectedCents: 300,
        refundedCents: 0,
        paidInvoices: 1,
        failedPayments: 0,
      },
    ]);
    const eur = await get('revenue', 'from=2026-01-01&to=2026-01-31&interval=month&currency=EUR');
    expect(eur.body.data).toEqual([
      {
        periodStart: '2026-01-01T00:00:00.000Z',
        collectedCents: 4000,
        refundedCents: 0,
        paidInvoices: 1,
        failedPayments: 0,
      },
    ]);
  });

  it('a past range is cached; a range reaching today is read live', async () => {
    const past = 'from=2026-02-01&to=2026-02-01&interval=day';
    expect((await get('revenue', past)).body.data[0].collectedCents).toBe(300);
    await charge('succeeded', 50, '2026-02-01T12:00:00Z'); // behind the cache's back: past records never change
    expect((await get('revenue', past)).body.data[0].collectedCents).toBe(300);

    const live = `from=${today()}&to=${today()}&interval=day`;
    expect((await get('revenue', live)).body.data[0].collectedCents).toBe(0);
    await charge('succeeded', 75, new Date().toISOString());
    expect((await get('revenue', live)).body.data[0].collectedCents).toBe(75);
  });

  it('dunning counts the subscriptions’ audited status changes of the days asked', async () => {
    const audit = t.app.get(AuditService);
    const transitions: [string, string, string][] = [
      ['subscription', 'active', 'past_due'],
      ['subscription', 'active', 'past_due'],
      ['subscription', 'trialing', 'past_due'],
      ['subscription', 'past_due', 'past_due'], // a retry that failed again: still one entry into dunning
      ['subscription', 'past_due', 'active'],
      ['subscription', 'past_due', 'canceled'],
      ['subscription', 'active', 'canceled'], // an ordinary cancel: not dunning
      ['order', 'paid', 'past_due'], // another entity type
    ];
    await t.app.get(TransactionService).run(async (manager) => {
      for (const [entityType, from, to] of transitions)
        await audit.record(manager, {
          action: `${entityType}.probe`,
          entityType,
          entityId: newId(),
          changes: { status: { from, to } },
        });
      await audit.record(manager, {
        action: 'subscription.create',
        entityType: 'subscription',
        entityId: newId(),
        changes: { status: 'active' },
      });
    });
    const res = await get('dunning', `from=${today()}&to=${today()}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ enteredPastDue: 3, recovered: 1, churned: 1, recoveryRate: 0.3333 });
    expect(res.body.from).toBe(`${today()}T00:00:00.000Z`);
    expect(new Date(res.body.to).getTime() - new Date(res.body.from).getTime()).toBe(DAY_MS);

    const yesterday = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
    expect((await get('dunning', `from=${yesterday}&to=${yesterday}`)).body).toMatchObject({
      enteredPastDue: 0,
      recovered: 0,
      churned: 0,
      recoveryRate: 0,
    });
  });

  it.each([
    ['revenue', 'from=2026-01-01'],
    ['revenue', 'from=2026-01-01&to=2026-01-02&interval=year'],
    ['revenue', 'from=1990-01-01&to=2026-01-02&interval=day'],
    ['dunning', 'from=2026-01-02&to=2026-01-01'],
    ['dunning', 'from=2026-01-01&to=2026-01-02&currency=USD'],
    ['dunning', 'from=2026-01-01&to=2026-01-02&interval=day'],
  ])('%s ?%s is a 400 validation problem', async (path, query) => {
    const res = await get(path, query);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.length).toBeGreaterThan(0);
  });

  it('admin only', async () => {
    const staff = await createUser(t, ['staff']);
    for (const path of ['revenue', 'dunning'])
      expect(
        (await t.http().get(`/api/v1/billing/metrics/${path}?from=2026-01-01&to=2026-01-02`).set(staff.auth)).status,
      ).toBe(403);
  });
});
