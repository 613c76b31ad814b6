import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '../src/common/ids.js';
import { TransactionService } from '../src/infrastructure/database/transaction.service.js';
import { AuditService } from '../src/modules/audit/index.js';
import { WebhookPurgeJob } from '../src/modules/webhooks/jobs/webhook-purge.job.js';
import { WebhookRepository } from '../src/modules/webhooks/repositories/webhook.repository.js';
import { EndpointDirectory } from '../src/modules/webhooks/services/endpoint-directory.service.js';
import { OutboxRelay } from '../src/modules/webhooks/services/outbox-relay.service.js';
import { verifySignature } from '../src/modules/webhooks/services/signature.js';
import { createProduct } from './support/inventory.js';
import { createPlan, subscribe } from './support/subscriptions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';
import { type Responder, startReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const ENV = {
  JOBS_ENABLED: 'true',
  WEBHOOK_RETRY_SCHEDULE: '1s,1s',
  WEBHOOK_POLL_INTERVAL_MS: '100',
  WEBHOOK_TIMEOUT_MS: '3000',
};

describe('webhooks', () => {
  let t: TestApp;
  let admin: TestUser;
  let staff: TestUser;
  const receivers: WebhookReceiver[] = [];
  const endpoints: string[] = [];

  beforeAll(async () => {
    t = await startTestApp('webhooks', { env: ENV });
    admin = await createUser(t, ['admin']);
    staff = await createUser(t, ['staff']);
  });
  afterEach(async () => {
    // Each test's endpoints go, so their events never reach a later test's receiver.
    for (const id of endpoints.splice(0)) await t.http().delete(`/api/v1/webhook-endpoints/${id}`).set(admin.auth);
    for (const receiver of receivers.splice(0)) await receiver.close();
  });
  afterAll(() => t.close());

  async function receiverWithEndpoint(events: string[], respond?: Responder, app = t) {
    const receiver = await startReceiver(respond);
    receivers.push(receiver);
    const res = await app.http().post('/api/v1/webhook-endpoints').set(admin.auth).send({ url: receiver.url, events });
    expect(res.status).toBe(201);
    endpoints.push(res.body.id);
    return { receiver, endpoint: res.body as { id: string; secret: string } };
  }

  /** Resolves once the relay has read the sealed audit event of `action` on `entityId` (sealed and relayed). */
  async function relayed(action: string, entityId: string) {
    const done = async () => {
      const [row] = await t.dataSource.query(
        `SELECT c.seq <= (SELECT seq FROM webhook_relay_cursor) AS done
          FROM audit_events e JOIN audit_chain c ON c.event_id = e.id WHERE e.action = ? AND e.entity_id = ?`,
        [action, entityId],
      );
      return Number(row?.done) === 1;
    };
    for (let i = 0; i < 100 && !(await done()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await done()).toBe(true);
  }

  /** The outbox rows each instance's relay writes, by event id, however often (a spy on its INSERT). */
  function spyOnRelayedIds(...apps: TestApp[]) {
    const ids: string[] = [];
    for (const app of apps) {
      const repository = app.app.get(WebhookRepository);
      const insert = repository.insertEvents.bind(repository);
      repository.insertEvents = (manager, events) => {
        ids.push(...events.map((event) => event.id));
        return insert(manager, events);
      };
    }
    return ids;
  }

  async function deliveries(endpointId: string) {
    const res = await t.http().get(`/api/v1/webhook-endpoints/${endpointId}/deliveries`).set(admin.auth).expect(200);
    return res.body.data as { id: string; eventId: string; status: string; attempts: number; lastStatusCode: number }[];
  }

  it('manages endpoints: the secret is shown once, bad urls and event names are 400, writes are audited', async () => {
    const created = await t
      .http()
      .post('/api/v1/webhook-endpoints')
      .set(admin.auth)
      .send({ url: 'http://127.0.0.1:9/x', events: ['order.create'], description: 'crm' })
      .expect(201);
    endpoints.push(created.body.id);
    expect(created.headers['cache-control']).toBe('no-store');
    expect(created.body).toEqual({
      id: expect.any(String),
      url: 'http://127.0.0.1:9/x',
      events: ['order.create'],
      description: 'crm',
      enabled: true,
      secret: expect.stringMatching(/^whsec_/),
      createdAt: expect.any(String),
    });
    const list = await t.http().get('/api/v1/webhook-endpoints').set(admin.auth).expect(200);
    const listed = list.body.data.find((e: { id: string }) => e.id === created.body.id);
    expect(listed).toBeDefined();
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret);

    const patched = await t
      .http()
      .patch(`/api/v1/webhook-endpoints/${created.body.id}`)
      .set(admin.auth)
      .send({ enabled: false, events: ['*'] })
      .expect(200);
    expect(patched.body).toMatchObject({ enabled: false, events: ['*'] });
    expect(patched.body.secret).toBeUndefined();

    for (const body of [
      { url: 'ftp://example.com/x', events: ['*'] },
      { url: 'not a url', events: ['*'] },
      { url: 'http://example.com/x', events: [] },
      { url: 'http://example.com/x', events: ['Not An Event'] },
    ]) {
      const res = await t.http().post('/api/v1/webhook-endpoints').set(admin.auth).send(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    await t.http().get(`/api/v1/webhook-endpoints/${created.body.id}/deliveries`).set(staff.auth).expect(403);

    await t.http().delete(`/api/v1/webhook-endpoints/${created.body.id}`).set(admin.auth).expect(204);
    await t.http().delete(`/api/v1/webhook-endpoints/${created.body.id}`).set(admin.auth).expect(404);
    const actions = await t.dataSource.query(
      'SELECT action, changes FROM audit_events WHERE entity_id = ? ORDER BY id',
      [created.body.id],
    );
    expect(actions.map((row: { action: string }) => row.action)).toEqual([
      'webhook_endpoint.create',
      'webhook_endpoint.update',
      'webhook_endpoint.delete',
    ]);
    expect(JSON.stringify(actions)).not.toContain(created.body.secret);
    const stored = await t.dataSource.query(
      'SELECT COUNT(*) AS n FROM webhook_endpoints WHERE secret_ciphertext LIKE ?',
      [`%${created.body.secret}%`],
    );
    expect(Number(stored[0].n)).toBe(0);
  });

  it('delivers a committed change once, signed: the signature verifies with the secret', async () => {
    const { receiver, endpoint } = await receiverWithEndpoint(['product.create']);
    const product = await createProduct(t, staff);
    await receiver.waitFor((r) => r.length >= 1);
    const [hook] = receiver.received;
    expect(hook.body).toEqual({
      id: expect.any(String),
      type: 'product.create',
      occurredAt: expect.any(String),
      data: expect.objectContaining({ entityType: 'product', entityId: product.id }),
    });
    expect(hook.headers['mainspring-event-id']).toBe(hook.body.id);
    expect(hook.headers['mainspring-event-type']).toBe('product.create');
    expect(hook.headers['content-type']).toBe('application/json');
    const signature = String(hook.headers['mainspring-signature']);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(endpoint.secret, hook.raw, signature)).toBe(true);
    expect(verifySignature(endpoint.secret, hook.raw.replace('product', 'produce'), signature)).toBe(false);
    // The event id is the audit event's id.
    const audit = await t.dataSource.query('SELECT action FROM audit_events WHERE id = ?', [hook.body.id]);
    expect(audit).toEqual([{ action: 'product.create' }]);

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(1);
    const [delivery] = await deliveries(endpoint.id);
    expect(delivery).toMatchObject({ eventId: hook.body.id, status: 'delivered', attempts: 1, lastStatusCode: 200 });
  });

  it('500, 500, 200: three attempts of the same event id, then delivered', async () => {
    const { receiver, endpoint } = await receiverWithEndpoint(['product.create'], (index) => (index < 2 ? 500 : 200));
    await createProduct(t, staff);
    await receiver.waitFor((r) => r.length >= 3);
    const ids = new Set(receiver.received.map((hook) => hook.body.id));
    expect(ids.size).toBe(1);
    expect(new Set(receiver.received.map((hook) => hook.headers['mainspring-event-id']))).toEqual(ids);
    for (const hook of receiver.received) {
      expect(verifySignature(endpoint.secret, hook.raw, String(hook.headers['mainspring-signature']))).toBe(true);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.received).toHaveLength(3);
    const [delivery] = await deliveries(endpoint.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200 });
  });

  it('after the schedule it is failed; a redelivery sends the same event again (202)', async () => {
    let healthy = false;
    const { receiver, endpoint } = await receiverWithEndpoint(['product.create'], () => (healthy ? 200 : 503));
    await createProduct(t, staff);
    await receiver.waitFor((r) => r.length >= 3);
    let [delivery] = await deliveries(endpoint.id);
    for (let i = 0; i < 40 && delivery.status !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      [delivery] = await deliveries(endpoint.id);
    }
    expect(delivery).toMatchObject({ status: 'failed', attempts: 3, lastStatusCode: 503, nextAttemptAt: null });

    healthy = true;
    await t.http().post(`/api/v1/webhook-deliveries/${delivery.id}/redeliver`).set(admin.auth).expect(202);
    await receiver.waitFor((r) => r.length >= 4);
    expect(receiver.received[3].body.id).toBe(delivery.eventId);
    await t
      .http()
      .post(`/api/v1/webhook-deliveries/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}/redeliver`)
      .set(admin.auth)
      .expect(404);
  });

  it('a rolled-back or refused change produces no event: declined subscribe, out-of-stock reservation', async () => {
    const { receiver } = await receiverWithEndpoint(['subscription.create', 'reservation.create']);
    const customer = await createUser(t);
    const plan = await createPlan(t, admin);
    expect((await subscribe(t, customer, plan.id, 'pm_card_declined')).status).toBe(402);
    const product = await createProduct(t, staff, { initialStock: 1 });
    const short = await t
      .http()
      .post('/api/v1/inventory/reservations')
      .set(customer.auth)
      .send({ items: [{ productId: product.id, quantity: 2 }] });
    expect(short.status).toBe(409);
    // A marker that does commit: once it arrives, anything emitted before it would have too.
    const ok = await subscribe(t, customer, plan.id);
    expect(ok.status).toBe(201);
    await receiver.waitFor((r) => r.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received.map((hook) => [hook.body.type, hook.body.data.entityId])).toEqual([
      ['subscription.create', ok.body.id],
    ]);
  });

  it('an audited write issues no webhook statement: the same query count with an endpoint on "*"', async () => {
    const product = await createProduct(t, staff);
    const rename = async (name: string) => {
      const res = await t.http().patch(`/api/v1/products/${product.id}`).set(staff.auth).send({ name }).expect(200);
      return Number(res.headers['x-query-count']);
    };
    await rename('warm');
    const without = await rename('no endpoint');
    const { receiver } = await receiverWithEndpoint(['*']);
    await rename('endpoint list loaded'); // the first write after an endpoint change may not be the steady state
    const withEndpoint = await rename('with endpoint');
    expect(without).toBeGreaterThan(0);
    expect(withEndpoint).toBe(without);
    // …and the change still reaches the endpoint, from the audit trail.
    await receiver.waitFor((r) => r.some((hook) => hook.raw.includes('with endpoint')));
  });

  it('on the writing instance a committed change is delivered within milliseconds, not a seal interval', async () => {
    const arrivals = new Map<string, number>();
    const { receiver } = await receiverWithEndpoint(['product.create'], (_, hook) => {
      arrivals.set(String(hook.body.data.entityId), performance.now());
      return 200;
    });
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const product = await createProduct(t, staff);
      const committed = performance.now(); // the response: after the commit
      await receiver.waitFor((r) => r.length > i, 5_000);
      latencies.push((arrivals.get(product.id) as number) - committed);
    }
    latencies.sort((x, y) => x - y);
    const [p50, max] = [latencies[10], latencies[19]];
    console.log(
      `webhooks: response → delivery on the writing instance: p50 ${p50.toFixed(0)} ms, max ${max.toFixed(0)} ms`,
    );
    // Without the after-commit wake-up it waits for the seal job (AUDIT_SEAL_INTERVAL_MS 1 s) and a poll.
    expect(p50).toBeLessThan(250);
  });

  it('follows the seal order, not ids: an older event that commits after a newer one is still relayed', async () => {
    const { receiver } = await receiverWithEndpoint(['product.create', 'probe.late']);
    let commitLate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (commitLate = resolve));
    let recorded: () => void = () => undefined;
    const hasId = new Promise<void>((resolve) => (recorded = resolve));
    // Takes its id (its time) now, commits later.
    const late = t.app.get(TransactionService).run(async (manager) => {
      await t.app.get(AuditService).record(manager, { action: 'probe.late', entityType: 'probe', entityId: 'late-1' });
      recorded();
      await gate;
    });
    await hasId;
    const newer = await createProduct(t, staff);
    await receiver.waitFor((r) => r.some((hook) => hook.body.data.entityId === newer.id));
    await relayed('product.create', newer.id); // the cursor is past the newer (higher-id) event
    commitLate();
    await late;
    await receiver.waitFor((r) => r.some((hook) => hook.body.data.entityId === 'late-1'));
    const [older, newest] = await t.dataSource.query(
      `SELECT e.id AS id, c.seq AS seq FROM audit_events e JOIN audit_chain c ON c.event_id = e.id
        WHERE e.entity_id IN (?, ?) ORDER BY e.id`,
      ['late-1', newer.id],
    );
    expect(Number(older.seq)).toBeGreaterThan(Number(newest.seq));
    expect(receiver.received.map((hook) => hook.body.data.entityId)).toEqual([newer.id, 'late-1']);
  });

  it('concurrent relays on two instances: each sealed event is relayed once', async () => {
    const b = await startTestApp('webhooks', { env: ENV, reuseDatabase: true });
    try {
      const relayedIds = spyOnRelayedIds(t, b);
      const { receiver } = await receiverWithEndpoint(['product.create']);
      const products = await Promise.all(Array.from({ length: 30 }, () => createProduct(t, staff)));
      // Relays in small batches from both instances at once, while both delivery jobs run theirs.
      const drain = async (app: TestApp) => {
        const relay = app.app.get(OutboxRelay);
        for (let i = 0; i < 60; i++) await relay.relay(2);
      };
      await Promise.all([drain(t), drain(b), drain(t), drain(b)]);
      await receiver.waitFor((r) => r.length >= 30);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const ids = receiver.received.map((hook) => hook.body.id);
      expect(new Set(receiver.received.map((hook) => hook.body.data.entityId))).toEqual(
        new Set(products.map((product) => product.id)),
      );
      expect(ids).toHaveLength(30);
      expect(relayedIds.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    } finally {
      await b.close();
    }
  });

  it('two instances × 100 writes each: exactly 200 deliveries, none duplicated, each relayed once', async () => {
    const b = await startTestApp('webhooks', { env: ENV, reuseDatabase: true });
    try {
      const relayedIds = spyOnRelayedIds(t, b);
      const { receiver } = await receiverWithEndpoint(['inventory.adjust']);
      const product = await createProduct(t, staff, { initialStock: 0 });
      const writes = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? t : b));
      for (let i = 0; i < writes.length; i += 20) {
        await Promise.all(
          writes
            .slice(i, i + 20)
            .map((app) =>
              app
                .http()
                .post('/api/v1/inventory/adjustments')
                .set(staff.auth)
                .send({ productId: product.id, delta: 1, reason: 'restock' })
                .expect(201),
            ),
        );
      }
      await receiver.waitFor((r) => r.length >= 200, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const ids = receiver.received.map((hook) => hook.body.id);
      expect(ids).toHaveLength(200);
      expect(new Set(ids).size).toBe(200);
      // Both instances relayed (each wakes on its own writes) and no event was relayed twice.
      expect(relayedIds.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    } finally {
      await b.close();
    }
  });

  it("endpoint changes made on one instance are honoured by another's cached endpoint list", async () => {
    // A near-cache TTL of 10 min on b: without the cross-instance invalidation, b would keep writing
    // with the list it loaded at boot (no endpoint) for that long, and `until` below would time out.
    const b = await startTestApp('webhooks', { env: { ...ENV, CACHE_LOCAL_TTL_MS: '600000' }, reuseDatabase: true });
    try {
      const directory = b.app.get(EndpointDirectory);
      const bSees = async (id: string) =>
        (await directory.matching(b.dataSource.manager, 'inventory.adjust')).some((e) => e.id === id);
      const until = async (condition: () => Promise<boolean>) => {
        for (let i = 0; i < 100 && !(await condition()); i++) await new Promise((r) => setTimeout(r, 50));
        expect(await condition()).toBe(true);
      };
      // Who receives an event is decided when it is relayed: each one is relayed before the next change.
      const adjustOnB = async () => {
        const product = await createProduct(t, staff, { initialStock: 0 });
        await b
          .http()
          .post('/api/v1/inventory/adjustments')
          .set(staff.auth)
          .send({ productId: product.id, delta: 1, reason: 'restock' })
          .expect(201);
        await relayed('inventory.adjust', product.id);
        return product.id;
      };
      const setEnabled = (id: string, enabled: boolean) =>
        t.http().patch(`/api/v1/webhook-endpoints/${id}`).set(admin.auth).send({ enabled }).expect(200);
      const { receiver, endpoint } = await receiverWithEndpoint(['inventory.adjust']); // on t, after b booted
      await until(() => bSees(endpoint.id));
      const first = await adjustOnB();
      await setEnabled(endpoint.id, false);
      await until(async () => !(await bSees(endpoint.id)));
      await adjustOnB(); // disabled: no event
      await setEnabled(endpoint.id, true);
      await until(() => bSees(endpoint.id));
      const third = await adjustOnB();
      await receiver.waitFor((r) => r.length >= 2);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(receiver.received.map((hook) => hook.body.data.entityId)).toEqual([first, third]);
      await t.http().delete(`/api/v1/webhook-endpoints/${endpoint.id}`).set(admin.auth).expect(204);
      await until(async () => !(await bSees(endpoint.id)));
    } finally {
      await b.close();
    }
  });

  it('fan-out: one delivery per endpoint that still exists, once, however often it runs', async () => {
    const { endpoint } = await receiverWithEndpoint(['product.update']);
    const gone = newId();
    const eventId = newId();
    const body = JSON.stringify({
      id: eventId,
      type: 'product.update',
      occurredAt: new Date().toISOString(),
      data: {},
    });
    // An outbox row as a writer leaves it, for a live endpoint and one deleted before the fan-out.
    await t.dataSource.query(
      `INSERT INTO webhook_events (id, type, occurred_at, body, endpoint_ids, fanout_pending)
        VALUES (?, 'product.update', NOW(3), ?, ?, 1)`,
      [eventId, body, JSON.stringify([endpoint.id, gone])],
    );
    const repository = t.app.get(WebhookRepository);
    // Concurrent fan-outs (and the running job's) take disjoint events: the row is fanned out once.
    await Promise.all([repository.fanOut(10, new Date()), repository.fanOut(10, new Date())]);
    await repository.fanOut(10, new Date());
    const rows = await t.dataSource.query(
      'SELECT endpoint_id AS endpointId FROM webhook_deliveries WHERE event_id = ?',
      [eventId],
    );
    expect(rows).toEqual([{ endpointId: endpoint.id }]);
    const [event] = await t.dataSource.query(
      'SELECT fanout_pending AS pending, endpoint_ids AS endpointIds FROM webhook_events WHERE id = ?',
      [eventId],
    );
    expect(event).toEqual({ pending: 0, endpointIds: null });
  });

  it('a receiver that never answers slows neither the API nor the other endpoints', async () => {
    const { receiver: hanging } = await receiverWithEndpoint(['product.create'], () => 'hang');
    const { receiver: healthy } = await receiverWithEndpoint(['product.create']);
    const timeReads = async () => {
      const durations: number[] = [];
      for (let i = 0; i < 40; i++) {
        const started = performance.now();
        await t.http().get('/api/v1/webhook-endpoints').set(admin.auth).expect(200);
        durations.push(performance.now() - started);
      }
      return durations.sort((x, y) => x - y)[Math.floor(durations.length * 0.9)];
    };
    const before = await timeReads();
    // More events than send slots (32): without a per-endpoint share they would all end up stuck on `hanging`.
    await Promise.all(Array.from({ length: 40 }, () => createProduct(t, staff)));
    await hanging.waitFor((r) => r.length >= 16);
    const during = await timeReads();
    // Compared with itself, not an absolute threshold: a hung receiver must not move the API's p90.
    expect(during).toBeLessThan(before * 3 + 20);
    await healthy.waitFor((r) => r.length >= 40);
    // Half the slots at most (WEBHOOK_CONCURRENCY 32 → 16) were ever held by the dead receiver.
    expect(hanging.maxOpen()).toBe(16);
  });

  it('the purge deletes finished deliveries and their events after the retention, never pending ones', async () => {
    const { receiver, endpoint } = await receiverWithEndpoint(['product.create']);
    await createProduct(t, staff);
    await createProduct(t, staff);
    await receiver.waitFor((r) => r.length >= 2);
    const [newest] = await deliveries(endpoint.id);
    await t.dataSource.query("UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ? WHERE id = ?", [
      new Date(Date.now() + 3_600_000),
      newest.id,
    ]);
    const job = t.app.get(WebhookPurgeJob);
    expect(await job.run()).toEqual({ deliveries: 0, events: 0 });
    // 31 days on, both are old: the delivered one goes with its event, the pending one stays.
    const later = Date.now() + 31 * 86_400_000;
    const purged = await job.run(later);
    expect(purged.deliveries).toBeGreaterThanOrEqual(1);
    const left = await deliveries(endpoint.id);
    expect(left.map((d) => d.id)).toEqual([newest.id]);
    const events = await t.dataSource.query('SELECT id FROM webhook_events WHERE id IN (?)', [
      receiver.received.map((hook) => hook.body.id),
    ]);
    expect(events).toEqual([{ id: newest.eventId }]);
  });
});
