// audit-write with one webhook endpoint subscribed to every event ("*"): each PATCH's transaction
// then also writes the outbox event and its delivery (AuditService listener → OutboxService). Same
// baseline and target as audit-write: the audited write must stay within 0.85× of the unaudited one
// even with the outbox on. Deliveries are not sent (the bench service runs with JOBS_ENABLED=false):
// what is measured is the cost on the write path. The endpoint is disabled again in `verify`, so the
// scenarios that run after this one write no outbox rows.
import { bearer } from '../lib/fixtures.mjs';
import auditWrite, { PRODUCTS } from './audit-write.mjs';

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
    const deliveries = await ctx.http('GET', `/api/v1/webhook-endpoints/${state.endpointId}/deliveries?limit=1`, {
      headers: bearer(state.token),
    });
    const written = deliveries.status === 200 && deliveries.json.data.length === 1;
    const disabled = await ctx.http('PATCH', `/api/v1/webhook-endpoints/${state.endpointId}`, {
      body: { enabled: false },
      headers: bearer(state.token),
    });
    return {
      ok: written && disabled.status === 200,
      detail: `the writes queued outbox deliveries (${written}); endpoint disabled afterwards (${disabled.status})`,
    };
  },
};
