// One renewal run over 10,000 due subscriptions (the requirement: batch-processed, ahead of 100 renewals/s).
// Seeds 10,000 active monthly subscriptions whose period ended an hour ago (every 20th with
// `pm_card_fail_next`, so 5 % go to dunning), then times one `RenewalService.run(now)` (simulated gateway).
// Checks: processed = renewed + failed = 10,000 and 10,000 renewal invoices.
//   node bench/measurements/renewals.mjs   (after `npm run build`; bench/run.mjs runs it)
import { DataSource } from 'typeorm';
import { dist, progress, runMeasurement, seconds, startApp } from '../lib/measurement.mjs';

const COUNT = 10_000;
const MIN_PER_SECOND = 100;
const PLAN_ID = '00000000-0000-7000-8000-000000000001';

await runMeasurement('renewals', async (target) => {
  const { RenewalService } = await dist('src/modules/subscriptions/services/renewal.service.js');
  const app = await startApp(target);
  try {
    const ds = app.get(DataSource);
    let started = process.hrtime.bigint();
    await ds.query(
      `INSERT INTO plans (id, code, name, price_cents, currency, billing_interval, trial_days, features, items, active, version, created_at, updated_at)
       VALUES (?, 'bench', 'Bench', 1000, 'EUR', 'month', 0, '["a"]', '[]', 1, 1, NOW(3), NOW(3))`,
      [PLAN_ID],
    );
    // seq_1_to_N: MariaDB's sequence engine.
    await ds.query(
      `INSERT INTO subscriptions (id, user_id, plan_id, status, payment_method, price_cents, currency,
         current_period_start, current_period_end, trial_end, cancel_at_period_end, canceled_at, activated_at,
         failed_attempts, next_retry_at, pending_invoice_id, credit_cents, live_key, version, created_at, updated_at)
       SELECT CONCAT(LPAD(HEX(seq), 8, '0'), '-0000-7000-8000-000000000000'),
              CONCAT('10000000-0000-7000-8000-', LPAD(seq, 12, '0')),
              ?, 'active', IF(seq % 20 = 0, 'pm_card_fail_next', 'pm_card_ok'), 1000, 'EUR',
              NOW(3) - INTERVAL 31 DAY, NOW(3) - INTERVAL 1 HOUR, NULL, 0, NULL, NOW(3) - INTERVAL 31 DAY,
              0, NULL, NULL, 0, CONCAT(LPAD(HEX(seq), 8, '0'), ':live'), 1, NOW(3), NOW(3)
       FROM seq_1_to_${COUNT}`,
      [PLAN_ID],
    );
    progress(`renewals: seeded ${COUNT} due subscriptions in ${seconds(started).toFixed(1)} s`);

    globalThis.gc?.();
    started = process.hrtime.bigint();
    const result = await app.get(RenewalService).run(new Date());
    const took = seconds(started);
    const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM invoices WHERE billing_reason = 'subscription_cycle'");
    const invoices = Number(n);
    const perSecond = COUNT / took;
    const { APP_CONFIG } = await dist('src/config/app-config.js');
    const batchSize = app.get(APP_CONFIG).billing.renewalBatchSize;
    return {
      count: COUNT,
      seconds: Math.round(took * 100) / 100,
      perSecond: Math.round(perSecond),
      figures: `${COUNT} in ${took.toFixed(2)} s = ${Math.round(perSecond)} renewals/s`,
      target: { description: `≥ ${MIN_PER_SECOND} renewals/s`, pass: perSecond >= MIN_PER_SECOND },
      detail:
        `one RenewalService.run over ${COUNT} due subscriptions, batch ${batchSize}: ` +
        `${result.renewed} renewed, ${result.failed} failed (dunning), ${invoices} renewal invoices`,
      result,
      invoices,
      checks: [
        { what: `processed = ${COUNT} (${result.processed})`, ok: result.processed === COUNT },
        {
          what: `renewed + failed = ${COUNT} (${result.renewed} + ${result.failed})`,
          ok: result.renewed + result.failed === COUNT,
        },
        { what: `renewal invoices = ${COUNT} (${invoices})`, ok: invoices === COUNT },
      ],
    };
  } finally {
    await app.close();
  }
});
