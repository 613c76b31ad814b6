import { describe, expect, it } from '@jest/globals';
import type { SealedAuditEvent } from '../../audit/index.js';
import { outboxRows } from './outbox-relay.service.js';

function sealed(seq: number, action: string, outcome: 'success' | 'failure' = 'success'): SealedAuditEvent {
  return {
    seq,
    id: `0190a000-0000-7000-8000-00000000000${seq}`,
    action,
    occurredAt: new Date(Date.UTC(2026, 11, 2, 6, 0, seq)),
    actorId: 'u1',
    entityType: 'product',
    entityId: `p${seq}`,
    outcome,
    changes: { name: { from: 'a', to: 'b' } },
  };
}

const ALL = { id: 'e-all', events: ['*'] };
const CREATES = { id: 'e-create', events: ['product.create'] };

describe('outboxRows', () => {
  it('one row per wanted successful event, in feed order, with the endpoints that want it', () => {
    const rows = outboxRows([sealed(1, 'product.create'), sealed(2, 'product.update')], [ALL, CREATES]);
    expect(rows.map((row) => [row.id, row.type, row.endpointIds])).toEqual([
      [sealed(1, '').id, 'product.create', ['e-all', 'e-create']],
      [sealed(2, '').id, 'product.update', ['e-all']],
    ]);
  });

  it('the body is the webhook as sent: the audit event id, its type, time and data, in the clear', () => {
    const [row] = outboxRows([sealed(3, 'product.update')], [ALL]);
    expect(row.bodyCiphertext).toBeNull();
    expect(row.occurredAt).toEqual(new Date('2026-12-02T06:00:03.000Z'));
    expect(JSON.parse(String(row.body))).toEqual({
      id: sealed(3, '').id,
      type: 'product.update',
      occurredAt: '2026-12-02T06:00:03.000Z',
      data: { entityType: 'product', entityId: 'p3', actorId: 'u1', changes: { name: { from: 'a', to: 'b' } } },
    });
  });

  it('nothing for a failed attempt or an event no endpoint wants', () => {
    expect(outboxRows([sealed(4, 'product.create', 'failure')], [ALL])).toEqual([]);
    expect(outboxRows([sealed(5, 'product.update')], [CREATES])).toEqual([]);
    expect(outboxRows([sealed(6, 'product.update')], [])).toEqual([]);
  });
});
