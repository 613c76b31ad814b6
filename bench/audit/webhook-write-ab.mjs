// In-process A/B of the audited write with a webhook endpoint subscribed to "*": what the webhook
// outbox costs on the write path. Several apps built in ONE process (each on its own scratch database and
// Redis prefix), `PATCH /api/v1/products/:id` (new name; 64 products) through fastify.inject, small
// batches alternating between the apps so machine noise hits all alike. Reports each app's median
// CPU µs per request (this process: the service's side, MySQL's CPU is not in it), its median
// per-batch CPU ratio to the unaudited app, and its median per-batch wall-time ratio (32 requests in
// flight: a throughput proxy that includes MySQL).
// Variants: unaudited (AUDIT_RECORDING=false); audited, no endpoint; audited + an endpoint on "*" (as
// shipped: the audit event is the outbox record, relayed after commit by the delivery job, which is off
// here as in the bench service). The earlier write paths (an outbox INSERT in the audited transaction:
// two rows encrypted, then one row, then one row in the clear) are in git history and in
// bench/README.md "audit-write-webhook: what each change bought".
// Usage: npm run build && node bench/audit/webhook-write-ab.mjs [batches]   (MySQL + Redis as for npm run bench)
import { dist, progress, scratchTarget, startApp } from '../lib/measurement.mjs';
import { median } from '../lib/stats.mjs';
import { dropBenchDatabase } from '../lib/database.mjs';

const BATCHES = Number(process.argv[2] ?? 30);
const BATCH = 256;
const CONCURRENCY = 32;
const PRODUCTS = 64;
const ADMIN_ID = '00000000-0000-7000-8000-00000000ad01';

const [{ AccessTokenService }, { WebhookEndpointsService }] = await Promise.all([
  dist('src/common/auth/access-token.service.js'),
  dist('src/modules/webhooks/services/webhook-endpoints.service.js'),
]);

const variants = [];
async function add(name, env, { endpoint = false } = {}) {
  const target = scratchTarget(`whab_${variants.length}`);
  await dropBenchDatabase(target.databaseUrl);
  // Rate limits must never be what is measured (as in the bench's service, lib/servers.mjs).
  const app = await startApp(target, { RATE_LIMIT_PER_MINUTE: '10000000', ...env });
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  const ds = app.get((await import('typeorm')).DataSource);
  await ds.query(
    `INSERT INTO users (id, email, name, password_hash, roles, created_at, updated_at)
     VALUES (?, 'bench-admin@example.test', 'Bench', '!', 'admin,customer', NOW(3), NOW(3))`,
    [ADMIN_ID],
  );
  const auth = {
    authorization: `Bearer ${app.get(AccessTokenService).sign({ id: ADMIN_ID, roles: ['admin', 'customer'] })}`,
  };
  const ids = [];
  for (let i = 0; i < PRODUCTS; i++) {
    const res = await fastify.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: auth,
      payload: {
        sku: `AB-${variants.length}-${i}`,
        name: 'A/B product',
        priceCents: 1999,
        currency: 'EUR',
        initialStock: 10,
      },
    });
    if (res.statusCode !== 201) throw new Error(`${name}: create product ${res.statusCode} ${res.body}`);
    ids.push(res.json().id);
  }
  if (endpoint) await app.get(WebhookEndpointsService).create({ url: 'https://93.184.216.34/ab-hooks', events: ['*'] });
  variants.push({ name, app, ds, fastify, auth, ids, cpu: [], wall: [], target });
}

await add('unaudited', { AUDIT_RECORDING: 'false', BENCH_MODE: 'true' });
await add('audited, no endpoint', {});
await add('audited + endpoint on *: relayed (shipped)', {}, { endpoint: true });

let counter = 0;
const run = async (v, count) => {
  for (let sent = 0; sent < count; sent += CONCURRENCY) {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        const id = v.ids[counter++ % PRODUCTS];
        const res = await v.fastify.inject({
          method: 'PATCH',
          url: `/api/v1/products/${id}`,
          headers: v.auth,
          payload: { name: `Renamed ${counter}` },
        });
        if (res.statusCode !== 200) throw new Error(`${v.name}: PATCH ${res.statusCode} ${res.body.slice(0, 200)}`);
      }),
    );
  }
};
for (const v of variants) await run(v, 512);
progress(`warmed up; ${BATCHES} batches of ${BATCH} per variant`);
for (let b = 0; b < BATCHES; b++) {
  for (const v of b % 2 ? [...variants].reverse() : variants) {
    const start = process.cpuUsage();
    const started = process.hrtime.bigint();
    await run(v, BATCH);
    const used = process.cpuUsage(start);
    v.wall.push(Number(process.hrtime.bigint() - started) / 1e6 / BATCH);
    v.cpu.push((used.user + used.system) / BATCH);
  }
}
const ref = variants[0];
for (const v of variants) {
  const cpuRatios = v.cpu.map((c, i) => c / ref.cpu[i]);
  const wallRatios = v.wall.map((w, i) => ref.wall[i] / w);
  const [{ n }] = await v.ds.query('SELECT COUNT(*) AS n FROM webhook_events');
  console.log(
    `${v.name.padEnd(48)} ${median(v.cpu).toFixed(0).padStart(5)} µs CPU/req  CPU ×${median(cpuRatios).toFixed(2)}  ` +
      `throughput ×${median(wallRatios).toFixed(2)} of ${ref.name}  (outbox rows written ${n})`,
  );
}
for (const v of variants) {
  await v.app.close();
  await dropBenchDatabase(v.target.databaseUrl);
}
process.exit(0);
