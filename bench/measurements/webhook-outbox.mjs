// Outbox throughput: how many webhook deliveries per second one instance sends to a local receiver
// that answers 200 at once (the requirement: ≥ 500/s). Seeds 10,000 audit events (product.update,
// what audited writes leave: the outbox record of an audited change is its audit event) and commits
// them together, then times until the receiver (its own process, so it does not share the service's
// event loop) has them all: seal, relay into outbox rows, fan-out into deliveries, claim, sign, send,
// record. The service runs its real jobs (JOBS_ENABLED=true, default WEBHOOK_CONCURRENCY, polling every
// 50 ms). Rows seeded in SQL do not wake the instance as a writer's commit does (an after-commit seal
// pass, then the relay), so the measurement asks for that seal pass itself right after its commit.
// Checks: exactly 10,000 requests, 10,000 distinct event ids, 10,000 rows `delivered`.
//   node bench/measurements/webhook-outbox.mjs   (after `npm run build`; bench/run.mjs runs it)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { DataSource } from 'typeorm';
import { dist, progress, runMeasurement, seconds, startApp } from '../lib/measurement.mjs';

const COUNT = 10_000;
const MIN_PER_SECOND = 500;
const BATCH = 1_000;

const RECEIVER = `
const http = require('node:http');
const ids = new Set();
let requests = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'GET') { res.end(JSON.stringify({ requests, distinct: ids.size })); return; }
  requests++;
  ids.add(req.headers['mainspring-event-id']);
  req.resume();
  req.on('end', () => res.end('ok'));
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
`;

async function startReceiver() {
  const child = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [chunk] = await once(child.stdout, 'data');
  const url = `http://127.0.0.1:${Number(String(chunk).trim())}`;
  return {
    url,
    counts: async () => (await fetch(url)).json(),
    stop: () => child.kill(),
  };
}

await runMeasurement('webhook-outbox', async (target) => {
  const [{ AuditFeed }, { WebhookEndpointsService }, { APP_CONFIG }, { newId }] = await Promise.all([
    dist('src/modules/audit/index.js'),
    dist('src/modules/webhooks/services/webhook-endpoints.service.js'),
    dist('src/config/app-config.js'),
    dist('src/common/ids.js'),
  ]);
  const receiver = await startReceiver();
  const app = await startApp(target, {
    JOBS_ENABLED: 'true',
    WEBHOOK_ALLOW_PRIVATE: 'true', // the receiver is on loopback
    WEBHOOK_POLL_INTERVAL_MS: '50',
  });
  try {
    const ds = app.get(DataSource);
    const config = app.get(APP_CONFIG);
    await app.get(WebhookEndpointsService).create({
      url: `${receiver.url}/hooks`,
      // Not '*': the endpoint would also get the audit event of its own creation.
      events: ['product.update'],
    });
    let started = process.hrtime.bigint();
    const batches = [];
    for (let offset = 0; offset < COUNT; offset += BATCH) {
      const events = Array.from({ length: Math.min(BATCH, COUNT - offset) }, (_, i) => ({
        id: newId(),
        entityId: newId(),
        changes: JSON.stringify({ name: { from: 'n', to: `n${offset + i}` } }),
      }));
      batches.push(events);
    }
    globalThis.gc?.();
    // One transaction: the jobs (polling meanwhile) see all 10,000 at once, when it commits.
    await ds.transaction(async (manager) => {
      for (const events of batches) {
        await manager.query(
          `INSERT INTO audit_events (id, occurred_at, actor_id, action, entity_type, entity_id, request_id, ip, outcome, changes)
           VALUES ${events.map(() => "(?, NOW(3), 'system', 'product.update', 'product', ?, NULL, NULL, 'success', ?)").join(', ')}`,
          events.flatMap((e) => [e.id, e.entityId, e.changes]),
        );
      }
    });
    const cpuBefore = process.cpuUsage();
    progress(`webhook-outbox: seeded ${COUNT} events in ${seconds(started).toFixed(1)} s`);
    started = process.hrtime.bigint();
    await app.get(AuditFeed).sealNow(); // what the writing instance does after its commit
    let counts = await receiver.counts();
    const deadline = Date.now() + 300_000;
    while (counts.requests < COUNT && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      counts = await receiver.counts();
    }
    const took = seconds(started);
    const cpu = process.cpuUsage(cpuBefore);
    // The service's own CPU per delivery: what the rate would be on an idle core (the bench host is shared).
    const cpuUsPerDelivery = Math.round((cpu.user + cpu.system) / COUNT);
    // Let the last outcomes be recorded, then look for duplicates.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    counts = await receiver.counts();
    const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'delivered'");
    const delivered = Number(n);
    const perSecond = COUNT / took;
    return {
      count: COUNT,
      seconds: Math.round(took * 100) / 100,
      perSecond: Math.round(perSecond),
      cpuUsPerDelivery,
      figures:
        `${COUNT} in ${took.toFixed(2)} s = ${Math.round(perSecond)} deliveries/s; ` +
        `service CPU ${cpuUsPerDelivery} µs/delivery (≈ ${Math.round(1e6 / cpuUsPerDelivery)}/s per idle core)`,
      target: { description: `≥ ${MIN_PER_SECOND} deliveries/s`, pass: perSecond >= MIN_PER_SECOND },
      detail:
        `one instance's jobs (concurrency ${config.webhooks.concurrency}, keep-alive) sending ${COUNT} ` +
        'audited changes (sealed, relayed into the outbox, fanned out into deliveries) to a receiver process answering 200 at once; from their commit to the last one received',
      checks: [
        { what: `requests received = ${COUNT} (${counts.requests})`, ok: counts.requests === COUNT },
        { what: `distinct event ids = ${COUNT} (${counts.distinct})`, ok: counts.distinct === COUNT },
        { what: `rows delivered = ${COUNT} (${delivered})`, ok: delivered === COUNT },
      ],
    };
  } finally {
    await app.close();
    receiver.stop();
  }
});
