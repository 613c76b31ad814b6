// Audit chain verify over 100,000 events: time and memory (the requirement: verify walks the chain in
// batches, so memory stays bounded by one batch). Seeds 100,000 events (multi-row INSERT), seals them
// (one full pass), then times `AuditVerifierService.verify()` while sampling heap and RSS every 5 ms.
// Checks: ok = true and checked = 100,000.
//   node --expose-gc bench/measurements/audit-verify.mjs   (after `npm run build`; bench/run.mjs runs it)
import { DataSource } from 'typeorm';
import { seedUnsealedEvents } from '../lib/audit-events.mjs';
import { dist, memorySampler, progress, runMeasurement, seconds, startApp } from '../lib/measurement.mjs';

const EVENTS = 100_000;

await runMeasurement('audit-verify', async (target) => {
  const [{ AuditSealerService }, { AuditVerifierService }] = await Promise.all([
    dist('src/modules/audit/services/audit-sealer.service.js'),
    dist('src/modules/audit/services/audit-verifier.service.js'),
  ]);
  const app = await startApp(target);
  try {
    const ds = app.get(DataSource);
    let started = process.hrtime.bigint();
    await seedUnsealedEvents(ds, EVENTS);
    const seedSeconds = seconds(started);
    progress(`audit-verify: seeded ${EVENTS} events in ${seedSeconds.toFixed(1)} s`);

    globalThis.gc?.();
    started = process.hrtime.bigint();
    const sealed = await app.get(AuditSealerService).sealPending({ full: true });
    const sealSeconds = seconds(started);
    progress(`audit-verify: sealed ${sealed} events (one full pass) in ${sealSeconds.toFixed(1)} s`);

    const sampler = memorySampler();
    started = process.hrtime.bigint();
    const result = await app.get(AuditVerifierService).verify();
    const took = seconds(started);
    const memory = sampler.stop();
    return {
      count: EVENTS,
      seconds: Math.round(took * 100) / 100,
      perSecond: Math.round(result.checked / took),
      ...memory,
      seedSeconds: Math.round(seedSeconds * 10) / 10,
      sealSeconds: Math.round(sealSeconds * 10) / 10,
      figures: `${EVENTS} events in ${took.toFixed(2)} s (${Math.round(result.checked / took)}/s), heap +${memory.heapPeakDeltaMB} MB peak`,
      target: null,
      detail:
        `verify over ${EVENTS} sealed events: heap +${memory.heapPeakDeltaMB} MB peak over ${memory.heapBeforeMB} MB, ` +
        `RSS ${memory.rssBeforeMB} → ${memory.rssPeakMB} MB peak${memory.gcExposed ? '' : ' (no --expose-gc: baseline not after a GC)'}; ` +
        `seal pass ${sealSeconds.toFixed(1)} s`,
      checks: [
        { what: `ok = true (${result.ok})`, ok: result.ok === true },
        { what: `checked = ${EVENTS} (${result.checked})`, ok: result.checked === EVENTS },
      ],
    };
  } finally {
    await app.close();
  }
});
