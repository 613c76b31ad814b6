// audit-write with one webhook endpoint subscribed to every event ("*"): each PATCH's transaction
// then also writes the outbox event (AuditService listener → OutboxService; its delivery is created
// later by the delivery job's fan-out). Same baseline and target as audit-write: the audited write
// must stay within 0.85× of the unaudited one even with the outbox on. Nothing is fanned out or sent
// (the bench service runs with JOBS_ENABLED=false): what is measured is the cost on the write path.
// `verify` checks in SQL that every audited PATCH since the endpoint was created has its outbox row
// for that endpoint, then disables the endpoint, so the scenarios that run after this one write none.
import { bearer } from '../lib/fixtures.mjs';
import { connectTo } from '../lib/database.mjs';
import { loadSettings } from '../lib/settings.mjs';
import auditWrite, { PRODUCTS } from './audit-write.mjs';

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
  description: `\`PATCH /api/v1/products/:id\` as admin (${PRODUCTS} products) with audit recording and one webhook endpoint subscribed to \`*\` (outbox rows in the same transaction), against the same write with \`AUDIT_RECORDING=false\`.`,
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
    const { audited, queued } = await outboxRows(state.endpointId);
    const written = audited > 0 && queued === audited;
    const disabled = await ctx.http('PATCH', `/api/v1/webhook-endpoints/${state.endpointId}`, {
      body: { enabled: false },
      headers: bearer(state.token),
    });
    return {
      ok: written && disabled.status === 200,
      detail: `outbox rows for the endpoint = audited PATCHes since it was created (${queued} = ${audited}); endpoint disabled afterwards (${disabled.status})`,
    };
  },
};
