// One year of daily MRR buckets over 100,000 movements, cold (the requirement: < 200 ms).
// Seeds 100,000 USD movements spread over 2024 and 2025 (multi-row INSERT from MariaDB's sequence
// engine) and their daily totals (what the recorder keeps beside them, and what the metric reads), so
// that the opening balance of 2025 covers half of them and the buckets the other half, then
// asks GET /api/v1/billing/metrics/mrr?from=2025-01-01&to=2025-12-31&interval=day through the whole
// HTTP stack (fastify inject: auth, validation, cache lookup, SQL, serialisation) RUNS times, each with
// a query of its own, so every request misses the cache. Judged: the FIRST of them (the requirement's
// "cold": nothing of that year has been computed or cached yet); the median and the worst of the RUNS
// are reported beside it, not judged (a later miss reads pages the first one brought into memory).
// Before them, one request of an empty month carries the process's own start-up (JIT, pool and
// Redis connections) and reads none of the year's rows: reported, not judged.
// Checks: 365 buckets, each balanced and chained, the last ending = the ledger's signed sum (SQL).
//   node bench/measurements/mrr-metrics.mjs   (after `npm run build`; bench/run.mjs runs it)
import { DataSource } from 'typeorm';
import { dist, progress, runMeasurement, seconds, startApp } from '../lib/measurement.mjs';

const MOVEMENTS = 100_000;
const RUNS = 7;
const TARGET_MS = 200;
const ADMIN_ID = '00000000-0000-7000-8000-00000000ad01';

await runMeasurement('mrr-metrics', async (target) => {
  const { AccessTokenService } = await dist('src/common/auth/access-token.service.js');
  const app = await startApp(target);
  try {
    const ds = app.get(DataSource);
    let started = process.hrtime.bigint();
    await ds.query(
      `INSERT INTO mrr_movements (id, subscription_id, user_id, kind, amount_cents, currency, occurred_at)
       SELECT CONCAT(LPAD(HEX(seq), 8, '0'), '-0000-7000-8000-000000000000'),
              CONCAT('00000000-0000-7000-8000-', LPAD(seq % 30000, 12, '0')),
              CONCAT('10000000-0000-7000-8000-', LPAD(seq % 20000, 12, '0')),
              ELT(1 + seq % 10, 'new', 'new', 'new', 'new', 'expansion', 'expansion', 'contraction', 'churn', 'churn', 'reactivation'),
              500 + seq % 4500, 'USD',
              TIMESTAMP'2024-01-01 00:00:00' + INTERVAL (seq * 7919) % (731 * 86400) SECOND
       FROM seq_1_to_${MOVEMENTS}`,
    );
    // Their daily totals, as the recorder keeps them (spread over the shards like concurrent writers leave them).
    await ds.query(
      `INSERT INTO mrr_daily_totals (currency, day, kind, shard, amount_cents, movements)
       SELECT currency, DATE(occurred_at), kind, CRC32(id) % 4, SUM(amount_cents), COUNT(*)
       FROM mrr_movements GROUP BY currency, DATE(occurred_at), kind, CRC32(id) % 4`,
    );
    await ds.query('ANALYZE TABLE mrr_movements, mrr_daily_totals');
    await ds.query(
      `INSERT INTO users (id, email, name, password_hash, roles, created_at, updated_at)
       VALUES (?, 'bench-admin@example.test', 'Bench', '!', 'admin,customer', NOW(3), NOW(3))`,
      [ADMIN_ID],
    );
    progress(`mrr-metrics: seeded ${MOVEMENTS} movements in ${seconds(started).toFixed(1)} s`);
    const [{ total }] = await ds.query(
      `SELECT SUM(IF(kind IN ('new', 'expansion', 'reactivation'), amount_cents, -amount_cents)) AS total
       FROM mrr_movements WHERE currency = 'USD' AND occurred_at < '2026-01-01'`,
    );

    const token = app.get(AccessTokenService).sign({ id: ADMIN_ID, roles: ['admin', 'customer'] });
    const fastify = app.getHttpAdapter().getInstance();
    await fastify.ready();
    const get = (query) =>
      fastify.inject({
        method: 'GET',
        url: `/api/v1/billing/metrics/mrr?${query}`,
        headers: { authorization: `Bearer ${token}` },
      });
    // The process's first request pays for its own start (JIT, pool and Redis connections): reported,
    // not judged. It asks a month without data, so the measured runs below still read cold data.
    started = process.hrtime.bigint();
    const warmup = await get('from=2023-01-01&to=2023-01-31&interval=day');
    const warmupMs = seconds(started) * 1000;
    if (warmup.statusCode !== 200) throw new Error(`metrics: ${warmup.statusCode} ${warmup.body}`);
    const timings = [];
    let body;
    for (let run = 0; run < RUNS; run++) {
      // A different `from` instant in the same day: the same 365 buckets under a cache key of its own.
      const from = `2025-01-01T00:00:0${run}Z`;
      started = process.hrtime.bigint();
      const res = await get(`from=${from}&to=2025-12-31&interval=day`);
      timings.push(seconds(started) * 1000);
      if (res.statusCode !== 200) throw new Error(`metrics: ${res.statusCode} ${res.body}`);
      body = res.json();
    }
    const first = timings[0];
    const median = [...timings].sort((a, b) => a - b)[Math.floor(RUNS / 2)];
    const data = body.data;
    const balanced = data.every(
      (b) =>
        b.startingMrrCents + b.newCents + b.expansionCents + b.reactivationCents - b.contractionCents - b.churnCents ===
        b.endingMrrCents,
    );
    const chained = data.every((b, i) => i === 0 || b.startingMrrCents === data[i - 1].endingMrrCents);
    const ending = data.at(-1)?.endingMrrCents;
    const worst = Math.max(...timings);
    return {
      count: MOVEMENTS,
      buckets: data.length,
      firstMs: Math.round(first),
      medianMs: Math.round(median),
      worstMs: Math.round(worst),
      processFirstRequestMs: Math.round(warmupMs),
      figures: `365 daily buckets over ${MOVEMENTS} movements: first cold answer ${first.toFixed(0)} ms (median of ${RUNS} cache misses ${median.toFixed(0)} ms)`,
      // Judged on the first cold answer, as the issue states it: a median of 7 passes even when the first
      // answer, the one a user waits for, misses. The median is information only.
      target: { description: `first cold answer < ${TARGET_MS} ms`, pass: first < TARGET_MS },
      detail: `GET /billing/metrics/mrr through fastify inject, each run a cache miss; runs: ${timings.map((ms) => ms.toFixed(0)).join(', ')} ms (the process's very first request, an empty month: ${warmupMs.toFixed(0)} ms)`,
      checks: [
        { what: `365 buckets (${data.length})`, ok: data.length === 365 },
        { what: 'every bucket balances', ok: balanced },
        { what: 'buckets chain (end = next start)', ok: chained },
        { what: `last ending = ledger sum ${Number(total)} (${ending})`, ok: ending === Number(total) },
      ],
    };
  } finally {
    await app.close();
  }
});
