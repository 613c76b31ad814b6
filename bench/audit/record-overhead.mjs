// Service-level cost of audit recording (the worst case behind the HTTP `audit-write` scenario): an
// audited write (UPDATE one row + AuditService.record, one transaction) vs the same write with
// AUDIT_RECORDING=false, 16 concurrent, interleaved rounds, same database, same pool size; prints the
// throughput ratio. Not part of `npm run bench` (no target: the target is the HTTP scenario's).
//   npm run build && node bench/audit/record-overhead.mjs
// BENCH_ROUNDS (default 10) and BENCH_PER_ROUND (default 3,000) tune it; BENCH_DATABASE_URL / BENCH_REDIS_URL
// as for the bench (loopback; scratch database <name>_audit_record_overhead, dropped before and after).
import { v7 } from 'uuid';
import { DataSource } from 'typeorm';
import { dropBenchDatabase } from '../lib/database.mjs';
import { dist, scratchTarget, startApp } from '../lib/measurement.mjs';

const target = scratchTarget('audit-record-overhead');
const [{ TransactionService }, { AuditService }] = await Promise.all([
  dist('src/infrastructure/database/transaction.service.js'),
  dist('src/modules/audit/services/audit.service.js'),
]);
const start = (env) => startApp(target, env);

async function benchWrite() {
  const audited = await start({ AUDIT_RECORDING: 'true' });
  const bare = await start({ AUDIT_RECORDING: 'false', BENCH_MODE: 'true' });
  const ds = audited.get(DataSource);
  const CONCURRENCY = 16;
  const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 3_000);
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
  const users = [];
  for (let i = 0; i < CONCURRENCY; i++) {
    const id = v7();
    users.push(id);
    await ds.query(
      'INSERT INTO users (id, email, name, password_hash, roles, created_at, updated_at) VALUES (?, ?, ?, ?, ?, NOW(3), NOW(3))',
      [id, `bench-${i}@bench.local`, 'Bench', '!', 'customer'],
    );
  }
  const round = async (app) => {
    const tx = app.get(TransactionService);
    const audit = app.get(AuditService);
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      users.map(async (userId) => {
        while (next < PER_ROUND) {
          const n = next++;
          await tx.run(async (manager) => {
            await manager.query('UPDATE users SET name = ?, updated_at = NOW(3) WHERE id = ?', [`Bench ${n}`, userId]);
            await audit.record(manager, {
              action: 'users.update',
              entityType: 'user',
              entityId: userId,
              changes: { name: { from: `Bench ${n - 1}`, to: `Bench ${n}` } },
            });
          });
        }
      }),
    );
    return PER_ROUND / (Number(process.hrtime.bigint() - started) / 1e9);
  };
  await round(audited); // warm-up
  await round(bare);
  const ratios = [];
  const rates = { audited: [], bare: [] };
  for (let r = 0; r < ROUNDS; r++) {
    // Interleaved, alternating which goes first.
    const order = r % 2 === 0 ? ['audited', 'bare'] : ['bare', 'audited'];
    const result = {};
    for (const name of order) result[name] = await round(name === 'audited' ? audited : bare);
    rates.audited.push(result.audited);
    rates.bare.push(result.bare);
    ratios.push(result.audited / result.bare);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `write: audited ${median(rates.audited).toFixed(0)}/s, unaudited ${median(rates.bare).toFixed(0)}/s, ` +
      `ratio median ${median(ratios).toFixed(3)} (min ${Math.min(...ratios).toFixed(3)}, max ${Math.max(...ratios).toFixed(3)}), ` +
      `${ROUNDS} interleaved rounds x ${PER_ROUND} writes, concurrency ${CONCURRENCY}`,
  );
  await bare.close();
  await audited.close();
}

await dropBenchDatabase(target.databaseUrl);
try {
  await benchWrite();
} finally {
  await dropBenchDatabase(target.databaseUrl);
}
process.exit(0);
