// audit-write with one webhook endpoint subscribed to every event ("*"). The audited write issues no
// webhook statement (the audit event is the outbox record: the delivery job's relay turns sealed audit
// events into outbox rows after commit), so this measures that an endpoint on "*" leaves the write
// path as it is. Same baseline and target as audit-write: within 0.85× of the unaudited write. The
// bench service runs with JOBS_ENABLED=false, so nothing is sealed, relayed or sent during the runs.
// `verify` runs what the jobs would have: it starts the built app on the bench database (jobs off,
// in this process), seals and relays until the relay has caught up, checks in SQL that every audited
// PATCH since the endpoint was created is now an outbox event for it, then disables the endpoint, so
// the scenarios that run after this one relay nothing to it.
import { bearer } from '../lib/fixtures.mjs';
import { connectTo } from '../lib/database.mjs';
import { dist, startApp } from '../lib/measurement.mjs';
import { loadSettings } from '../lib/settings.mjs';
import auditWrite, { PRODUCTS } from './audit-write.mjs';

/** One seal pass, then relay passes until the cursor has caught up: the delivery job's first two steps. */
async function sealAndRelay() {
  const settings = loadSettings();
  const [{ AuditFeed }, { OutboxRelay }] = await Promise.all([
    dist('src/modules/audit/index.js'),
    dist('src/modules/webhooks/services/outbox-relay.service.js'),
  ]);
  const app = await startApp({
    databaseUrl: settings.databaseUrl,
    redisUrl: settings.redisUrl,
    redisKeyPrefix: 'bench:', // the service's (lib/servers.mjs): its endpoint list's invalidations
  });
  try {
    await app.get(AuditFeed).sealNow();
    const relay = app.get(OutboxRelay);
    let relayed = 0;
    for (let read = await relay.relay(500); read !== 0; read = await relay.relay(500)) relayed += read ?? 0;
    return relayed;
  } finally {
    await app.close();
  }
}

/** Audited product updates since the endpoint was created (ids are UUID v7: time-ordered), and their outbox rows for it. */
async function outboxRows(endpointId) {
  const conn = await connectTo(loadSettings().databaseUrl);
  try {
    const [[row]] = await conn.query(
      `SELECT
         (SELECT COUNT(*) FROM audit_events WHERE action = 'product.update' AND id > ?) AS audited,
         (SELECT COUNT(*) FROM audit_events a JOIN webhook_events w ON w.id = a.id
           WHERE a.action = 'product.update' AND a.id > ? AND w.fanout_pending = 1
             AND JSON_CONTAINS(w.endpoint_ids, JSON_QUOTE(?))) AS queued`,
      [endpointId, endpointId, endpointId],
    );
    return { audited: Number(row.audited), queued: Number(row.queued) };
  } finally {
    await conn.end();
  }
}

export default {
  ...auditWrite,
  name: 'audit-write-webhook',
  description: `\`PATCH /api/v1/products/:id\` as admin (${PRODUCTS} products) with audit recording and one webhook endpoint subscribed to \`*\` (its events relayed from the audit trail after commit), against the same write with \`AUDIT_RECORDING=false\`.`,
  async setup(ctx) {
    const state = await auditWrite.setup(ctx);
    // A public address (production refuses private ones); nothing is sent while jobs are off.
    const res = await ctx.http('POST', '/api/v1/webhook-endpoints', {
      body: { url: 'https://93.184.216.34/bench-hooks', events: ['*'] },
      headers: bearer(state.token),
    });
    if (res.status !== 201) throw new Error(`webhook endpoint: ${res.status} ${res.text}`);
    return { ...state, endpointId: res.json.id };
  },
  async verify(ctx, state) {
    const before = await outboxRows(state.endpointId);
    const relayed = await sealAndRelay();
    const { audited, queued } = await outboxRows(state.endpointId);
    const written = audited > 0 && before.queued === 0 && queued === audited;
    const disabled = await ctx.http('PATCH', `/api/v1/webhook-endpoints/${state.endpointId}`, {
      body: { enabled: false },
      headers: bearer(state.token),
    });
    return {
      ok: written && disabled.status === 200,
      detail:
        `outbox rows for the endpoint: none after the runs (${before.queued}), then after one seal pass and ` +
        `the relay (${relayed} sealed events read) = audited PATCHes since it was created (${queued} = ${audited}); ` +
        `endpoint disabled afterwards (${disabled.status})`,
    };
  },
};
