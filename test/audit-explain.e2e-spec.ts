import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { v7 } from 'uuid';
import {
  chainBatchQuery,
  SEALED_AFTER_SQL,
  unsealedEventsQuery,
} from '../src/modules/audit/repositories/audit-chain.repository.js';
import { listEventsQuery } from '../src/modules/audit/repositories/audit-event.repository.js';
import { AuditSealerService } from '../src/modules/audit/services/audit-sealer.service.js';
import { AuditVerifierService } from '../src/modules/audit/services/audit-verifier.service.js';
import { idLowerBound } from '../src/modules/audit/services/event-time.js';
import { expectIndexed } from './support/explain.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const EVENTS = 50_000;
const BATCH = 5_000;
const START = Date.UTC(2025, 0, 1);
const STEP_MS = 60_000; // one event a minute: ~35 days of history

const actorOf = (i: number) => `01900000-0000-7000-8000-${String(i % 50).padStart(12, '0')}`;
const actionOf = (i: number) => `action.v${i % 20}`;
const typeOf = (i: number) => `type${i % 5}`;
const entityOf = (i: number) => `entity-${i % 5_000}`;

/** Every query shape the audit module issues must be served by an index on a realistically sized table. */
describe('audit queries use indexes (EXPLAIN, 50,000 events)', () => {
  let t: TestApp;
  let ids: string[];

  beforeAll(async () => {
    t = await startTestApp('audit-explain');
    ids = [];
    for (let start = 0; start < EVENTS; start += BATCH) {
      const values: unknown[] = [];
      for (let i = start; i < start + BATCH; i++) {
        const ms = START + i * STEP_MS;
        const id = v7({ msecs: ms });
        ids.push(id);
        values.push([
          id,
          new Date(ms),
          actorOf(i),
          actionOf(i),
          typeOf(i),
          entityOf(i),
          `req-${i}`,
          '10.0.0.1',
          'success',
          `{"i":${i}}`,
        ]);
      }
      await t.dataSource.query(
        'INSERT INTO audit_events (id, occurred_at, actor_id, action, entity_type, entity_id, request_id, ip, outcome, changes) VALUES ?',
        [values],
      );
    }
    await t.dataSource.query('ANALYZE TABLE audit_events');
  }, 60_000);
  afterAll(() => t.close());

  const mid = () => ids[EVENTS / 2];

  it('seals the 50,000 events and verifies them in batches', async () => {
    const sealStart = Date.now();
    expect(await t.app.get(AuditSealerService).sealPending({ full: true })).toBe(EVENTS);
    const sealMs = Date.now() - sealStart;
    await t.dataSource.query('ANALYZE TABLE audit_chain');
    const verifyStart = Date.now();
    const result = await t.app.get(AuditVerifierService).verify();
    const verifyMs = Date.now() - verifyStart;
    expect(result).toMatchObject({ ok: true, checked: EVENTS, unsealed: 0 });
    process.stdout.write(`audit: sealed ${EVENTS} in ${sealMs} ms, verified in ${verifyMs} ms\n`);
  });

  describe('list (newest first, keyset)', () => {
    const from = START + 10_000 * STEP_MS;
    const to = START + 20_000 * STEP_MS;
    const shapes: [string, Parameters<typeof listEventsQuery>[0], string | RegExp][] = [
      ['no filter', {}, 'PRIMARY'],
      ['actorId', { actorId: actorOf(7) }, 'idx_audit_events_actor'],
      ['action', { action: actionOf(3) }, 'idx_audit_events_action'],
      ['entityType', { entityType: typeOf(2) }, 'idx_audit_events_entity_type'],
      ['entityId', { entityId: entityOf(42) }, 'idx_audit_events_entity_id'],
      ['entityType + entityId', { entityType: typeOf(2), entityId: entityOf(42) }, 'idx_audit_events_entity_id'],
      ['from', { minId: idLowerBound(from) }, 'PRIMARY'],
      ['to', { maxIdExclusive: idLowerBound(to) }, 'PRIMARY'],
      ['from + to', { minId: idLowerBound(from), maxIdExclusive: idLowerBound(to) }, 'PRIMARY'],
      [
        'actorId + from + to',
        { actorId: actorOf(7), minId: idLowerBound(from), maxIdExclusive: idLowerBound(to) },
        'idx_audit_events_actor',
      ],
      ['action + entityType', { action: actionOf(3), entityType: typeOf(3) }, 'idx_audit_events_action'],
      [
        'all filters',
        {
          actorId: actorOf(7),
          action: actionOf(7),
          entityType: typeOf(7),
          entityId: entityOf(7),
          minId: idLowerBound(START),
          maxIdExclusive: idLowerBound(to),
        },
        'idx_audit_events_entity_id',
      ],
    ];

    for (const [name, filter, key] of shapes) {
      it(`${name}: first page and cursor continuation`, async () => {
        for (const withCursor of [false, true]) {
          const { sql, params } = listEventsQuery(withCursor ? { ...filter, beforeId: mid() } : filter, 21);
          await expectIndexed(t.dataSource, sql, params, { keys: { e: key }, noFilesort: true });
        }
      });
    }
  });

  it('verify: one batch of links joined with their events', async () => {
    const { sql, params } = chainBatchQuery(25_000, 1_000);
    await expectIndexed(t.dataSource, sql, params, { keys: { c: 'PRIMARY', e: 'PRIMARY' }, noFilesort: true });
  });

  it('feed: sealed events after a seq (the webhook relay), links joined with their events', async () => {
    await expectIndexed(t.dataSource, SEALED_AFTER_SQL, [25_000, 500], {
      keys: { c: 'PRIMARY', e: 'PRIMARY' },
      noFilesort: true,
    });
  });

  it('sealer: unsealed events in the recent window, and the keyset continuation of a full pass', async () => {
    const window = unsealedEventsQuery(undefined, idLowerBound(START + 49_000 * STEP_MS), 1_000);
    await expectIndexed(t.dataSource, window.sql, window.params, {
      keys: { e: 'PRIMARY', c: 'uq_audit_chain_event' },
      noFilesort: true,
    });
    const continued = unsealedEventsQuery(mid(), undefined, 1_000);
    await expectIndexed(t.dataSource, continued.sql, continued.params, {
      keys: { e: 'PRIMARY', c: 'uq_audit_chain_event' },
      noFilesort: true,
    });
  });

  it('the helper itself rejects a full table scan', async () => {
    await expect(
      expectIndexed(t.dataSource, 'SELECT * FROM audit_events WHERE changes LIKE ?', ['%"i":1}%']),
    ).rejects.toThrow(/full table scan/);
  });
});
