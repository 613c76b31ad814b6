import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactionService } from '../src/infrastructure/database/transaction.service.js';
import { type MrrMovementInput, MrrMovementRecorder } from '../src/modules/analytics/index.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

interface MrrBucket {
  periodStart: string;
  startingMrrCents: number;
  newCents: number;
  expansionCents: number;
  contractionCents: number;
  churnCents: number;
  reactivationCents: number;
  endingMrrCents: number;
}

const USER = '00000000-0000-7000-8000-0000000000aa';
const sub = (n: number) => `00000000-0000-7000-8000-00000000000${n}`;
const m = (n: number, kind: MrrMovementInput['kind'], amountCents: number, at: string, currency = 'USD') => ({
  subscriptionId: sub(n),
  userId: USER,
  kind,
  amountCents,
  currency,
  occurredAt: new Date(at),
});

/** Hand-checked ledger: USD 1000 before March; March moves; one movement in April; one EUR movement. */
const LEDGER: MrrMovementInput[] = [
  m(1, 'new', 1000, '2026-02-20T10:00:00.000Z'),
  m(2, 'new', 500, '2026-02-25T10:00:00.000Z', 'EUR'),
  m(3, 'new', 2000, '2026-03-01T00:00:00.000Z'), // exactly on the boundary: March 1
  m(1, 'expansion', 500, '2026-03-01T23:59:59.999Z'), // last millisecond of March 1
  m(4, 'new', 1000, '2026-03-03T08:00:00.000Z'), // started and canceled the same day: both count
  m(4, 'churn', 1000, '2026-03-03T20:00:00.000Z'),
  m(3, 'contraction', 300, '2026-03-03T12:00:00.000Z'),
  m(1, 'churn', 1500, '2026-03-04T09:00:00.000Z'),
  m(1, 'reactivation', 1500, '2026-03-05T09:00:00.000Z'),
  m(3, 'expansion', 100, '2026-04-10T09:00:00.000Z'),
];

const bucket = (periodStart: string, start: number, moves: Partial<MrrBucket>, end: number): MrrBucket => ({
  periodStart,
  startingMrrCents: start,
  newCents: 0,
  expansionCents: 0,
  contractionCents: 0,
  churnCents: 0,
  reactivationCents: 0,
  ...moves,
  endingMrrCents: end,
});

function expectBalancedAndChained(data: MrrBucket[]): void {
  data.forEach((b, i) => {
    expect(
      b.startingMrrCents + b.newCents + b.expansionCents + b.reactivationCents - b.contractionCents - b.churnCents,
    ).toBe(b.endingMrrCents);
    if (i > 0) expect(b.startingMrrCents).toBe(data[i - 1].endingMrrCents);
  });
}

describe('analytics: GET /billing/metrics/mrr', () => {
  let t: TestApp;
  let admin: TestUser;
  let customer: TestUser;
  let record: (movements: MrrMovementInput[]) => Promise<void>;
  const mrr = (query: string, user: TestUser = admin) =>
    t.http().get(`/api/v1/billing/metrics/mrr?${query}`).set(user.auth);

  beforeAll(async () => {
    t = await startTestApp('analytics_mrr');
    admin = await createUser(t, ['admin']);
    customer = await createUser(t);
    const recorder = t.app.get(MrrMovementRecorder);
    const transactions = t.app.get(TransactionService);
    record = (movements) => transactions.run((manager) => recorder.recordMany(manager, movements));
    await record(LEDGER);
  });
  afterAll(() => t.close());

  it('daily buckets equal the hand calculation; the first starts with every movement before it', async () => {
    const res = await mrr('from=2026-03-01&to=2026-03-05&interval=day');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      currency: 'USD',
      interval: 'day',
      data: [
        bucket('2026-03-01T00:00:00.000Z', 1000, { newCents: 2000, expansionCents: 500 }, 3500),
        bucket('2026-03-02T00:00:00.000Z', 3500, {}, 3500),
        bucket('2026-03-03T00:00:00.000Z', 3500, { newCents: 1000, churnCents: 1000, contractionCents: 300 }, 3200),
        bucket('2026-03-04T00:00:00.000Z', 3200, { churnCents: 1500 }, 1700),
        bucket('2026-03-05T00:00:00.000Z', 1700, { reactivationCents: 1500 }, 3200),
      ],
    });
    expectBalancedAndChained(res.body.data);
  });

  it('monthly buckets start on the 1st; `from` and `to` inside a bucket take the whole bucket', async () => {
    const res = await mrr('from=2026-02-14T15:00:00Z&to=2026-04-02T00:00:00Z&interval=month');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      bucket('2026-02-01T00:00:00.000Z', 0, { newCents: 1000 }, 1000),
      bucket(
        '2026-03-01T00:00:00.000Z',
        1000,
        { newCents: 3000, expansionCents: 500, contractionCents: 300, churnCents: 2500, reactivationCents: 1500 },
        3200,
      ),
      bucket('2026-04-01T00:00:00.000Z', 3200, { expansionCents: 100 }, 3300),
    ]);
    expectBalancedAndChained(res.body.data);
  });

  it('amounts are per currency: ?currency= (case-insensitive), default USD', async () => {
    const res = await mrr('from=2026-02-01&to=2026-03-31&interval=month&currency=eur');
    expect(res.status).toBe(200);
    expect(res.body.currency).toBe('EUR');
    expect(res.body.data).toEqual([
      bucket('2026-02-01T00:00:00.000Z', 0, { newCents: 500 }, 500),
      bucket('2026-03-01T00:00:00.000Z', 500, {}, 500),
    ]);
    const none = await mrr('from=2026-02-01&to=2026-02-01&interval=month&currency=GBP');
    expect(none.body.data).toEqual([bucket('2026-02-01T00:00:00.000Z', 0, {}, 0)]);
  });

  it('interval defaults to day; a single instant is one bucket', async () => {
    const res = await mrr('from=2026-03-04T10:00:00Z&to=2026-03-04T11:00:00Z');
    expect(res.body).toMatchObject({
      interval: 'day',
      data: [bucket('2026-03-04T00:00:00.000Z', 3200, { churnCents: 1500 }, 1700)],
    });
  });

  it('a movement written after a cached answer shows in the next answer (dropped after its commit)', async () => {
    const query = 'from=2026-05-01&to=2026-05-31&interval=month';
    const before = await mrr(query);
    expect(before.body.data).toEqual([bucket('2026-05-01T00:00:00.000Z', 3300, {}, 3300)]);
    expect((await mrr(query)).body).toEqual(before.body); // served from the cache
    await record([m(5, 'new', 700, '2026-05-11T09:00:00.000Z')]);
    const after = await mrr(query);
    expect(after.body.data).toEqual([bucket('2026-05-01T00:00:00.000Z', 3300, { newCents: 700 }, 4000)]);
  });

  it.each([
    ['to=2026-03-01', 'from'],
    ['from=2026-03-01', 'to'],
    ['from=yesterday&to=2026-03-01', 'from'],
    ['from=2026-03-01&to=2026-13-01', 'to'],
    ['from=2026-03-01&to=2026-03-02&interval=week', 'interval'],
    ['from=2026-03-01&to=2026-03-02&currency=dollars', 'currency'],
    ['from=2026-03-02&to=2026-03-01', 'to'],
    ['from=1926-01-01&to=2026-01-01&interval=day', 'to'], // 100 years of days: too many buckets
    ['from=2026-03-01&to=2026-03-02&limit=5', 'limit'],
  ])('?%s is a 400 validation problem naming %s', async (query, field) => {
    const res = await mrr(query);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('100 years of months is still answered; admin only', async () => {
    expect((await mrr('from=1950-01-01&to=2026-12-31&interval=month')).status).toBe(200);
    expect((await mrr('from=2026-03-01&to=2026-03-02', customer)).status).toBe(403);
    expect((await t.http().get('/api/v1/billing/metrics/mrr?from=2026-03-01&to=2026-03-02')).status).toBe(401);
  });
});
