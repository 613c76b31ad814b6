// Seeding for the audit measurements (audit-seal, audit-verify): both time a pass over many unsealed
// events, so both need the same rows, written the fast way (multi-row INSERT, not AuditService.record).
import { v7 } from 'uuid';

const PER_INSERT = 5_000;

/**
 * Inserts `count` unsealed audit events, one per millisecond ending now (ids are UUIDv7 of their time,
 * so the sealer's id order is their time order), with 100 actors, 1,000 entities and a small `changes`.
 */
export async function seedUnsealedEvents(ds, count) {
  const start0 = Date.now() - count;
  for (let offset = 0; offset < count; offset += PER_INSERT) {
    const rows = [];
    for (let i = offset; i < Math.min(offset + PER_INSERT, count); i++) {
      const ms = start0 + i;
      rows.push([
        v7({ msecs: ms }),
        new Date(ms),
        `01900000-0000-7000-8000-${String(i % 100).padStart(12, '0')}`,
        'bench.event',
        'bench',
        `entity-${i % 1000}`,
        `req-${i}`,
        '10.0.0.1',
        'success',
        JSON.stringify({ name: { from: `old ${i}`, to: `new ${i}` }, quantity: i % 17 }),
      ]);
    }
    await ds.query(
      'INSERT INTO audit_events (id, occurred_at, actor_id, action, entity_type, entity_id, request_id, ip, outcome, changes) VALUES ?',
      [rows],
    );
  }
}
