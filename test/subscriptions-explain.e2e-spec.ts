import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import {
  LIVE_FEATURES_SQL,
  LIVE_USERS_OF_PLAN_SQL,
  SubscriptionRepository,
} from '../src/modules/subscriptions/repositories/subscription.repository.js';
import { expectIndexed, type ExplainRow } from './support/explain.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The shared check (every table through an index, no filesort, the named index) plus a bound on rows examined. */
async function expectIndexedWithin(
  dataSource: DataSource,
  sql: string,
  params: unknown[],
  expected: { table: string; index: string; maxRows: number },
): Promise<ExplainRow[]> {
  const plan = await expectIndexed(dataSource, sql, params, {
    noFilesort: true,
    keys: { [expected.table]: expected.index },
  });
  expect(Number(plan.find((row) => row.table === expected.table)?.rows)).toBeLessThanOrEqual(expected.maxRows);
  return plan;
}

const SUBSCRIPTIONS = 100_000;

describe('subscriptions: query plans on 100,000 subscriptions', () => {
  let t: TestApp;
  let repository: SubscriptionRepository;

  beforeAll(async () => {
    t = await startTestApp('subscriptions_explain');
    repository = t.app.get(SubscriptionRepository);
    await t.dataSource.query(
      `INSERT INTO plans (id, code, name, price_cents, currency, billing_interval, trial_days, features, items, active, version, created_at, updated_at)
       SELECT CONCAT('00000000-0000-7000-8000-', LPAD(seq, 12, '0')), CONCAT('p', seq), 'Plan', 1000, 'EUR',
              IF(seq % 2, 'month', 'year'), 0, '["a"]', '[]', 1, 1, NOW(3), NOW(3)
       FROM seq_1_to_20`,
    );
    // 10,000 users × 10 subscriptions; ~60% canceled; live period ends spread over a year around now; ~0.5% due.
    await t.dataSource.query(
      `INSERT INTO subscriptions (id, user_id, plan_id, status, payment_method, price_cents, currency,
         current_period_start, current_period_end, trial_end, cancel_at_period_end, canceled_at, activated_at,
         failed_attempts, next_retry_at, pending_invoice_id, credit_cents, live_key, version, created_at, updated_at)
       SELECT CONCAT(LPAD(HEX(seq), 8, '0'), '-0000-7000-8000-000000000000'),
              CONCAT('10000000-0000-7000-8000-', LPAD(seq % 10000, 12, '0')),
              CONCAT('00000000-0000-7000-8000-', LPAD(1 + seq % 20, 12, '0')),
              ELT(1 + seq % 10, 'canceled', 'canceled', 'canceled', 'canceled', 'canceled', 'canceled', 'active', 'active', 'trialing', 'past_due'),
              'pm_card_ok', 1000, 'EUR',
              NOW(3) - INTERVAL 30 DAY, NOW(3) + INTERVAL ((seq * 7919) % 36500) / 100 DAY - INTERVAL 2 DAY,
              NULL, 0, IF(seq % 10 < 6, NOW(3) - INTERVAL (seq % 400) DAY, NULL), NOW(3),
              0, IF(seq % 10 = 9, NOW(3) + INTERVAL 1 DAY, NULL), NULL, 0,
              IF(seq % 10 < 6, NULL, CONCAT(LPAD(HEX(seq), 8, '0'), ':live')), 1, NOW(3), NOW(3)
       FROM seq_1_to_${SUBSCRIPTIONS}`,
    );
    await t.dataSource.query('ANALYZE TABLE subscriptions, plans');
  }, 120_000);
  afterAll(() => t.close());

  it('seeded the data', async () => {
    const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM subscriptions');
    expect(Number(n)).toBe(SUBSCRIPTIONS);
  });

  it('the renewal claim range-scans idx_subscriptions_due (status, current_period_end)', async () => {
    const [sql, params] = repository.claimDueQuery(t.dataSource.manager, new Date(), 200).getQueryAndParameters();
    expect(sql).toMatch(/FOR UPDATE SKIP LOCKED/);
    await expectIndexedWithin(t.dataSource, sql, params, {
      table: 's',
      index: 'idx_subscriptions_due',
      maxRows: 5_000,
    });
  });

  it('subscriptions by user use idx_subscriptions_user, newest first without a sort', async () => {
    const userId = '10000000-0000-7000-8000-000000000042';
    const [sql, params] = repository.listQuery({ userId, limit: 20 }).getQueryAndParameters();
    await expectIndexedWithin(t.dataSource, sql, params, { table: 's', index: 'idx_subscriptions_user', maxRows: 50 });
    const [afterSql, afterParams] = repository
      .listQuery({ userId, limit: 20, beforeId: '00000fff-0000-7000-8000-000000000000' })
      .getQueryAndParameters();
    await expectIndexedWithin(t.dataSource, afterSql, afterParams, {
      table: 's',
      index: 'idx_subscriptions_user',
      maxRows: 50,
    });
  });

  it('the admin status filter uses idx_subscriptions_status', async () => {
    const [sql, params] = repository.listQuery({ status: 'past_due', limit: 20 }).getQueryAndParameters();
    await expectIndexedWithin(t.dataSource, sql, params, {
      table: 's',
      index: 'idx_subscriptions_status',
      maxRows: 20_000,
    });
  });

  it('the entitlements read uses idx_subscriptions_user and the plans primary key', async () => {
    const plan = await expectIndexedWithin(t.dataSource, LIVE_FEATURES_SQL, ['10000000-0000-7000-8000-000000000042'], {
      table: 's',
      index: 'idx_subscriptions_user',
      maxRows: 50,
    });
    expect(plan.find((r) => r.table === 'p')?.key).toBe('PRIMARY');
  });

  it("a plan's live subscribers (entitlement invalidation) use idx_subscriptions_plan", async () => {
    await expectIndexedWithin(t.dataSource, LIVE_USERS_OF_PLAN_SQL, ['00000000-0000-7000-8000-000000000007'], {
      table: 'subscriptions',
      index: 'idx_subscriptions_plan',
      maxRows: 10_000,
    });
  });
});
