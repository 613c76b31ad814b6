import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RenewalService } from '../src/modules/subscriptions/services/renewal.service.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Opt-in measurement (RENEWAL_BENCH=1 npm run test:e2e -- renewal-bench): one renewal run over
 * RENEWAL_BENCH_COUNT (default 10,000) due subscriptions, simulated gateway. Prints the time and rate.
 */
const COUNT = Number(process.env.RENEWAL_BENCH_COUNT ?? 10_000);
const maybe = process.env.RENEWAL_BENCH ? describe : describe.skip;

maybe('renewal run benchmark', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('subscriptions_renewal_bench');
    await t.dataSource.query(
      `INSERT INTO plans (id, code, name, price_cents, currency, billing_interval, trial_days, features, items, active, version, created_at, updated_at)
       VALUES ('00000000-0000-7000-8000-000000000001', 'bench', 'Bench', 1000, 'EUR', 'month', 0, '["a"]', '[]', 1, 1, NOW(3), NOW(3))`,
    );
    await t.dataSource.query(
      `INSERT INTO subscriptions (id, user_id, plan_id, status, payment_method, price_cents, currency,
         current_period_start, current_period_end, trial_end, cancel_at_period_end, canceled_at, activated_at,
         failed_attempts, next_retry_at, pending_invoice_id, credit_cents, live_key, version, created_at, updated_at)
       SELECT CONCAT(LPAD(HEX(seq), 8, '0'), '-0000-7000-8000-000000000000'),
              CONCAT('10000000-0000-7000-8000-', LPAD(seq, 12, '0')),
              '00000000-0000-7000-8000-000000000001', 'active', IF(seq % 20 = 0, 'pm_card_fail_next', 'pm_card_ok'), 1000, 'EUR',
              NOW(3) - INTERVAL 31 DAY, NOW(3) - INTERVAL 1 HOUR, NULL, 0, NULL, NOW(3) - INTERVAL 31 DAY,
              0, NULL, NULL, 0, CONCAT(LPAD(HEX(seq), 8, '0'), ':live'), 1, NOW(3), NOW(3)
       FROM seq_1_to_${COUNT}`,
    );
  }, 120_000);
  afterAll(() => t.close());

  it(`renews ${COUNT} due subscriptions in one run`, async () => {
    const started = process.hrtime.bigint();
    const result = await t.app.get(RenewalService).run(new Date());
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(
      `renewal run: ${COUNT} due subscriptions in ${seconds.toFixed(2)} s = ${(COUNT / seconds).toFixed(0)}/s; ${JSON.stringify(result)}`,
    );
    expect(result.processed).toBe(COUNT);
    expect(result.renewed + result.failed).toBe(COUNT);
    const [{ n }] = await t.dataSource.query(
      "SELECT COUNT(*) AS n FROM invoices WHERE billing_reason = 'subscription_cycle'",
    );
    expect(Number(n)).toBe(COUNT);
    expect(COUNT / seconds).toBeGreaterThan(100);
  }, 600_000);
});
