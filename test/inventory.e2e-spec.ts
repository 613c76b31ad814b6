import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createProduct, expectReconciled, stockOf } from './support/inventory.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

describe('inventory API', () => {
  let t: TestApp;
  let admin: TestUser;
  let staff: TestUser;
  let customer: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await startTestApp('inventory');
    [admin, staff, customer, other] = await Promise.all([
      createUser(t, ['admin']),
      createUser(t, ['staff']),
      createUser(t, ['customer']),
      createUser(t, ['customer']),
    ]);
  });
  afterAll(() => t.close());

  const auditActions = async (entityId: string): Promise<string[]> =>
    (await t.dataSource.query('SELECT action FROM audit_events WHERE entity_id = ? ORDER BY id', [entityId])).map(
      (row: { action: string }) => row.action,
    );

  describe('products', () => {
    it('creates a product with the contract shape, initial stock in the ledger, audited', async () => {
      const sku = `MUG-${randomUUID().slice(0, 6)}`;
      const res = await t
        .http()
        .post('/api/v1/products')
        .set(staff.auth)
        .send({ sku, name: 'Mug', description: 'A mug', priceCents: 1299, currency: 'EUR', initialStock: 7 })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        sku,
        name: 'Mug',
        description: 'A mug',
        priceCents: 1299,
        currency: 'EUR',
        active: true,
        stock: { onHand: 7, reserved: 0, available: 7 },
        version: 1,
        createdAt: expect.stringMatching(/Z$/),
        updatedAt: expect.stringMatching(/Z$/),
      });
      const got = await t.http().get(`/api/v1/products/${res.body.id}`).expect(200);
      expect(got.body).toEqual(res.body);
      const movements = await t
        .http()
        .get(`/api/v1/inventory/movements?productId=${res.body.id}`)
        .set(staff.auth)
        .expect(200);
      expect(movements.body.data).toEqual([
        expect.objectContaining({ productId: res.body.id, kind: 'initial', deltaOnHand: 7, deltaReserved: 0 }),
      ]);
      expect(await auditActions(res.body.id)).toEqual(['product.create']);
    });

    it('defaults: no description, no stock', async () => {
      const res = await t
        .http()
        .post('/api/v1/products')
        .set(admin.auth)
        .send({ sku: `B-${randomUUID().slice(0, 6)}`, name: 'Bare', priceCents: 0, currency: 'USD' })
        .expect(201);
      expect(res.body).toMatchObject({ description: null, stock: { onHand: 0, reserved: 0, available: 0 } });
    });

    it('409 on a duplicate sku (create and patch)', async () => {
      const a = await createProduct(t, staff);
      const b = await createProduct(t, staff);
      const dup = await t
        .http()
        .post('/api/v1/products')
        .set(staff.auth)
        .send({ sku: a.sku, name: 'Dup', priceCents: 1, currency: 'EUR' })
        .expect(409);
      expect(dup.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(dup.body.code).toBe('duplicate_sku');
      const patch = await t.http().patch(`/api/v1/products/${b.id}`).set(staff.auth).send({ sku: a.sku }).expect(409);
      expect(patch.body.code).toBe('duplicate_sku');
    });

    it('400 for invalid input, 401 without a token, 403 for a customer', async () => {
      const bad = await t
        .http()
        .post('/api/v1/products')
        .set(staff.auth)
        .send({ sku: 'has space', name: '', priceCents: -1, currency: 'euro', extra: 1 })
        .expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(
        expect.arrayContaining(['sku', 'name', 'priceCents', 'currency', 'extra']),
      );
      const body = { sku: 'X-1', name: 'x', priceCents: 1, currency: 'EUR' };
      await t.http().post('/api/v1/products').send(body).expect(401);
      await t.http().post('/api/v1/products').set(customer.auth).send(body).expect(403);
    });

    it('honours Idempotency-Key on create', async () => {
      const body = { sku: `I-${randomUUID().slice(0, 6)}`, name: 'Idem', priceCents: 5, currency: 'EUR' };
      const key = randomUUID();
      const first = await t.http().post('/api/v1/products').set(staff.auth).set('Idempotency-Key', key).send(body);
      const again = await t.http().post('/api/v1/products').set(staff.auth).set('Idempotency-Key', key).send(body);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      await t
        .http()
        .post('/api/v1/products')
        .set(staff.auth)
        .set('Idempotency-Key', key)
        .send({ ...body, name: 'Other' })
        .expect(422);
    });

    it('404 for an unknown product', async () => {
      const res = await t.http().get(`/api/v1/products/${randomUUID()}`).expect(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      await t.http().patch(`/api/v1/products/${randomUUID()}`).set(staff.auth).send({ name: 'x' }).expect(404);
    });

    it('PATCH: partial update, version bump, If-Match 412, audited diff', async () => {
      const product = await createProduct(t, staff, { priceCents: 100 });
      const res = await t
        .http()
        .patch(`/api/v1/products/${product.id}`)
        .set(staff.auth)
        .set('If-Match', '1')
        .send({ priceCents: 250, active: false })
        .expect(200);
      expect(res.body).toMatchObject({ priceCents: 250, active: false, version: 2, name: product.name });
      const stale = await t
        .http()
        .patch(`/api/v1/products/${product.id}`)
        .set(staff.auth)
        .set('If-Match', '1')
        .send({ name: 'late' })
        .expect(412);
      expect(stale.body).toMatchObject({ status: 412, code: 'version_mismatch' });
      await t
        .http()
        .patch(`/api/v1/products/${product.id}`)
        .set(staff.auth)
        .set('If-Match', 'W/"2"')
        .send({ description: 'now described' })
        .expect(200);
      const noIfMatch = await t
        .http()
        .patch(`/api/v1/products/${product.id}`)
        .set(staff.auth)
        .send({ name: 'renamed' })
        .expect(200);
      expect(noIfMatch.body).toMatchObject({ name: 'renamed', description: 'now described', version: 4 });
      await t.http().patch(`/api/v1/products/${product.id}`).set(customer.auth).send({ name: 'x' }).expect(403);
      expect(await auditActions(product.id)).toEqual([
        'product.create',
        'product.update',
        'product.update',
        'product.update',
      ]);
      const [event] = await t.dataSource.query(
        `SELECT changes FROM audit_events WHERE entity_id = ? AND action = 'product.update' ORDER BY id LIMIT 1`,
        [product.id],
      );
      expect(JSON.parse(event.changes)).toEqual({
        priceCents: { from: 100, to: 250 },
        active: { from: true, to: false },
      });
    });

    it('concurrent PATCHes with the same If-Match: exactly one wins', async () => {
      const product = await createProduct(t, staff);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          t
            .http()
            .patch(`/api/v1/products/${product.id}`)
            .set(staff.auth)
            .set('If-Match', '1')
            .send({ name: `n${i}` }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 412)).toHaveLength(7);
    });

    it('lists with keyset pagination and filters q (name or sku prefix) and active', async () => {
      const tag = randomUUID().slice(0, 6).toUpperCase();
      const made = [];
      for (let i = 0; i < 5; i++) {
        made.push(await createProduct(t, staff, { sku: `LST${tag}-${i}`, name: `Listed ${i}` }));
      }
      const byName = await createProduct(t, staff, { sku: `ZZ-${tag}`, name: `LST${tag} by name` });
      await t.http().patch(`/api/v1/products/${made[4].id}`).set(staff.auth).send({ active: false }).expect(200);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { data: { id: string }[]; nextCursor: string | null } } = await t
          .http()
          .get('/api/v1/products')
          .query({ q: `lst${tag}`, limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
        seen.push(...res.body.data.map((p: { id: string }) => p.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...made.map((p) => p.id), byName.id]);

      const active = await t
        .http()
        .get('/api/v1/products')
        .query({ q: `LST${tag}`, active: 'false' })
        .expect(200);
      expect(active.body.data.map((p: { id: string }) => p.id)).toEqual([made[4].id]);
      const wild = await t.http().get('/api/v1/products').query({ q: '%' }).expect(200);
      expect(wild.body.data).toEqual([]);

      const all = await t.http().get('/api/v1/products').query({ limit: 100 }).expect(200);
      expect(all.body.data.length).toBeGreaterThan(5);
      expect(all.body.data[0]).toHaveProperty('stock');
      await t.http().get('/api/v1/products').query({ limit: 0 }).expect(400);
      await t.http().get('/api/v1/products').query({ cursor: 'garbage' }).expect(400);
    });

    it('ETag on product reads; If-None-Match → 304; a change changes the ETag', async () => {
      const product = await createProduct(t, staff);
      const first = await t.http().get(`/api/v1/products/${product.id}`).expect(200);
      expect(first.headers.etag).toBeDefined();
      await t.http().get(`/api/v1/products/${product.id}`).set('If-None-Match', first.headers.etag).expect(304);
      const list = await t.http().get('/api/v1/products').expect(200);
      await t.http().get('/api/v1/products').set('If-None-Match', list.headers.etag).expect(304);
      await t.http().patch(`/api/v1/products/${product.id}`).set(staff.auth).send({ name: 'changed' }).expect(200);
      const after = await t.http().get(`/api/v1/products/${product.id}`).set('If-None-Match', first.headers.etag);
      expect(after.status).toBe(200);
      expect(after.body.name).toBe('changed');
    });

    it('GET /products/:id: cold = 1 SQL statement, warm = 0', async () => {
      const product = await createProduct(t, staff);
      const cold = await t.http().get(`/api/v1/products/${product.id}`).expect(200);
      expect(cold.headers['x-query-count']).toBe('1');
      const warm = await t.http().get(`/api/v1/products/${product.id}`).expect(200);
      expect(warm.headers['x-query-count']).toBe('0');
      expect(warm.body).toEqual(cold.body);
    });
  });

  describe('adjustments and movements', () => {
    it('adjusts on-hand, returns the movement, audits it, shows in the product', async () => {
      const product = await createProduct(t, staff, { initialStock: 5 });
      await t.http().get(`/api/v1/products/${product.id}`).expect(200); // warm the cache
      const res = await t
        .http()
        .post('/api/v1/inventory/adjustments')
        .set(staff.auth)
        .send({ productId: product.id, delta: 3, reason: 'delivery' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        productId: product.id,
        kind: 'adjustment',
        deltaOnHand: 3,
        deltaReserved: 0,
        referenceType: null,
        referenceId: null,
        reason: 'delivery',
        createdAt: expect.any(String),
      });
      const got = await t.http().get(`/api/v1/products/${product.id}`).expect(200);
      expect(got.body.stock).toEqual({ onHand: 8, reserved: 0, available: 8 });
      expect(await auditActions(product.id)).toEqual(['product.create', 'inventory.adjust']);
    });

    it('409 when on-hand would go below reserved; 404 unknown product; 400 zero delta; 403 customer', async () => {
      const product = await createProduct(t, staff, { initialStock: 5 });
      await t
        .http()
        .post('/api/v1/inventory/reservations')
        .set(customer.auth)
        .send({ items: [{ productId: product.id, quantity: 3 }] })
        .expect(201);
      const res = await t
        .http()
        .post('/api/v1/inventory/adjustments')
        .set(staff.auth)
        .send({ productId: product.id, delta: -3, reason: 'shrinkage' })
        .expect(409);
      expect(res.body).toMatchObject({ code: 'stock_below_reserved', onHand: 5, reserved: 3 });
      await t
        .http()
        .post('/api/v1/inventory/adjustments')
        .set(staff.auth)
        .send({ productId: product.id, delta: -2, reason: 'shrinkage' })
        .expect(201);
      expect(await stockOf(t, product.id)).toEqual({ onHand: 3, reserved: 3 });
      await t
        .http()
        .post('/api/v1/inventory/adjustments')
        .set(staff.auth)
        .send({ productId: randomUUID(), delta: 1, reason: 'x' })
        .expect(404);
      await t
        .http()
        .post('/api/v1/inventory/adjustments')
        .set(staff.auth)
        .send({ productId: product.id, delta: 0, reason: 'x' })
        .expect(400);
      await t
        .http()
        .post('/api/v1/inventory/adjustments')
        .set(customer.auth)
        .send({ productId: product.id, delta: 1, reason: 'x' })
        .expect(403);
      await expectReconciled(t, admin);
    });

    it('honours Idempotency-Key on adjustments (applied once)', async () => {
      const product = await createProduct(t, staff, { initialStock: 0 });
      const key = randomUUID();
      const body = { productId: product.id, delta: 4, reason: 'restock' };
      const first = await t
        .http()
        .post('/api/v1/inventory/adjustments')
        .set(staff.auth)
        .set('Idempotency-Key', key)
        .send(body);
      const again = await t
        .http()
        .post('/api/v1/inventory/adjustments')
        .set(staff.auth)
        .set('Idempotency-Key', key)
        .send(body);
      expect(first.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect((await stockOf(t, product.id)).onHand).toBe(4);
    });

    it('movements: newest first, keyset pages, productId filter, staff only', async () => {
      const product = await createProduct(t, staff, { initialStock: 1 });
      for (const delta of [1, 2, 3]) {
        await t
          .http()
          .post('/api/v1/inventory/adjustments')
          .set(staff.auth)
          .send({ productId: product.id, delta, reason: 'r' })
          .expect(201);
      }
      const page1 = await t
        .http()
        .get('/api/v1/inventory/movements')
        .query({ productId: product.id, limit: 3 })
        .set(admin.auth)
        .expect(200);
      expect(page1.body.data.map((m: { deltaOnHand: number }) => m.deltaOnHand)).toEqual([3, 2, 1]);
      const page2 = await t
        .http()
        .get('/api/v1/inventory/movements')
        .query({ productId: product.id, limit: 3, cursor: page1.body.nextCursor })
        .set(admin.auth)
        .expect(200);
      expect(page2.body).toEqual({ data: [expect.objectContaining({ kind: 'initial' })], nextCursor: null });
      await t.http().get('/api/v1/inventory/movements').set(customer.auth).expect(403);
      await t.http().get('/api/v1/inventory/movements').expect(401);
      await t.http().get('/api/v1/inventory/reconcile').set(customer.auth).expect(403);
    });
  });

  describe('reservations', () => {
    it('reserve → commit: reserved stock leaves on-hand; ledger and audit follow', async () => {
      const product = await createProduct(t, staff, { initialStock: 10 });
      const created = await t
        .http()
        .post('/api/v1/inventory/reservations')
        .set(customer.auth)
        .send({ items: [{ productId: product.id, quantity: 4 }] })
        .expect(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        userId: customer.id,
        status: 'pending',
        items: [{ productId: product.id, quantity: 4 }],
        expiresAt: expect.any(String),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const ttl = Date.parse(created.body.expiresAt) - Date.parse(created.body.createdAt);
      expect(ttl).toBe(900_000);
      expect((await t.http().get(`/api/v1/products/${product.id}`).expect(200)).body.stock).toEqual({
        onHand: 10,
        reserved: 4,
        available: 6,
      });
      const committed = await t
        .http()
        .post(`/api/v1/inventory/reservations/${created.body.id}/commit`)
        .set(staff.auth)
        .expect(200);
      expect(committed.body).toMatchObject({ id: created.body.id, status: 'committed' });
      expect((await t.http().get(`/api/v1/products/${product.id}`).expect(200)).body.stock).toEqual({
        onHand: 6,
        reserved: 0,
        available: 6,
      });
      const again = await t
        .http()
        .post(`/api/v1/inventory/reservations/${created.body.id}/commit`)
        .set(staff.auth)
        .expect(409);
      expect(again.body).toMatchObject({
        code: 'reservation_not_pending',
        status: 409,
        reservationStatus: 'committed',
      });
      await t.http().post(`/api/v1/inventory/reservations/${created.body.id}/release`).set(customer.auth).expect(409);
      const got = await t
        .http()
        .get(`/api/v1/inventory/reservations/${created.body.id}`)
        .set(customer.auth)
        .expect(200);
      expect(got.body.status).toBe('committed');
      expect(await auditActions(created.body.id)).toEqual(['reservation.create', 'reservation.commit']);
      await expectReconciled(t, admin);
    });

    it('reserve → release gives the stock back; commit after release is 409', async () => {
      const product = await createProduct(t, staff, { initialStock: 2 });
      const created = await t
        .http()
        .post('/api/v1/inventory/reservations')
        .set(customer.auth)
        .send({ items: [{ productId: product.id, quantity: 2 }], ttlSeconds: 60 })
        .expect(201);
      expect(Date.parse(created.body.expiresAt) - Date.parse(created.body.createdAt)).toBe(60_000);
      const released = await t
        .http()
        .post(`/api/v1/inventory/reservations/${created.body.id}/release`)
        .set(staff.auth)
        .expect(200);
      expect(released.body.status).toBe('released');
      expect(await stockOf(t, product.id)).toEqual({ onHand: 2, reserved: 0 });
      await t.http().post(`/api/v1/inventory/reservations/${created.body.id}/commit`).set(staff.auth).expect(409);
      expect(await auditActions(created.body.id)).toEqual(['reservation.create', 'reservation.release']);
    });

    it('multi-item all-or-nothing: 409 lists every short item and nothing is reserved', async () => {
      const a = await createProduct(t, staff, { initialStock: 5 });
      const b = await createProduct(t, staff, { initialStock: 1 });
      const c = await createProduct(t, staff, { initialStock: 0 });
      const res = await t
        .http()
        .post('/api/v1/inventory/reservations')
        .set(customer.auth)
        .send({
          items: [
            { productId: c.id, quantity: 1 },
            { productId: a.id, quantity: 2 },
            { productId: b.id, quantity: 1 },
            { productId: b.id, quantity: 1 },
          ],
        })
        .expect(409);
      expect(res.body.code).toBe('out_of_stock');
      expect(res.body.items).toEqual(
        expect.arrayContaining([
          { productId: b.id, requested: 2, available: 1 },
          { productId: c.id, requested: 1, available: 0 },
        ]),
      );
      expect(res.body.items).toHaveLength(2);
      expect(await stockOf(t, a.id)).toEqual({ onHand: 5, reserved: 0 });
      expect(await stockOf(t, b.id)).toEqual({ onHand: 1, reserved: 0 });
      const ok = await t
        .http()
        .post('/api/v1/inventory/reservations')
        .set(customer.auth)
        .send({
          items: [
            { productId: a.id, quantity: 2 },
            { productId: a.id, quantity: 3 },
            { productId: b.id, quantity: 1 },
          ],
        })
        .expect(201);
      expect(ok.body.items).toEqual(
        [
          { productId: a.id, quantity: 5 },
          { productId: b.id, quantity: 1 },
        ].sort((x, y) => (x.productId < y.productId ? -1 : 1)),
      );
      await expectReconciled(t, admin);
    });

    it('validation: 400 for bad bodies, 404 unknown product, 409 inactive product, 401 anonymous', async () => {
      const product = await createProduct(t, staff, { initialStock: 5, active: false });
      const send = (body: object) => t.http().post('/api/v1/inventory/reservations').set(customer.auth).send(body);
      await send({ items: [] }).expect(400);
      await send({ items: [{ productId: product.id, quantity: 0 }] }).expect(400);
      await send({ items: [{ productId: product.id, quantity: 1 }], ttlSeconds: 0 }).expect(400);
      await send({ items: [{ productId: product.id, quantity: 1 }], ttlSeconds: 86_401 }).expect(400);
      const unknown = await send({ items: [{ productId: randomUUID(), quantity: 1 }] }).expect(404);
      expect(unknown.body.code).toBe('product_not_found');
      const inactive = await send({ items: [{ productId: product.id, quantity: 1 }] }).expect(409);
      expect(inactive.body.code).toBe('product_inactive');
      await t
        .http()
        .post('/api/v1/inventory/reservations')
        .send({ items: [{ productId: product.id, quantity: 1 }] })
        .expect(401);
    });

    it("another customer's reservation is 404 for reads and transitions; staff may act on it", async () => {
      const product = await createProduct(t, staff, { initialStock: 3 });
      const created = await t
        .http()
        .post('/api/v1/inventory/reservations')
        .set(customer.auth)
        .send({ items: [{ productId: product.id, quantity: 1 }] })
        .expect(201);
      const id = created.body.id;
      const hidden = await t.http().get(`/api/v1/inventory/reservations/${id}`).set(other.auth).expect(404);
      expect(JSON.stringify(hidden.body)).not.toContain(customer.id);
      // Commit is staff/admin only: a customer is refused before ownership is looked at.
      await t.http().post(`/api/v1/inventory/reservations/${id}/commit`).set(other.auth).expect(403);
      await t.http().post(`/api/v1/inventory/reservations/${id}/release`).set(other.auth).expect(404);
      await t.http().get(`/api/v1/inventory/reservations/${id}`).set(staff.auth).expect(200);
      await t.http().get(`/api/v1/inventory/reservations/${randomUUID()}`).set(customer.auth).expect(404);
      await t.http().post(`/api/v1/inventory/reservations/${id}/commit`).set(admin.auth).expect(200);
    });

    it('honours Idempotency-Key on reservations (one hold, same answer)', async () => {
      const product = await createProduct(t, staff, { initialStock: 5 });
      const key = randomUUID();
      const body = { items: [{ productId: product.id, quantity: 2 }] };
      const first = await t
        .http()
        .post('/api/v1/inventory/reservations')
        .set(customer.auth)
        .set('Idempotency-Key', key)
        .send(body);
      const again = await t
        .http()
        .post('/api/v1/inventory/reservations')
        .set(customer.auth)
        .set('Idempotency-Key', key)
        .send(body);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect((await stockOf(t, product.id)).reserved).toBe(2);
      // Keys are per user: the same key from someone else is a different request.
      const theirs = await t
        .http()
        .post('/api/v1/inventory/reservations')
        .set(other.auth)
        .set('Idempotency-Key', key)
        .send(body);
      expect(theirs.status).toBe(201);
      expect(theirs.body.id).not.toBe(first.body.id);
    });

    it('honours Idempotency-Key on commit: a retried commit gets the first answer, stock moves once', async () => {
      const product = await createProduct(t, staff, { initialStock: 5 });
      const reservation = await t
        .http()
        .post('/api/v1/inventory/reservations')
        .set(customer.auth)
        .send({ items: [{ productId: product.id, quantity: 2 }] })
        .expect(201);
      const commit = () =>
        t
          .http()
          .post(`/api/v1/inventory/reservations/${reservation.body.id}/commit`)
          .set(staff.auth)
          .set('Idempotency-Key', 'commit-once');
      const first = await commit().expect(200);
      const again = await commit().expect(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await stockOf(t, product.id)).toMatchObject({ onHand: 3, reserved: 0 });
      // Without a key a second commit is a conflict: it is not pending any more.
      await t.http().post(`/api/v1/inventory/reservations/${reservation.body.id}/commit`).set(staff.auth).expect(409);
    });

    it('a pending reservation past expiresAt reads as expired and cannot be committed, before any sweep', async () => {
      const product = await createProduct(t, staff, { initialStock: 2 });
      const created = await t
        .http()
        .post('/api/v1/inventory/reservations')
        .set(customer.auth)
        .send({ items: [{ productId: product.id, quantity: 1 }], ttlSeconds: 1 })
        .expect(201);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const got = await t
        .http()
        .get(`/api/v1/inventory/reservations/${created.body.id}`)
        .set(customer.auth)
        .expect(200);
      expect(got.body.status).toBe('expired');
      const commit = await t
        .http()
        .post(`/api/v1/inventory/reservations/${created.body.id}/commit`)
        .set(staff.auth)
        .expect(409);
      expect(commit.body.reservationStatus).toBe('expired');
      // Stock comes back only through the sweeper.
      expect(await stockOf(t, product.id)).toEqual({ onHand: 2, reserved: 1 });
    });
  });

  it('documents every inventory route in OpenAPI', async () => {
    const doc = await t.http().get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/products',
        '/api/v1/products/{id}',
        '/api/v1/inventory/adjustments',
        '/api/v1/inventory/movements',
        '/api/v1/inventory/reconcile',
        '/api/v1/inventory/reservations',
        '/api/v1/inventory/reservations/{id}',
        '/api/v1/inventory/reservations/{id}/commit',
        '/api/v1/inventory/reservations/{id}/release',
      ]),
    );
  });
});
