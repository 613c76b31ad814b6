// Audit micro-benchmarks against the built app (run `npm run build` first), on a scratch database:
//   node --expose-gc bench/audit/audit-bench.mjs [write|verify|all]
// write:  an audited write (UPDATE one row + AuditService.record, one transaction) vs the same write with
//         AUDIT_RECORDING=false, interleaved rounds, same database, same pool size; reports the throughput ratio.
// verify: seeds 100,000 events, seals them (one full pass), then verifies; reports time and memory.
// Environment: BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306), BENCH_DB (default ms_bench_audit).
import 'reflect-metadata';
import { clearInterval, setInterval } from 'node:timers';
import mysql from 'mysql2/promise';
import { pino } from 'pino';
import { v7 } from 'uuid';
import { createApp } from '../../dist/src/bootstrap.js';
import { loadConfig } from '../../dist/src/config/app-config.js';
import { ensureDatabase } from '../../dist/src/infrastructure/database/prepare-database.js';
import { TransactionService } from '../../dist/src/infrastructure/database/transaction.service.js';
import { AuditService } from '../../dist/src/modules/audit/services/audit.service.js';
import { AuditSealerService } from '../../dist/src/modules/audit/services/audit-sealer.service.js';
import { AuditVerifierService } from '../../dist/src/modules/audit/services/audit-verifier.service.js';
import { DataSource } from 'typeorm';

const MYSQL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const DB = process.env.BENCH_DB ?? 'ms_bench_audit';
const what = process.argv[2] ?? 'all';

async function resetDatabase() {
  const connection = await mysql.createConnection({ uri: MYSQL });
  await connection.query(`DROP DATABASE IF EXISTS \`${DB}\``);
  await connection.end();
}

async function start(env = {}) {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: `${MYSQL}/${DB}`,
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/6',
    REDIS_KEY_PREFIX: 'bench-audit:',
    JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
    JOBS_ENABLED: 'false',
    LOG_LEVEL: 'silent',
    ...env,
  });
  await ensureDatabase(config);
  const app = await createApp(config, pino({ level: 'silent' }));
  await app.init();
  return app;
}

async function benchWrite() {
  const audited = await start({ AUDIT_RECORDING: 'true' });
  const bare = await start({ AUDIT_RECORDING: 'false' });
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

async function benchVerify() {
  const EVENTS = 100_000;
  const app = await start();
  const ds = app.get(DataSource);
  const t0 = Date.now();
  const start0 = Date.now() - EVENTS;
  for (let offset = 0; offset < EVENTS; offset += 5_000) {
    const rows = [];
    for (let i = offset; i < offset + 5_000; i++) {
      const ms = start0 + i;
      rows.push([
        v7({ msecs: ms }),
        new Date(ms),
        `01900000-0000-7000-8000-${String(i % 100).padStart(12, '0')}`,
        'bench.event',
        'bench',
        `entity-${i % 1000}`,
        `req-${i}`,
        '10.0.0.1',
        'success',
        JSON.stringify({ name: { from: `old ${i}`, to: `new ${i}` }, quantity: i % 17 }),
      ]);
    }
    await ds.query(
      'INSERT INTO audit_events (id, occurred_at, actor_id, action, entity_type, entity_id, request_id, ip, outcome, changes) VALUES ?',
      [rows],
    );
  }
  console.log(`verify: seeded ${EVENTS} events in ${Date.now() - t0} ms`);
  globalThis.gc?.();
  const t1 = Date.now();
  const sealed = await app.get(AuditSealerService).sealPending({ full: true });
  console.log(`verify: sealed ${sealed} events (one full pass) in ${Date.now() - t1} ms`);

  globalThis.gc?.();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 5);
  const t2 = Date.now();
  const result = await app.get(AuditVerifierService).verify();
  const took = Date.now() - t2;
  clearInterval(sampler);
  const mb = (n) => (n / 1024 / 1024).toFixed(1);
  console.log(
    `verify: ok=${result.ok} checked=${result.checked} in ${took} ms (${((result.checked / took) * 1000).toFixed(0)} events/s); ` +
      `heap before ${mb(before.heapUsed)} MB, peak ${mb(peakHeap)} MB (+${mb(peakHeap - before.heapUsed)}); ` +
      `rss before ${mb(before.rss)} MB, peak ${mb(peakRss)} MB`,
  );
  await app.close();
}

await resetDatabase();
if (what === 'write' || what === 'all') await benchWrite();
if (what === 'verify' || what === 'all') {
  await resetDatabase();
  await benchVerify();
}
await resetDatabase();
process.exit(0);
