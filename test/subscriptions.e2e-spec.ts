import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { countRows, createPlan, daysFromNow, subscribe } from './support/subscriptions.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

describe('subscriptions: plans, subscribe, cancel, change plan, entitlements, summary', () => {
  let t: TestApp;
  let admin: TestUser;
  let staff: TestUser;

  beforeAll(async () => {
    t = await startTestApp('subscriptions');
    admin = await createUser(t, ['admin']);
    staff = await createUser(t, ['staff']);
  });
  afterAll(() => t.close());

  const audits = (entityId: string) =>
    t.dataSource.query(
      'SELECT action, outcome, actor_id AS actorId FROM audit_events WHERE entity_id = ? ORDER BY id',
      [entityId],
    );

  it('publishes every route in the OpenAPI document', async () => {
    const doc = await t.http().get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/plans',
        '/api/v1/plans/{id}',
        '/api/v1/subscriptions',
        '/api/v1/subscriptions/{id}',
        '/api/v1/subscriptions/{id}/cancel',
        '/api/v1/subscriptions/{id}/change-plan',
        '/api/v1/subscriptions/{id}/invoices',
        '/api/v1/subscriptions/me/entitlements',
        '/api/v1/billing/renewals/run',
        '/api/v1/billing/summary',
      ]),
    );
  });

  describe('plans', () => {
    it('admin creates a plan (201, audited); the code is unique (409)', async () => {
      const res = await t
        .http()
        .post('/api/v1/plans')
        .set(admin.auth)
        .send({
          code: 'gold',
          name: 'Gold',
          priceCents: 1999,
          currency: 'EUR',
          interval: 'month',
          features: ['a', 'b'],
        })
        .expect(201);
      expect(res.body).toMatchObject({
        code: 'gold',
        name: 'Gold',
        priceCents: 1999,
        currency: 'EUR',
        interval: 'month',
        trialDays: 0,
        features: ['a', 'b'],
        items: [],
        active: true,
      });
      expect(await audits(res.body.id)).toEqual([{ action: 'plan.create', outcome: 'success', actorId: admin.id }]);
      const dup = await t
        .http()
        .post('/api/v1/plans')
        .set(admin.auth)
        .send({ code: 'gold', name: 'Again', priceCents: 1, currency: 'EUR', interval: 'month' })
        .expect(409);
      expect(dup.headers['content-type']).toMatch(/problem\+json/);
      expect(dup.body.code).toBe('duplicate_plan_code');
    });

    it('validates the body (400 with field errors)', async () => {
      const res = await t
        .http()
        .post('/api/v1/plans')
        .set(admin.auth)
        .send({ code: 'x', name: '', priceCents: -1, currency: 'eur', interval: 'week', extra: 1 })
        .expect(400);
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'priceCents', 'currency', 'interval', 'extra']));
    });

    it('only admins write plans (401 anonymous, 403 customer and staff)', async () => {
      const body = { code: 'nope', name: 'N', priceCents: 1, currency: 'EUR', interval: 'month' };
      await t.http().post('/api/v1/plans').send(body).expect(401);
      const customer = await createUser(t);
      await t.http().post('/api/v1/plans').set(customer.auth).send(body).expect(403);
      await t.http().post('/api/v1/plans').set(staff.auth).send(body).expect(403);
    });

    it('anyone lists active plans and reads one; inactive plans leave the list', async () => {
      const plan = await createPlan(t, admin, { name: 'Listed' });
      const hidden = await createPlan(t, admin, { name: 'Hidden' });
      await t.http().patch(`/api/v1/plans/${hidden.id}`).set(admin.auth).send({ active: false }).expect(200);
      const list = await t.http().get('/api/v1/plans?limit=100').expect(200);
      const ids = list.body.data.map((p: { id: string }) => p.id);
      expect(ids).toContain(plan.id);
      expect(ids).not.toContain(hidden.id);
      expect(list.body.nextCursor).toBeNull();
      const one = await t.http().get(`/api/v1/plans/${hidden.id}`).expect(200);
      expect(one.body.active).toBe(false);
      await t.http().get('/api/v1/plans/0190a0a0-0000-7000-8000-000000000000').expect(404);
      const malformed = await t.http().get('/api/v1/plans/not-a-uuid').expect(400);
      expect(malformed.body).toMatchObject({ code: 'validation_failed', errors: [{ field: 'id' }] });
      const all = await t.http().get('/api/v1/plans?limit=100&includeInactive=true').set(admin.auth).expect(200);
      expect(all.body.data.map((p: { id: string }) => p.id)).toContain(hidden.id);
    });

    it('the plan list is cached per page and per kind of caller, and dropped when a plan changes', async () => {
      const list = () => t.http().get('/api/v1/plans?limit=100').expect(200);
      await list();
      const warm = await list();
      expect(warm.headers['x-query-count']).toBe('0');
      // An admin asking for deactivated plans is another entry; anonymous callers never get it.
      const hidden = await createPlan(t, admin, { name: 'Soon hidden' });
      await t.http().patch(`/api/v1/plans/${hidden.id}`).set(admin.auth).send({ active: false }).expect(200);
      const all = await t.http().get('/api/v1/plans?limit=100&includeInactive=true').set(admin.auth).expect(200);
      expect(all.body.data.map((p: { id: string }) => p.id)).toContain(hidden.id);
      const anonymous = await t.http().get('/api/v1/plans?limit=100&includeInactive=true').expect(200);
      expect(anonymous.body.data.map((p: { id: string }) => p.id)).not.toContain(hidden.id);
      // A new plan and a rename show up at once (the writes drop the list's tag after commit).
      const added = await createPlan(t, admin, { name: 'Fresh' });
      expect((await list()).body.data.map((p: { id: string }) => p.id)).toContain(added.id);
      await t.http().patch(`/api/v1/plans/${added.id}`).set(admin.auth).send({ name: 'Renamed fresh' }).expect(200);
      const renamed = (await list()).body.data.find((p: { id: string }) => p.id === added.id);
      expect(renamed.name).toBe('Renamed fresh');
    });

    it('paginates with a cursor', async () => {
      await createPlan(t, admin);
      await createPlan(t, admin);
      const first = await t.http().get('/api/v1/plans?limit=2').expect(200);
      expect(first.body.data).toHaveLength(2);
      const second = await t.http().get(`/api/v1/plans?limit=2&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body.data[0].id > first.body.data[1].id).toBe(true);
      await t.http().get('/api/v1/plans?cursor=garbage').expect(400);
    });

    it('PATCH updates name, features, price (audited with a diff), If-Match mismatch is 412', async () => {
      const plan = await createPlan(t, admin, { features: ['x'] });
      const res = await t
        .http()
        .patch(`/api/v1/plans/${plan.id}`)
        .set(admin.auth)
        .set('if-match', '1')
        .send({ name: 'Renamed', features: ['x', 'y'], priceCents: 2500 })
        .expect(200);
      expect(res.body).toMatchObject({ name: 'Renamed', features: ['x', 'y'], priceCents: 2500, version: 2 });
      await t
        .http()
        .patch(`/api/v1/plans/${plan.id}`)
        .set(admin.auth)
        .set('if-match', '1')
        .send({ name: 'Z' })
        .expect(412);
      await t
        .http()
        .patch('/api/v1/plans/0190a0a0-0000-7000-8000-000000000000')
        .set(admin.auth)
        .send({ name: 'Z' })
        .expect(404);
      const [event] = await t.dataSource.query(
        "SELECT changes FROM audit_events WHERE entity_id = ? AND action = 'plan.update'",
        [plan.id],
      );
      expect(JSON.parse(event.changes)).toMatchObject({ name: { from: 'Test plan', to: 'Renamed' } });
    });
  });

  describe('subscribe', () => {
    it('charges the first period and activates (201, invoice paid, one attempt, audited)', async () => {
      const user = await createUser(t);
      const plan = await createPlan(t, admin, { priceCents: 1500 });
      const res = await subscribe(t, user, plan.id).expect(201);
      expect(res.body).toMatchObject({
        userId: user.id,
        planId: plan.id,
        status: 'active',
        cancelAtPeriodEnd: false,
        trialEnd: null,
      });
      expect(new Date(res.body.currentPeriodEnd).getTime()).toBeGreaterThan(daysFromNow(27).getTime());
      expect(res.body).not.toHaveProperty('paymentMethod');
      const invoices = await t.http().get(`/api/v1/subscriptions/${res.body.id}/invoices`).set(user.auth).expect(200);
      expect(invoices.body.data).toHaveLength(1);
      expect(invoices.body.data[0]).toMatchObject({
        amountCents: 1500,
        currency: 'EUR',
        status: 'paid',
        subscriptionId: res.body.id,
      });
      expect(invoices.body.data[0].lines).toEqual([expect.objectContaining({ kind: 'plan', amountCents: 1500 })]);
      expect(
        await countRows(t, "SELECT COUNT(*) FROM payment_attempts WHERE subscription_id = ? AND status = 'succeeded'", [
          res.body.id,
        ]),
      ).toBe(1);
      const [attempt] = await t.dataSource.query(
        'SELECT idempotency_key AS k FROM payment_attempts WHERE subscription_id = ?',
        [res.body.id],
      );
      expect(attempt.k).toBe(`invoice:${invoices.body.data[0].id}:attempt:1`);
      expect(await audits(res.body.id)).toEqual([
        { action: 'subscription.create', outcome: 'success', actorId: user.id },
      ]);
    });

    it('a declined card is 402: subscription incomplete, invoice void, attempt stored, slot released', async () => {
      const user = await createUser(t);
      const plan = await createPlan(t, admin, { features: ['declined-feature'] });
      const res = await subscribe(t, user, plan.id, 'pm_card_declined').expect(402);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body).toMatchObject({ status: 402, code: 'payment_declined' });
      const id = res.body.subscriptionId;
      const sub = await t.http().get(`/api/v1/subscriptions/${id}`).set(user.auth).expect(200);
      expect(sub.body.status).toBe('incomplete');
      const invoices = await t.http().get(`/api/v1/subscriptions/${id}/invoices`).set(user.auth).expect(200);
      expect(invoices.body.data.map((i: { status: string }) => i.status)).toEqual(['void']);
      expect(
        await countRows(t, "SELECT COUNT(*) FROM payment_attempts WHERE subscription_id = ? AND status = 'declined'", [
          id,
        ]),
      ).toBe(1);
      expect(await audits(id)).toEqual([{ action: 'subscription.create', outcome: 'failure', actorId: user.id }]);
      const ent = await t.http().get('/api/v1/subscriptions/me/entitlements').set(user.auth).expect(200);
      expect(ent.body.features).toEqual([]);
      // The slot is free again: a good card works.
      await subscribe(t, user, plan.id, 'pm_card_ok').expect(201);
    });

    it('rejects an unknown or inactive plan and a bad body', async () => {
      const user = await createUser(t);
      const missing = await subscribe(t, user, '0190a0a0-0000-7000-8000-000000000000').expect(404);
      expect(missing.body.code).toBe('plan_not_found');
      const plan = await createPlan(t, admin);
      await t.http().patch(`/api/v1/plans/${plan.id}`).set(admin.auth).send({ active: false }).expect(200);
      expect((await subscribe(t, user, plan.id).expect(409)).body.code).toBe('plan_inactive');
      await t
        .http()
        .post('/api/v1/subscriptions')
        .set(user.auth)
        .send({ planId: plan.id, paymentMethod: '4242424242424242' })
        .expect(400);
      await t.http().post('/api/v1/subscriptions').send({ planId: plan.id, paymentMethod: 'pm_card_ok' }).expect(401);
    });

    it('a second live subscription to the same plan is 409', async () => {
      const user = await createUser(t);
      const plan = await createPlan(t, admin);
      await subscribe(t, user, plan.id).expect(201);
      expect((await subscribe(t, user, plan.id).expect(409)).body.code).toBe('already_subscribed');
    });

    it('20 concurrent subscribes by one user to one plan: exactly one 201 and one charge', async () => {
      const user = await createUser(t);
      const plan = await createPlan(t, admin);
      const responses = await Promise.all(Array.from({ length: 20 }, () => subscribe(t, user, plan.id)));
      const statuses = responses.map((res) => res.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      expect(
        await countRows(t, 'SELECT COUNT(*) FROM subscriptions WHERE user_id = ? AND plan_id = ?', [user.id, plan.id]),
      ).toBe(1);
      expect(
        await countRows(
          t,
          'SELECT COUNT(*) FROM payment_attempts p JOIN subscriptions s ON s.id = p.subscription_id WHERE s.user_id = ?',
          [user.id],
        ),
      ).toBe(1);
      expect(await countRows(t, 'SELECT COUNT(*) FROM invoices WHERE user_id = ?', [user.id])).toBe(1);
    });

    it('Idempotency-Key replays the first answer without a second charge', async () => {
      const user = await createUser(t);
      const plan = await createPlan(t, admin);
      const first = await subscribe(t, user, plan.id).set('idempotency-key', 'sub-1').expect(201);
      const again = await subscribe(t, user, plan.id).set('idempotency-key', 'sub-1').expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(
        await countRows(t, 'SELECT COUNT(*) FROM payment_attempts WHERE subscription_id = ?', [first.body.id]),
      ).toBe(1);
      await subscribe(t, user, plan.id, 'pm_card_declined').set('idempotency-key', 'sub-1').expect(422);
    });

    it('the same Idempotency-Key for another subscription is another request: 422, nothing changed', async () => {
      const user = await createUser(t);
      const basic = await createPlan(t, admin, { priceCents: 1000 });
      const plus = await createPlan(t, admin, { priceCents: 2000 });
      const pro = await createPlan(t, admin, { priceCents: 3000 });
      const first = (await subscribe(t, user, basic.id).expect(201)).body;
      const second = (await subscribe(t, user, plus.id).expect(201)).body;
      const changePlan = (id: string) =>
        t
          .http()
          .post(`/api/v1/subscriptions/${id}/change-plan`)
          .set(user.auth)
          .set('idempotency-key', 'change-1')
          .send({ planId: pro.id });
      await changePlan(first.id).expect(200);
      await changePlan(second.id).expect(422);
      const after = await t.http().get(`/api/v1/subscriptions/${second.id}`).set(user.auth).expect(200);
      expect(after.body.planId).toBe(plus.id);
    });

    it('a plan with trial days starts trialing: no charge, no invoice, trialEnd set', async () => {
      const user = await createUser(t);
      const plan = await createPlan(t, admin, { trialDays: 14, features: ['trial-feature'] });
      const res = await subscribe(t, user, plan.id).expect(201);
      expect(res.body.status).toBe('trialing');
      const trialEnd = new Date(res.body.trialEnd).getTime();
      expect(Math.abs(trialEnd - daysFromNow(14).getTime())).toBeLessThan(60_000);
      expect(res.body.currentPeriodEnd).toBe(res.body.trialEnd);
      expect(await countRows(t, 'SELECT COUNT(*) FROM payment_attempts WHERE subscription_id = ?', [res.body.id])).toBe(
        0,
      );
      expect(await countRows(t, 'SELECT COUNT(*) FROM invoices WHERE subscription_id = ?', [res.body.id])).toBe(0);
      const ent = await t.http().get('/api/v1/subscriptions/me/entitlements').set(user.auth).expect(200);
      expect(ent.body.features).toEqual(['trial-feature']);
    });
  });

  describe('reading subscriptions', () => {
    it('owners see their own; others get 404; staff and admin see all and filter', async () => {
      const alice = await createUser(t);
      const bob = await createUser(t);
      const plan = await createPlan(t, admin);
      const sub = (await subscribe(t, alice, plan.id).expect(201)).body;
      await t.http().get(`/api/v1/subscriptions/${sub.id}`).set(bob.auth).expect(404);
      await t.http().get(`/api/v1/subscriptions/${sub.id}/invoices`).set(bob.auth).expect(404);
      await t.http().get(`/api/v1/subscriptions/${sub.id}`).set(staff.auth).expect(200);
      await t.http().get(`/api/v1/subscriptions/${sub.id}/invoices`).set(staff.auth).expect(200);
      await t.http().get('/api/v1/subscriptions/0190a0a0-0000-7000-8000-000000000000').set(admin.auth).expect(404);

      const own = await t.http().get('/api/v1/subscriptions').set(bob.auth).expect(200);
      expect(own.body).toEqual({ data: [], nextCursor: null });
      const mine = await t.http().get(`/api/v1/subscriptions?userId=${bob.id}`).set(alice.auth).expect(200);
      expect(mine.body.data.map((s: { id: string }) => s.id)).toEqual([sub.id]); // a customer's userId filter is ignored
      const filtered = await t
        .http()
        .get(`/api/v1/subscriptions?userId=${alice.id}&status=active`)
        .set(staff.auth)
        .expect(200);
      expect(filtered.body.data.map((s: { id: string }) => s.id)).toEqual([sub.id]);
      const none = await t
        .http()
        .get(`/api/v1/subscriptions?userId=${alice.id}&status=canceled`)
        .set(admin.auth)
        .expect(200);
      expect(none.body.data).toEqual([]);
      await t.http().get('/api/v1/subscriptions?status=bogus').set(admin.auth).expect(400);
    });

    it('lists newest first with keyset pagination', async () => {
      const user = await createUser(t);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++)
        ids.push((await subscribe(t, user, (await createPlan(t, admin)).id).expect(201)).body.id);
      const page1 = await t.http().get('/api/v1/subscriptions?limit=2').set(user.auth).expect(200);
      expect(page1.body.data.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[1]]);
      const page2 = await t
        .http()
        .get(`/api/v1/subscriptions?limit=2&cursor=${page1.body.nextCursor}`)
        .set(user.auth)
        .expect(200);
      expect(page2.body.data.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
      expect(page2.body.nextCursor).toBeNull();
    });
  });

  describe('cancel', () => {
    it('at period end keeps it live with cancelAtPeriodEnd; immediate cancel ends it; again is 409', async () => {
      const user = await createUser(t);
      const plan = await createPlan(t, admin, { features: ['cancel-me'] });
      const sub = (await subscribe(t, user, plan.id).expect(201)).body;
      const later = await t
        .http()
        .post(`/api/v1/subscriptions/${sub.id}/cancel`)
        .set(user.auth)
        .send({ atPeriodEnd: true })
        .expect(200);
      expect(later.body).toMatchObject({ status: 'active', cancelAtPeriodEnd: true });
      expect((await t.http().get('/api/v1/subscriptions/me/entitlements').set(user.auth)).body.features).toEqual([
        'cancel-me',
      ]);

      const now = await t
        .http()
        .post(`/api/v1/subscriptions/${sub.id}/cancel`)
        .set(user.auth)
        .send({ atPeriodEnd: false })
        .expect(200);
      expect(now.body.status).toBe('canceled');
      expect(now.body.canceledAt).toEqual(expect.any(String));
      expect((await t.http().get('/api/v1/subscriptions/me/entitlements').set(user.auth)).body.features).toEqual([]);
      const again = await t
        .http()
        .post(`/api/v1/subscriptions/${sub.id}/cancel`)
        .set(user.auth)
        .send({ atPeriodEnd: false })
        .expect(409);
      expect(again.body.code).toBe('illegal_transition');
      await t
        .http()
        .post(`/api/v1/subscriptions/${sub.id}/cancel`)
        .set(user.auth)
        .send({ atPeriodEnd: true })
        .expect(409);
      expect((await audits(sub.id)).map((e: { action: string }) => e.action)).toEqual([
        'subscription.create',
        'subscription.cancel',
        'subscription.cancel',
      ]);
      // The slot is free again.
      await subscribe(t, user, plan.id).expect(201);
    });

    it('owner or admin only: staff 403, another customer 404; body validated', async () => {
      const user = await createUser(t);
      const other = await createUser(t);
      const sub = (await subscribe(t, user, (await createPlan(t, admin)).id).expect(201)).body;
      await t.http().post(`/api/v1/subscriptions/${sub.id}/cancel`).set(user.auth).send({}).expect(400);
      await t
        .http()
        .post(`/api/v1/subscriptions/${sub.id}/cancel`)
        .set(other.auth)
        .send({ atPeriodEnd: false })
        .expect(404);
      await t
        .http()
        .post(`/api/v1/subscriptions/${sub.id}/cancel`)
        .set(staff.auth)
        .send({ atPeriodEnd: false })
        .expect(403);
      const res = await t
        .http()
        .post(`/api/v1/subscriptions/${sub.id}/cancel`)
        .set(admin.auth)
        .send({ atPeriodEnd: false })
        .expect(200);
      expect(res.body.status).toBe('canceled');
      const [event] = await t.dataSource.query(
        "SELECT actor_id AS actorId FROM audit_events WHERE entity_id = ? AND action = 'subscription.cancel'",
        [sub.id],
      );
      expect(event.actorId).toBe(admin.id);
    });

    it('two concurrent immediate cancels: one 200, one 409', async () => {
      const user = await createUser(t);
      const sub = (await subscribe(t, user, (await createPlan(t, admin)).id).expect(201)).body;
      const responses = await Promise.all(
        [0, 1].map(() =>
          t.http().post(`/api/v1/subscriptions/${sub.id}/cancel`).set(user.auth).send({ atPeriodEnd: false }),
        ),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(
        await countRows(t, "SELECT COUNT(*) FROM audit_events WHERE entity_id = ? AND action = 'subscription.cancel'", [
          sub.id,
        ]),
      ).toBe(1);
    });
  });

  describe('change plan', () => {
    it('upgrades immediately with a prorated invoice (credit + charge), audited', async () => {
      const user = await createUser(t);
      const basic = await createPlan(t, admin, { priceCents: 1000, features: ['basic'] });
      const pro = await createPlan(t, admin, { priceCents: 3000, features: ['basic', 'pro'] });
      const sub = (await subscribe(t, user, basic.id).expect(201)).body;
      expect((await t.http().get('/api/v1/subscriptions/me/entitlements').set(user.auth)).body.features).toEqual([
        'basic',
      ]);
      const res = await t
        .http()
        .post(`/api/v1/subscriptions/${sub.id}/change-plan`)
        .set(user.auth)
        .send({ planId: pro.id })
        .expect(200);
      expect(res.body).toMatchObject({ id: sub.id, planId: pro.id, status: 'active', priceCents: 3000 });
      expect(res.body.currentPeriodEnd).toBe(sub.currentPeriodEnd);
      // Changed seconds after subscribing: (almost) the whole period is credited and charged.
      const lines = res.body.invoice.lines;
      const credit = lines.find((l: { kind: string }) => l.kind === 'proration_credit').amountCents;
      const charge = lines.find((l: { kind: string }) => l.kind === 'proration_charge').amountCents;
      expect(credit).toBeLessThanOrEqual(-999);
      expect(charge).toBeGreaterThanOrEqual(2999);
      expect(res.body.invoice).toMatchObject({
        status: 'paid',
        amountCents: charge + credit,
        billingReason: 'subscription_update',
      });
      expect((await t.http().get('/api/v1/subscriptions/me/entitlements').set(user.auth)).body.features).toEqual([
        'basic',
        'pro',
      ]);
      expect((await audits(sub.id)).map((e: { action: string }) => e.action)).toEqual([
        'subscription.create',
        'subscription.change_plan',
      ]);
      const invoices = await t.http().get(`/api/v1/subscriptions/${sub.id}/invoices`).set(user.auth).expect(200);
      expect(invoices.body.data).toHaveLength(2);
    });

    it('a downgrade carries the credit forward (nothing charged)', async () => {
      const user = await createUser(t);
      const pro = await createPlan(t, admin, { priceCents: 3000 });
      const basic = await createPlan(t, admin, { priceCents: 1000 });
      const sub = (await subscribe(t, user, pro.id).expect(201)).body;
      const res = await t
        .http()
        .post(`/api/v1/subscriptions/${sub.id}/change-plan`)
        .set(user.auth)
        .send({ planId: basic.id })
        .expect(200);
      expect(res.body.invoice.amountCents).toBe(0);
      expect(res.body.creditCents).toBeGreaterThanOrEqual(1999);
      expect(await countRows(t, 'SELECT COUNT(*) FROM payment_attempts WHERE subscription_id = ?', [sub.id])).toBe(1);
    });

    it('monthly → yearly restarts the billing cycle', async () => {
      const user = await createUser(t);
      const monthly = await createPlan(t, admin, { priceCents: 1000 });
      const yearly = await createPlan(t, admin, { priceCents: 10000, interval: 'year' });
      const sub = (await subscribe(t, user, monthly.id).expect(201)).body;
      const res = await t
        .http()
        .post(`/api/v1/subscriptions/${sub.id}/change-plan`)
        .set(user.auth)
        .send({ planId: yearly.id })
        .expect(200);
      expect(new Date(res.body.currentPeriodEnd).getTime()).toBeGreaterThan(daysFromNow(360).getTime());
      expect(res.body.invoice.amountCents).toBeGreaterThanOrEqual(9000);
    });

    it('a declined proration charge is 402 and changes nothing', async () => {
      const user = await createUser(t);
      const basic = await createPlan(t, admin, { priceCents: 1000 });
      const pro = await createPlan(t, admin, { priceCents: 3000 });
      const sub = (await subscribe(t, user, basic.id).expect(201)).body;
      await t.dataSource.query("UPDATE subscriptions SET payment_method = 'pm_card_declined' WHERE id = ?", [sub.id]);
      const res = await t
        .http()
        .post(`/api/v1/subscriptions/${sub.id}/change-plan`)
        .set(user.auth)
        .send({ planId: pro.id })
        .expect(402);
      expect(res.body.code).toBe('payment_declined');
      const after = await t.http().get(`/api/v1/subscriptions/${sub.id}`).set(user.auth).expect(200);
      expect(after.body).toMatchObject({ planId: basic.id, status: 'active', version: sub.version });
      const statuses = (await t.http().get(`/api/v1/subscriptions/${sub.id}/invoices`).set(user.auth)).body.data.map(
        (i: { status: string }) => i.status,
      );
      expect(statuses).toEqual(['void', 'paid']);
    });

    it('refuses the same plan, an unknown plan, a canceled subscription, a plan already held; staff 403', async () => {
      const user = await createUser(t);
      const a = await createPlan(t, admin);
      const b = await createPlan(t, admin);
      const subA = (await subscribe(t, user, a.id).expect(201)).body;
      await subscribe(t, user, b.id).expect(201);
      const change = (planId: string, who = user) =>
        t.http().post(`/api/v1/subscriptions/${subA.id}/change-plan`).set(who.auth).send({ planId });
      expect((await change(a.id).expect(409)).body.code).toBe('same_plan');
      expect((await change(b.id).expect(409)).body.code).toBe('already_subscribed');
      expect(await countRows(t, 'SELECT COUNT(*) FROM payment_attempts WHERE subscription_id = ?', [subA.id])).toBe(1);
      await change('0190a0a0-0000-7000-8000-000000000000').expect(404);
      await change(b.id, staff).expect(403);
      const c = await createPlan(t, admin);
      await t
        .http()
        .post(`/api/v1/subscriptions/${subA.id}/cancel`)
        .set(user.auth)
        .send({ atPeriodEnd: false })
        .expect(200);
      expect((await change(c.id).expect(409)).body.code).toBe('illegal_transition');
    });

    it('during a trial: switches plan without an invoice', async () => {
      const user = await createUser(t);
      const trial = await createPlan(t, admin, { trialDays: 7 });
      const other = await createPlan(t, admin, { trialDays: 7, priceCents: 5000 });
      const sub = (await subscribe(t, user, trial.id).expect(201)).body;
      const res = await t
        .http()
        .post(`/api/v1/subscriptions/${sub.id}/change-plan`)
        .set(user.auth)
        .send({ planId: other.id })
        .expect(200);
      expect(res.body).toMatchObject({ status: 'trialing', planId: other.id, invoice: null, trialEnd: sub.trialEnd });
    });
  });

  describe('entitlements', () => {
    it('union of live subscriptions’ features; warm reads issue no SQL; a plan feature change shows at once', async () => {
      const user = await createUser(t);
      const p1 = await createPlan(t, admin, { features: ['reports', 'api'] });
      const p2 = await createPlan(t, admin, { features: ['api', 'sso'] });
      await subscribe(t, user, p1.id).expect(201);
      await subscribe(t, user, p2.id).expect(201);
      const cold = await t.http().get('/api/v1/subscriptions/me/entitlements').set(user.auth).expect(200);
      expect(cold.body).toEqual({ features: ['api', 'reports', 'sso'] });
      await new Promise((resolve) => setTimeout(resolve, 30));
      const warm = await t.http().get('/api/v1/subscriptions/me/entitlements').set(user.auth).expect(200);
      expect(warm.body).toEqual(cold.body);
      expect(warm.headers['x-query-count']).toBe('0');

      await t
        .http()
        .patch(`/api/v1/plans/${p2.id}`)
        .set(admin.auth)
        .send({ features: ['sso', 'audit-log'] })
        .expect(200);
      const after = await t.http().get('/api/v1/subscriptions/me/entitlements').set(user.auth).expect(200);
      expect(after.body.features).toEqual(['api', 'audit-log', 'reports', 'sso']);
    });

    it('is not swallowed by /subscriptions/:id and needs a token', async () => {
      await t.http().get('/api/v1/subscriptions/me/entitlements').expect(401);
      const user = await createUser(t);
      const res = await t.http().get('/api/v1/subscriptions/me/entitlements').set(user.auth).expect(200);
      expect(res.body).toEqual({ features: [] });
    });

    it('is invalidated across instances', async () => {
      const second = await startTestApp('subscriptions', {
        reuseDatabase: true,
        env: { REDIS_KEY_PREFIX: t.config.redis.keyPrefix },
      });
      try {
        const user = await createUser(t);
        const plan = await createPlan(t, admin, { features: ['x-instance'] });
        expect((await second.http().get('/api/v1/subscriptions/me/entitlements').set(user.auth)).body.features).toEqual(
          [],
        );
        const sub = (await subscribe(t, user, plan.id).expect(201)).body;
        expect((await second.http().get('/api/v1/subscriptions/me/entitlements').set(user.auth)).body.features).toEqual(
          ['x-instance'],
        );
        await t
          .http()
          .post(`/api/v1/subscriptions/${sub.id}/cancel`)
          .set(user.auth)
          .send({ atPeriodEnd: false })
          .expect(200);
        expect((await second.http().get('/api/v1/subscriptions/me/entitlements').set(user.auth)).body.features).toEqual(
          [],
        );
      } finally {
        await second.close();
      }
    });
  });

  describe('billing summary', () => {
    it('admin only; counts, MRR (yearly ÷ 12), churn and per-plan rows, never stale', async () => {
      const customer = await createUser(t);
      await t.http().get('/api/v1/billing/summary').set(customer.auth).expect(403);
      await t.http().get('/api/v1/billing/summary').set(staff.auth).expect(403);
      const before = (await t.http().get('/api/v1/billing/summary').set(admin.auth).expect(200)).body;
      expect(before).toMatchObject({
        mrrCents: expect.any(Number),
        activeSubscriptions: expect.any(Number),
        trialingSubscriptions: expect.any(Number),
        pastDueSubscriptions: expect.any(Number),
        churnedLast30Days: expect.any(Number),
        byPlan: expect.any(Array),
      });
      const yearly = await createPlan(t, admin, { priceCents: 12_001, interval: 'year' });
      const u1 = await createUser(t);
      const u2 = await createUser(t);
      await subscribe(t, u1, yearly.id).expect(201);
      const s2 = (await subscribe(t, u2, yearly.id).expect(201)).body;
      const mid = (await t.http().get('/api/v1/billing/summary').set(admin.auth).expect(200)).body;
      expect(mid.activeSubscriptions).toBe(before.activeSubscriptions + 2);
      const row = mid.byPlan.find((p: { planId: string }) => p.planId === yearly.id);
      expect(row).toMatchObject({ activeSubscriptions: 2, mrrCents: 2000, currency: 'EUR', interval: 'year' }); // 24002 / 12 = 2000.17
      await t
        .http()
        .post(`/api/v1/subscriptions/${s2.id}/cancel`)
        .set(u2.auth)
        .send({ atPeriodEnd: false })
        .expect(200);
      const after = (await t.http().get('/api/v1/billing/summary').set(admin.auth).expect(200)).body;
      expect(after.activeSubscriptions).toBe(before.activeSubscriptions + 1);
      expect(after.churnedLast30Days).toBe(mid.churnedLast30Days + 1);
      expect(after.byPlan.find((p: { planId: string }) => p.planId === yearly.id).mrrCents).toBe(1000);
      // A subscription whose first charge never went through is not churn when it is canceled.
      const u3 = await createUser(t);
      const incomplete = (await subscribe(t, u3, yearly.id, 'pm_card_declined').expect(402)).body.subscriptionId;
      await t
        .http()
        .post(`/api/v1/subscriptions/${incomplete}/cancel`)
        .set(u3.auth)
        .send({ atPeriodEnd: false })
        .expect(200);
      const last = (await t.http().get('/api/v1/billing/summary').set(admin.auth).expect(200)).body;
      expect(last.churnedLast30Days).toBe(after.churnedLast30Days);
    });
  });
});
