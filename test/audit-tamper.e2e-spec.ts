import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { TransactionService } from '../src/infrastructure/database/transaction.service.js';
import { AuditSealerService } from '../src/modules/audit/services/audit-sealer.service.js';
import { AuditService } from '../src/modules/audit/index.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

/**
 * Tampering "behind the app's back": the append-only triggers are dropped in this file's own
 * database, rows are rewritten with raw SQL, and verify must name the first broken event.
 */
describe('audit chain tamper evidence', () => {
  let t: TestApp;
  let admin: TestUser;
  let ids: string[];

  const verify = async () => (await t.http().get('/api/v1/audit-events/verify').set(admin.auth).expect(200)).body;
  const sealer = () => t.app.get(AuditSealerService);
  const record = (i: number) =>
    t.app.get(TransactionService).run((manager) =>
      t.app.get(AuditService).record(manager, {
        action: 'tamper.test',
        entityType: 'thing',
        entityId: `thing-${i}`,
        changes: { i, name: `thing ${i}` },
      }),
    );

  beforeAll(async () => {
    t = await startTestApp('audit-tamper');
    admin = await createUser(t, ['admin']);
    for (const table of ['audit_events', 'audit_chain']) {
      await t.dataSource.query(`DROP TRIGGER ${table}_no_update`);
      await t.dataSource.query(`DROP TRIGGER ${table}_no_delete`);
    }
  });
  afterAll(() => t.close());

  beforeEach(async () => {
    await t.dataSource.query('DELETE FROM audit_chain');
    await t.dataSource.query('DELETE FROM audit_events');
    for (let i = 0; i < 10; i++) await record(i);
    expect(await sealer().sealPending()).toBe(10);
    ids = (await t.dataSource.query('SELECT event_id FROM audit_chain ORDER BY seq')).map(
      (row: { event_id: string }) => row.event_id,
    );
  });

  it('an untouched chain verifies and reports its head', async () => {
    const head = (await t.dataSource.query('SELECT seq, hash FROM audit_chain ORDER BY seq DESC LIMIT 1'))[0];
    expect(await verify()).toEqual({
      ok: true,
      checked: 10,
      unsealed: 0,
      head: { seq: 10, eventId: ids[9], hash: head.hash },
    });
  });

  it('a changed payload is named', async () => {
    await t.dataSource.query(`UPDATE audit_events SET changes = '{"i":3,"name":"forged"}' WHERE id = ?`, [ids[3]]);
    expect(await verify()).toMatchObject({ ok: false, checked: 3, firstBrokenId: ids[3] });
  });

  it('a changed timestamp, actor or outcome is named', async () => {
    await t.dataSource.query('UPDATE audit_events SET occurred_at = occurred_at + INTERVAL 1 SECOND WHERE id = ?', [
      ids[7],
    ]);
    await t.dataSource.query(`UPDATE audit_events SET outcome = 'failure' WHERE id = ?`, [ids[8]]);
    expect(await verify()).toMatchObject({ ok: false, checked: 7, firstBrokenId: ids[7] });
  });

  it('a deleted event is named', async () => {
    await t.dataSource.query('DELETE FROM audit_events WHERE id = ?', [ids[5]]);
    expect(await verify()).toMatchObject({ ok: false, checked: 5, firstBrokenId: ids[5] });
  });

  it('two events with swapped contents: the first of them is named', async () => {
    await t.dataSource.query(
      `UPDATE audit_events a JOIN audit_events b ON a.id = ? AND b.id = ?
       SET a.entity_id = b.entity_id, a.changes = b.changes, b.entity_id = a.entity_id, b.changes = a.changes`,
      [ids[2], ids[6]],
    );
    const swapped = await t.dataSource.query('SELECT id, entity_id FROM audit_events WHERE id IN (?, ?) ORDER BY id', [
      ids[2],
      ids[6],
    ]);
    expect(swapped.map((row: { entity_id: string }) => row.entity_id)).toEqual(['thing-6', 'thing-2']);
    expect(await verify()).toMatchObject({ ok: false, checked: 2, firstBrokenId: ids[2] });
  });

  it('reordered links (two events swapped in the chain) are named', async () => {
    await t.dataSource.query(`UPDATE audit_chain SET event_id = 'tmp' WHERE seq = 2`);
    await t.dataSource.query('UPDATE audit_chain SET event_id = ? WHERE seq = 5', [ids[1]]);
    await t.dataSource.query('UPDATE audit_chain SET event_id = ? WHERE seq = 2', [ids[4]]);
    expect(await verify()).toMatchObject({ ok: false, checked: 1, firstBrokenId: ids[4] });
  });

  it('a link removed from the middle of the chain is detected (a gap in seq)', async () => {
    await t.dataSource.query('DELETE FROM audit_chain WHERE seq = 5');
    // The orphaned event is re-sealed at the tail by verify's seal pass, but the gap stays.
    expect(await verify()).toMatchObject({ ok: false, checked: 4, firstBrokenId: ids[5] });
  });

  it('an event and its link removed together in the middle are detected', async () => {
    await t.dataSource.query('DELETE FROM audit_chain WHERE seq = 4');
    await t.dataSource.query('DELETE FROM audit_events WHERE id = ?', [ids[3]]);
    expect(await verify()).toMatchObject({ ok: false, checked: 3, firstBrokenId: ids[4] });
  });

  it('limitation: cutting the tail (event and link) only shows against an exported head', async () => {
    const before = await verify();
    await t.dataSource.query('DELETE FROM audit_chain WHERE seq = 10');
    await t.dataSource.query('DELETE FROM audit_events WHERE id = ?', [ids[9]]);
    const after = await verify();
    expect(after.ok).toBe(true);
    expect(after.head.seq).toBe(9);
    expect(after.head.seq).toBeLessThan(before.head.seq); // compared with the head exported earlier
  });

  it('an event committed late with an older id is sealed later, in discovery order', async () => {
    // A transaction that records first and commits last (held open on a gate).
    let recorded!: () => void;
    let commit!: () => void;
    const slowRecorded = new Promise<void>((resolve) => (recorded = resolve));
    const gate = new Promise<void>((resolve) => (commit = resolve));
    const slow = t.app.get(TransactionService).run(async (manager) => {
      await t.app.get(AuditService).record(manager, {
        action: 'tamper.slow',
        entityType: 'thing',
        entityId: 'slow',
      });
      recorded();
      await gate;
    });
    try {
      await slowRecorded;
      await new Promise((resolve) => setTimeout(resolve, 5));
      await record(100); // a newer id commits first
      expect(await sealer().sealPending()).toBe(1);
    } finally {
      commit();
      await slow;
    }
    expect(await sealer().sealPending()).toBe(1);
    const tail = await t.dataSource.query(
      `SELECT c.seq, e.entity_id, e.id FROM audit_chain c JOIN audit_events e ON e.id = c.event_id
       WHERE c.seq > 10 ORDER BY c.seq`,
    );
    expect(tail.map((row: { entity_id: string }) => row.entity_id)).toEqual(['thing-100', 'slow']);
    expect(tail[1].id < tail[0].id).toBe(true); // the older id got the later seq
    expect(await verify()).toMatchObject({ ok: true, checked: 12 });
  });
});
