import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { serviceUnavailable } from '../src/common/errors/domain-error.js';
import { IdempotencyService } from '../src/common/idempotency/idempotency.service.js';
import { StockLedgerService } from '../src/modules/inventory/services/stock-ledger.service.js';
import { createProduct, stockOf } from './support/inventory.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

const ADJUST = '/api/v1/inventory/adjustments';

/** Idempotency-Key under faults: never two runs, never a key stuck for a day (issue 12 item 3). */
describe('idempotency under faults', () => {
  let t: TestApp;
  let admin: TestUser;
  let idempotency: IdempotencyService;

  beforeAll(async () => {
    t = await startTestApp('idempotency_faults');
    admin = await createUser(t, ['admin']);
    idempotency = t.app.get(IdempotencyService);
  });
  afterAll(() => t.close());

  const adjust = (key: string, productId: string) =>
    t.http().post(ADJUST).set(admin.auth).set('idempotency-key', key).send({ productId, delta: 5, reason: 'restock' });

  it('storing the answer fails after the change committed: the retry never runs it again', async () => {
    const product = await createProduct(t, admin);
    const complete = idempotency.complete.bind(idempotency);
    // The fault: every write of the answer fails (as with a pool timeout) until we restore it.
    idempotency.complete = () =>
      Promise.reject(Object.assign(new Error('pool timeout'), { code: 'ERR_POOL_ACQUIRE_TIMEOUT' }));
    let first;
    try {
      first = await adjust('store-fails', product.id);
      const retry = await adjust('store-fails', product.id);
      // One assertion over the whole exchange, so a failure shows the stock a second run left behind (and not
      // only the first status): the change committed, so the client is told so, and the retry waits.
      expect({
        first: first.status,
        retry: retry.status,
        retryAfter: retry.headers['retry-after'],
        onHand: (await stockOf(t, product.id)).onHand,
      }).toEqual({ first: 201, retry: 409, retryAfter: '1', onHand: 15 });
    } finally {
      idempotency.complete = complete;
    }
    // Once the database takes writes again, the answer is stored in the background and replayed.
    let replay;
    for (let i = 0; i < 40; i++) {
      replay = await adjust('store-fails', product.id);
      if (replay.status !== 409) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(replay!.status).toBe(201);
    expect(replay!.headers['idempotent-replayed']).toBe('true');
    expect(replay!.body).toEqual(first.body);
    expect((await stockOf(t, product.id)).onHand).toBe(15);
  });

  it('a 5xx before anything committed, with a failed release: the key is leased, not stuck for a day', async () => {
    const product = await createProduct(t, admin);
    const ledger = t.app.get(StockLedgerService);
    const adjustStock = ledger.adjust.bind(ledger);
    const release = idempotency.release.bind(idempotency);
    ledger.adjust = () => Promise.reject(serviceUnavailable());
    idempotency.release = () => Promise.reject(new Error('connection lost'));
    try {
      await adjust('leased', product.id).expect(503);
    } finally {
      ledger.adjust = adjustStock;
      idempotency.release = release;
    }
    await adjust('leased', product.id).expect(409);
    const [row] = await t.dataSource.query(
      "SELECT state, expires_at < NOW(3) + INTERVAL 2 MINUTE AS short FROM idempotency_keys WHERE idem_key = 'leased'",
    );
    expect({ state: row.state, short: Number(row.short) }).toEqual({ state: 'in_progress', short: 1 });
    // When the lease has run out the key is free again, and the operation runs (once).
    await t.dataSource.query(
      "UPDATE idempotency_keys SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE idem_key = 'leased'",
    );
    await adjust('leased', product.id).expect(201);
    await adjust('leased', product.id).expect(201);
    expect((await stockOf(t, product.id)).onHand).toBe(15);
  });
});
