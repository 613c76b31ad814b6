// Audit chain sealing throughput: the single writer of the audit chain (one instance at a time holds the
// sealer's named lock), so its events/s bound the audited writes/s the whole system can keep sealed.
// Seeds 50,000 unsealed events (multi-row INSERT), then times one `AuditSealerService.sealPending({ full: true })`.
// Checks: sealed = 50,000 and audit_chain has 50,000 links.
//   node bench/measurements/audit-seal.mjs   (after `npm run build`; bench/run.mjs runs it)
import { DataSource } from 'typeorm';
import { seedUnsealedEvents } from '../lib/audit-events.mjs';
import { dist, progress, runMeasurement, seconds, startApp } from '../lib/measurement.mjs';

const EVENTS = 50_000;

await runMeasurement('audit-seal', async (target) => {
  const { AuditSealerService } = await dist('src/modules/audit/services/audit-sealer.service.js');
  const app = await startApp(target);
  try {
    const ds = app.get(DataSource);
    await seedUnsealedEvents(ds, EVENTS);
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
