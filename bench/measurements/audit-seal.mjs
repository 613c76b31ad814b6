// Audit chain sealing throughput: the single writer of the audit chain (one instance at a time holds the
// sealer's named lock), so its events/s bound the audited writes/s the whole system can keep sealed.
// Seeds 50,000 unsealed events (multi-row INSERT), then times one `AuditSealerService.sealPending({ full: true })`.
// Checks: sealed = 50,000 and audit_chain has 50,000 links.
//   node bench/measurements/audit-seal.mjs   (after `npm run build`; bench/run.mjs runs it)
import { v7 } from 'uuid';
import { DataSource } from 'typeorm';
import { dist, progress, runMeasurement, seconds, startApp } from '../lib/measurement.mjs';

const EVENTS = 50_000;
const PER_INSERT = 5_000;

await runMeasurement('audit-seal', async (target) => {
  const { AuditSealerService } = await dist('src/modules/audit/services/audit-sealer.service.js');
  const app = await startApp(target);
  try {
    const ds = app.get(DataSource);
    const start0 = Date.now() - EVENTS;
    for (let offset = 0; offset < EVENTS; offset += PER_INSERT) {
      const rows = [];
      for (let i = offset; i < offset + PER_INSERT; i++) {
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
    progress(`audit-seal: seeded ${EVENTS} events`);
    const started = process.hrtime.bigint();
    const sealed = await app.get(AuditSealerService).sealPending({ full: true });
    const took = seconds(started);
    const [{ n }] = await ds.query('SELECT COUNT(*) AS n FROM audit_chain');
    const perSecond = Math.round(sealed / took);
    return {
      count: EVENTS,
      seconds: Math.round(took * 100) / 100,
      perSecond,
      figures: `${sealed} events sealed in ${took.toFixed(2)} s = ${perSecond} events/s`,
      target: null,
      detail: `one full seal pass over ${EVENTS} unsealed events (batches of AUDIT_BATCH_SIZE per INSERT into audit_chain)`,
      checks: [
        { what: `sealed = ${EVENTS} (${sealed})`, ok: sealed === EVENTS },
        { what: `chain links = ${EVENTS} (${n})`, ok: Number(n) === EVENTS },
      ],
    };
  } finally {
    await app.close();
  }
});
