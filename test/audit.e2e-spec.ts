import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TransactionService } from '../src/infrastructure/database/transaction.service.js';
import { AuditSealerService } from '../src/modules/audit/services/audit-sealer.service.js';
import { AuditService } from '../src/modules/audit/index.js';
import { AuditProbeModule } from './support/audit-probe.module.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

interface EventBody {
  id: string;
  occurredAt: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  requestId: string | null;
  ip: string | null;
  outcome: string;
  changes: unknown;
}

describe('audit events API', () => {
  let t: TestApp;
  let admin: TestUser;
  let staff: TestUser;
  let customer: TestUser;

  const list = async (
    query: Record<string, string | number> = {},
  ): Promise<{ data: EventBody[]; nextCursor: string | null }> => {
    const res = await t.http().get('/api/v1/audit-events').query(query).set(admin.auth).expect(200);
    return res.body;
  };

  const recordAsSystem = (
    action: string,
    entityType: string,
    entityId: string,
    changes: Record<string, unknown> = {},
  ) =>
    t.app
      .get(TransactionService)
      .run((manager) => t.app.get(AuditService).record(manager, { action, entityType, entityId, changes }));

  beforeAll(async () => {
    t = await startTestApp('audit-api', { imports: [AuditProbeModule] });
    [admin, staff, customer] = await Promise.all([createUser(t, ['admin']), createUser(t, ['staff']), createUser(t)]);
  });
  afterAll(() => t.close());

  describe('access', () => {
    it('401 without a token, 403 for staff and customers, 200 for admins', async () => {
      for (const path of ['/api/v1/audit-events', '/api/v1/audit-events/verify']) {
        await t.http().get(path).expect(401);
        await t.http().get(path).set(staff.auth).expect(403);
        const res = await t.http().get(path).set(customer.auth).expect(403);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        await t.http().get(path).set(admin.auth).expect(200);
      }
    });
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = await t.http().get('/docs-json').expect(200);
    expect(doc.body.paths['/api/v1/audit-events'].get).toBeDefined();
    expect(doc.body.paths['/api/v1/audit-events/verify'].get).toBeDefined();
  });

  describe('recording through a request', () => {
    it('records one event with the actor, request id and IP from the request context', async () => {
      await t
        .http()
        .post('/probe/audit')
        .set(customer.auth)
        .set('x-request-id', 'req-audit-1')
        .send({ action: 'probe.create', entityId: 'ctx-1', changes: { name: 'n' } })
        .expect(201);
      const { data } = await list({ entityId: 'ctx-1' });
      expect(data).toHaveLength(1);
      expect(data[0]).toEqual({
        id: expect.any(String),
        occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        actorId: customer.id,
        action: 'probe.create',
        entityType: 'probe',
        entityId: 'ctx-1',
        requestId: 'req-audit-1',
        ip: expect.any(String),
        outcome: 'success',
        changes: { name: 'n' },
      });
    });

    it('costs exactly one statement inside the transaction', async () => {
      const send = (skipAudit: boolean) =>
        t
          .http()
          .post('/probe/audit')
          .set(admin.auth)
          .send({ action: 'probe.count', entityId: 'q-1', skipAudit })
          .expect(201);
      const audited = Number((await send(false)).headers['x-query-count']);
      const bare = Number((await send(true)).headers['x-query-count']);
      expect(bare).toBeGreaterThan(0);
      expect(audited - bare).toBe(1);
    });

    it('a rolled-back change leaves no event', async () => {
      await t
        .http()
        .post('/probe/audit')
        .set(customer.auth)
        .send({ action: 'probe.create', entityId: 'rolled-back', fail: true })
        .expect(400);
      const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM audit_events WHERE entity_id = ?', [
        'rolled-back',
      ]);
      expect(Number(n)).toBe(0);
    });

    it('jobs record as "system" with no request id or IP', async () => {
      await recordAsSystem('probe.job', 'probe', 'job-1');
      const { data } = await list({ entityId: 'job-1' });
      expect(data).toEqual([expect.objectContaining({ actorId: 'system', requestId: null, ip: null })]);
    });
  });

  describe('secrets', () => {
    it('never reach the stored row, whatever the nesting', async () => {
      await t
        .http()
        .post('/probe/audit')
        .set(admin.auth)
        .send({
          action: 'probe.secret',
          entityId: 'secret-1',
          changes: {
            email: 'kept@example.com',
            password: 'hunter2-password',
            refreshToken: 'rt-value-123',
            nested: { passwordHash: '$argon2id$zzz', apiKey: 'key-456', clientSecret: 'cs-789' },
          },
        })
        .expect(201);
      const [raw] = await t.dataSource.query('SELECT * FROM audit_events WHERE entity_id = ?', ['secret-1']);
      const stored = JSON.stringify(raw);
      for (const secret of ['hunter2-password', 'rt-value-123', '$argon2id$zzz', 'key-456', 'cs-789']) {
        expect(stored).not.toContain(secret);
      }
      expect(JSON.parse(raw.changes)).toEqual({
        email: 'kept@example.com',
        password: '[redacted]',
        refreshToken: '[redacted]',
        nested: { passwordHash: '[redacted]', apiKey: '[redacted]', clientSecret: '[redacted]' },
      });
    });
  });

  describe('the database refuses to rewrite history', () => {
    it('a raw UPDATE or DELETE on audit_events fails, and the row is unchanged', async () => {
      await recordAsSystem('probe.immutable', 'probe', 'immutable-1', { v: 1 });
      await expect(
        t.dataSource.query(`UPDATE audit_events SET changes = '{"v":2}' WHERE entity_id = 'immutable-1'`),
      ).rejects.toThrow(/append-only/);
      await expect(t.dataSource.query(`DELETE FROM audit_events WHERE entity_id = 'immutable-1'`)).rejects.toThrow(
        /append-only/,
      );
      const rows = await t.dataSource.query(`SELECT changes FROM audit_events WHERE entity_id = 'immutable-1'`);
      expect(rows).toEqual([{ changes: '{"v":1}' }]);
    });

    it('the same holds for the chain', async () => {
      await t.app.get(AuditSealerService).sealPending();
      await expect(t.dataSource.query(`UPDATE audit_chain SET hash = REPEAT('0', 64)`)).rejects.toThrow(/append-only/);
      await expect(t.dataSource.query('DELETE FROM audit_chain')).rejects.toThrow(/append-only/);
      const res = await t.http().get('/api/v1/audit-events/verify').set(admin.auth).expect(200);
      expect(res.body.ok).toBe(true);
    });
  });

  describe('query API', () => {
    const actorA = '01900000-0000-7000-8000-00000000000a';
    const actorB = '01900000-0000-7000-8000-00000000000b';
    let recorded: string[];

    beforeAll(async () => {
      const tx = t.app.get(TransactionService);
      const audit = t.app.get(AuditService);
      for (let i = 0; i < 25; i++) {
        await tx.run((manager) =>
          audit.record(manager, {
            action: i % 2 === 0 ? 'filter.even' : 'filter.odd',
            entityType: i % 5 === 0 ? 'widget' : 'gadget',
            entityId: `f-${i % 3}`,
            actorId: i < 10 ? actorA : actorB,
            changes: { i },
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, 2)); // distinct milliseconds for the time filters
      }
      const rows = await t.dataSource.query(`SELECT id FROM audit_events WHERE action LIKE 'filter.%' ORDER BY id`);
      recorded = rows.map((row: { id: string }) => row.id);
    });

    const indexesOf = (data: EventBody[]) => data.map((event) => (event.changes as { i: number }).i);

    it('lists newest first', async () => {
      const { data } = await list({ action: 'filter.even', limit: 100 });
      expect(indexesOf(data)).toEqual([24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0]);
    });

    it('filters by actorId, action, entityType, entityId and combinations', async () => {
      expect(indexesOf((await list({ actorId: actorA, limit: 100 })).data)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
      expect((await list({ action: 'filter.odd', limit: 100 })).data).toHaveLength(12);
      expect(indexesOf((await list({ entityType: 'widget', limit: 100 })).data)).toEqual([20, 15, 10, 5, 0]);
      expect(indexesOf((await list({ entityId: 'f-1', limit: 100 })).data)).toEqual([22, 19, 16, 13, 10, 7, 4, 1]);
      expect(indexesOf((await list({ entityType: 'widget', entityId: 'f-0', limit: 100 })).data)).toEqual([15, 0]);
      expect(indexesOf((await list({ actorId: actorB, action: 'filter.even', limit: 100 })).data)).toEqual([
        24, 22, 20, 18, 16, 14, 12, 10,
      ]);
      expect((await list({ actorId: 'nobody' })).data).toEqual([]);
    });

    it('filters by time (from and to inclusive)', async () => {
      const all = (await list({ action: 'filter.even', limit: 100 })).data.concat(
        (await list({ action: 'filter.odd', limit: 100 })).data,
      );
      const at = (i: number) => all.find((event) => (event.changes as { i: number }).i === i)!.occurredAt;
      const { data } = await list({ from: at(5), to: at(8), limit: 100, entityType: 'gadget' });
      expect(indexesOf(data)).toEqual([8, 7, 6]);
      const fromOnly = await list({ from: at(23), limit: 100 });
      expect(indexesOf(fromOnly.data.filter((event) => event.action.startsWith('filter.')))).toEqual([24, 23]);
      const toOnly = await list({ to: at(1), action: 'filter.odd', limit: 100 });
      expect(indexesOf(toOnly.data)).toEqual([1]);
      // Any ISO form, with an offset too.
      const shifted = new Date(Date.parse(at(24)) + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
      expect(indexesOf((await list({ from: shifted, action: 'filter.even' })).data)).toEqual([24]);
    });

    it('pages with a keyset cursor, no gaps and no repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await list({ action: 'filter.odd', limit: 5, ...(cursor ? { cursor } : {}) });
        seen.push(...page.data.map((event) => event.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(recorded.filter((_, i) => i % 2 === 1).reverse());
    });

    it('rejects invalid filters with 400 and field errors', async () => {
      for (const [query, field] of [
        [{ from: 'yesterday' }, 'from'],
        [{ to: '2025-13-45T00:00:00Z' }, 'to'],
        [{ limit: 0 }, 'limit'],
        [{ limit: 101 }, 'limit'],
        [{ cursor: 'not-a-cursor' }, 'cursor'],
        [{ unknown: 'x' }, 'unknown'],
      ] as const) {
        const res = await t.http().get('/api/v1/audit-events').query(query).set(admin.auth).expect(400);
        expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
    });
  });
});
