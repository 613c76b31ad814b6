import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bucketTotalsSql, MRR_BEFORE_SQL } from '../src/modules/analytics/repositories/mrr-movement.repository.js';
import { expectIndexed } from './support/explain.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const MOVEMENTS = 100_000;

describe('analytics: query plans on 100,000 MRR movements', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('analytics_explain');
    // A year of movements, 3 currencies, every kind.
    await t.dataSource.query(
      `INSERT INTO mrr_movements (id, subscription_id, user_id, kind, amount_cents, currency, occurred_at)
       SELECT CONCAT(LPAD(HEX(seq), 8, '0'), '-0000-7000-8000-000000000000'),
              CONCAT('00000000-0000-7000-8000-', LPAD(seq % 20000, 12, '0')),
              CONCAT('10000000-0000-7000-8000-', LPAD(seq % 10000, 12, '0')),
              ELT(1 + seq % 5, 'new', 'expansion', 'contraction', 'churn', 'reactivation'),
              100 + seq % 5000, ELT(1 + seq % 3, 'USD', 'USD', 'EUR'),
              TIMESTAMP'2026-01-01 00:00:00' + INTERVAL (seq * 7919) % (365 * 86400) SECOND
       FROM seq_1_to_${MOVEMENTS}`,
    );
    // Their daily totals, spread over the shards as concurrent writers would leave them.
    await t.dataSource.query(
      `INSERT INTO mrr_daily_totals (currency, day, kind, shard, amount_cents, movements)
       SELECT currency, DATE(occurred_at), kind, CRC32(id) % 4, SUM(amount_cents), COUNT(*)
       FROM mrr_movements GROUP BY currency, DATE(occurred_at), kind, CRC32(id) % 4`,
    );
    await t.dataSource.query('ANALYZE TABLE mrr_movements, mrr_daily_totals');
  }, 120_000);
  afterAll(() => t.close());

  it('MRR before a day: a primary-key range of the daily totals', async () => {
    const [plan] = await expectIndexed(t.dataSource, MRR_BEFORE_SQL, ['USD', '2026-07-01'], {
      keys: { mrr_daily_totals: 'PRIMARY' },
    });
    expect(plan.type).toBe('range');
  });

  it.each(['day', 'month'] as const)(
    '%s bucket totals: a primary-key range of the daily totals, no sort',
    async (interval) => {
      const [plan] = await expectIndexed(t.dataSource, bucketTotalsSql(interval), ['USD', '2026-03-01', '2026-04-01'], {
        noFilesort: true,
        keys: { mrr_daily_totals: 'PRIMARY' },
      });
      expect(plan.type).toBe('range');
      // Days are grouped in primary-key order: no temporary table.
      if (interval === 'day') expect(plan.Extra).not.toMatch(/temporary/);
    },
  );
});
