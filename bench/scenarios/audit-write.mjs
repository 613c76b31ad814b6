// An audited write against the same write unaudited: PATCH /products/:id as the admin (one
// transaction: the UPDATE plus, when recording, one audit INSERT). The baseline is a second instance
// started with AUDIT_RECORDING=false (bench-only), same build, same database. Writes are spread over
// 64 products (random per request) and each sets a new random name, so every request is a real change.
import { adminToken, bearer, createProduct, mapLimit } from '../lib/fixtures.mjs';

/** Also audit-write-webhook's (it is this scenario with an endpoint subscribed). */
export const PRODUCTS = 64;

function patch(s) {
  return {
    method: 'PATCH',
    path: '/api/v1/products/{pick}',
    pick: s.ids,
    headers: bearer(s.token),
    body: { name: 'Renamed by the bench {rand}' },
  };
}

export default {
  name: 'audit-write',
  description: `\`PATCH /api/v1/products/:id\` as admin (new name; ${PRODUCTS} products, random per request) with audit recording, against the same write on an instance with \`AUDIT_RECORDING=false\`.`,
  target: 'service',
  async setup(ctx) {
    const token = await adminToken(ctx);
    const ids = await mapLimit(Array.from({ length: PRODUCTS }), 4, () => createProduct(ctx, token));
    return { token, ids };
  },
  request: patch,
  baseline: { server: 'service-noaudit', label: 'same PATCH, AUDIT_RECORDING=false', request: patch },
  // Write throughput depends on MySQL, which is not pinned and shares both CPUs: single pairs swing
  // from 0.5× to 1.2×, so this scenario takes the median of more of them.
  minPairs: 5,
  targets: { minRatio: 0.85, maxNon2xx: 0 },
};
