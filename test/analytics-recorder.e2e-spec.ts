import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactionService } from '../src/infrastructure/database/transaction.service.js';
import { type MrrMovementInput, MrrMovementRecorder } from '../src/modules/analytics/index.js';
import { MrrMovements1796172968861 } from '../migrations/1796172968861-MrrMovements.js';
import { MrrDailyTotals1796174889059 } from '../migrations/1796174889059-MrrDailyTotals.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const movement = (overrides: Partial<MrrMovementInput> = {}): MrrMovementInput => ({
  subscriptionId: '00000000-0000-7000-8000-000000000001',
  userId: '00000000-0000-7000-8000-0000000000aa',
  kind: 'new',
  amountCents: 1000,
  currency: 'USD',
  occurredAt: new Date('2026-03-01T10:00:00.123Z'),
  ...overrides,
});

interface MovementRow {
  subscription_id: string;
  kind: string;
  amount_cents: number;
  currency: string;
  occurred_at: Date;
}

describe('analytics: the MRR movement recorder', () => {
  let t: TestApp;
  let recorder: MrrMovementRecorder;
  let transactions: TransactionService;
  const rows = (subscriptionId: string) =>
    t.dataSource.query<MovementRow[]>(
      'SELECT subscription_id, kind, amount_cents, currency, occurred_at FROM mrr_movements WHERE subscription_id = ? ORDER BY id',
      [subscriptionId],
    );

  beforeAll(async () => {
    t = await startTestApp('analytics_recorder');
    recorder = t.app.get(MrrMovementRecorder);
    transactions = t.app.get(TransactionService);
  });
  afterAll(() => t.close());

  it('writes one row per movement, in the caller’s transaction, with millisecond UTC time', async () => {
    const id = '00000000-0000-7000-8000-000000000010';
    await transactions.run((manager) => recorder.record(manager, movement({ subscriptionId: id })));
    expect(await rows(id)).toEqual([
      {
        subscription_id: id,
        kind: 'new',
        amount_cents: 1000,
        currency: 'USD',
        occurred_at: new Date('2026-03-01T10:00:00.123Z'),
      },
    ]);
  });

  it('recordMany writes several movements in one statement; zero amounts are skipped', async () => {
    const id = '00000000-0000-7000-8000-000000000011';
    await transactions.run((manager) =>
      recorder.recordMany(manager, [
        movement({ subscriptionId: id, kind: 'churn', amountCents: 1000 }),
        movement({ subscriptionId: id, kind: 'expansion', amountCents: 0 }),
        movement({ subscriptionId: id, kind: 'reactivation', amountCents: 2500, currency: 'EUR' }),
      ]),
    );
    expect((await rows(id)).map((row) => [row.kind, row.amount_cents, row.currency])).toEqual([
      ['churn', 1000, 'USD'],
      ['reactivation', 2500, 'EUR'],
    ]);
  });

  it('a rolled-back transaction leaves no movement', async () => {
    const id = '00000000-0000-7000-8000-000000000012';
    await expect(
      transactions.run(async (manager) => {
        await recorder.record(manager, movement({ subscriptionId: id }));
        throw new Error('declined');
      }),
    ).rejects.toThrow('declined');
    expect(await rows(id)).toEqual([]);
  });

  it('refuses a negative or fractional amount (the kind gives the direction)', async () => {
    await expect(
      transactions.run((manager) => recorder.record(manager, movement({ amountCents: -5 }))),
    ).rejects.toThrow(/non-negative integer/);
    await expect(
      transactions.run((manager) => recorder.record(manager, movement({ amountCents: 2.5 }))),
    ).rejects.toThrow(/non-negative integer/);
  });

  it('the daily totals equal the ledger, also under concurrent writers of the same day', async () => {
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        transactions.run((manager) =>
          recorder.recordMany(manager, [
            movement({
              subscriptionId: `00000000-0000-7000-8000-0000000002${String(i).padStart(2, '0')}`,
              amountCents: 100 + i,
            }),
            movement({
              kind: i % 2 ? 'churn' : 'expansion',
              amountCents: 7,
              occurredAt: new Date('2026-03-02T23:59:59.999Z'),
            }),
          ]),
        ),
      ),
    );
    const fromLedger = await t.dataSource.query(
      `SELECT currency, DATE_FORMAT(occurred_at, '%Y-%m-%d') AS day, kind, SUM(amount_cents) AS cents, COUNT(*) AS n
         FROM mrr_movements GROUP BY currency, day, kind ORDER BY currency, day, kind`,
    );
    const fromTotals = await t.dataSource.query(
      `SELECT currency, DATE_FORMAT(day, '%Y-%m-%d') AS day, kind, SUM(amount_cents) AS cents, SUM(movements) AS n
         FROM mrr_daily_totals GROUP BY currency, day, kind ORDER BY currency, day, kind`,
    );
    type Row = { currency: string; day: string; kind: string; cents: string; n: string };
    const normal = (rows: Row[]) => rows.map((row) => ({ ...row, cents: Number(row.cents), n: Number(row.n) }));
    expect(normal(fromTotals)).toEqual(normal(fromLedger));
    expect(normal(fromLedger)).toContainEqual({
      currency: 'USD',
      day: '2026-03-01',
      kind: 'new',
      cents: 1000 + 24 * 100 + (23 * 24) / 2,
      n: 25,
    });
  });

  it('the migration backfills `new` movements for subscriptions already in MRR (yearly / 12, rounded)', async () => {
    const runner = t.dataSource.createQueryRunner();
    try {
      const migration = new MrrMovements1796172968861();
      const totals = new MrrDailyTotals1796174889059();
      await totals.down(runner);
      await migration.down(runner);
      await runner.query(
        `INSERT INTO plans (id, code, name, price_cents, currency, billing_interval, trial_days, features, items, active, version, created_at, updated_at)
         VALUES ('00000000-0000-7000-8000-0000000000p1', 'bf-month', 'M', 1000, 'USD', 'month', 0, '[]', '[]', 1, 1, NOW(3), NOW(3)),
                ('00000000-0000-7000-8000-0000000000p2', 'bf-year', 'Y', 10001, 'USD', 'year', 0, '[]', '[]', 1, 1, NOW(3), NOW(3))`,
      );
      const subscription = (n: number, plan: string, status: string, price: number) =>
        `('00000000-0000-7000-8000-00000000010${n}', '00000000-0000-7000-8000-0000000000aa', '00000000-0000-7000-8000-0000000000${plan}',
          '${status}', 'pm_card_ok', ${price}, 'USD', NULL, NULL, NULL, 0, NULL, '2026-02-0${n} 08:00:00.000', 0, NULL, NULL, 0, NULL, 1,
          '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000')`;
      await runner.query(
        `INSERT INTO subscriptions (id, user_id, plan_id, status, payment_method, price_cents, currency,
           current_period_start, current_period_end, trial_end, cancel_at_period_end, canceled_at, activated_at,
           failed_attempts, next_retry_at, pending_invoice_id, credit_cents, live_key, version, created_at, updated_at)
         VALUES ${[
           subscription(1, 'p1', 'active', 1000),
           subscription(2, 'p2', 'past_due', 10001),
           subscription(3, 'p1', 'trialing', 1000),
           subscription(4, 'p1', 'canceled', 1000),
         ].join(', ')}`,
      );
      await migration.up(runner);
      await totals.up(runner);
      expect(
        await runner.query('SELECT day, kind, amount_cents, movements FROM mrr_daily_totals ORDER BY day'),
      ).toEqual([
        { day: new Date('2026-02-01T00:00:00Z'), kind: 'new', amount_cents: 1000, movements: 1 },
        { day: new Date('2026-02-02T00:00:00Z'), kind: 'new', amount_cents: 833, movements: 1 },
      ]);
      const backfilled = await t.dataSource.query<MovementRow[]>(
        'SELECT subscription_id, kind, amount_cents, currency, occurred_at FROM mrr_movements ORDER BY subscription_id',
      );
      expect(backfilled).toEqual([
        {
          subscription_id: '00000000-0000-7000-8000-000000000101',
          kind: 'new',
          amount_cents: 1000,
          currency: 'USD',
          occurred_at: new Date('2026-02-01T08:00:00.000Z'),
        },
        {
          subscription_id: '00000000-0000-7000-8000-000000000102',
          kind: 'new',
          amount_cents: 833, // 10001 / 12 = 833.4
          currency: 'USD',
          occurred_at: new Date('2026-02-02T08:00:00.000Z'),
        },
      ]);
    } finally {
      await runner.release();
    }
  });
});
