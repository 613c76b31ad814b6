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
    await t.dataSource.query('ANALYZE TABLE mrr_movements');
  }, 120_000);
  afterAll(() => t.close());

  it('MRR before an instant: an index-only range of idx_mrr_movements_bucket', async () => {
    const [plan] = await expectIndexed(t.dataSource, MRR_BEFORE_SQL, ['USD', new Date('2026-07-01T00:00:00Z')], {
      keys: { mrr_movements: 'idx_mrr_movements_bucket' },
    });
    expect(plan.type).toBe('range');
    expect(plan.Extra).toMatch(/Using index/);
  });

  it.each(['day', 'month'] as const)('%s bucket totals: an index-only range, no sort', async (interval) => {
    const [plan] = await expectIndexed(
      t.dataSource,
      bucketTotalsSql(interval),
      ['USD', new Date('2026-03-01T00:00:00Z'), new Date('2026-04-01T00:00:00Z')],
      { noFilesort: true, keys: { mrr_movements: 'idx_mrr_movements_bucket' } },
    );
    expect(plan.type).toBe('range');
    expect(plan.Extra).toMatch(/Using index/);
    // About a twelfth of the USD rows, not the table.
    expect(Number(plan.rows)).toBeLessThan(MOVEMENTS / 4);
  });
});
