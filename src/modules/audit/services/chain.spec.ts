import { describe, expect, it } from '@jest/globals';
import { v7 } from 'uuid';
import { canonicalEvent, type ChainableEvent, GENESIS_HASH, linkHash } from './chain.js';
import { idLowerBound, idTimestamp } from './event-time.js';

const event: ChainableEvent = {
  id: '019a0000-0000-7000-8000-000000000001',
  occurredAt: new Date('2025-01-02T03:04:05.678Z'),
  actorId: 'system',
  action: 'product.create',
  entityType: 'product',
  entityId: 'p1',
  requestId: null,
  ip: null,
  outcome: 'success',
  changes: '{"name":"x"}',
};

describe('audit chain', () => {
  it('serialises every field in a fixed order with ISO timestamps', () => {
    expect(canonicalEvent(event)).toBe(
      '[1,"019a0000-0000-7000-8000-000000000001","2025-01-02T03:04:05.678Z","system","product.create",' +
        '"product","p1",null,null,"success","{\\"name\\":\\"x\\"}"]',
    );
  });

  it('changes the hash when any field, the position or the previous hash changes', () => {
    const base = linkHash(1, GENESIS_HASH, event);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(linkHash(1, GENESIS_HASH, { ...event })).toBe(base);
    expect(linkHash(2, GENESIS_HASH, event)).not.toBe(base);
    expect(linkHash(1, 'f'.repeat(64), event)).not.toBe(base);
    for (const [field, value] of Object.entries({
      id: '019a0000-0000-7000-8000-000000000002',
      occurredAt: new Date('2025-01-02T03:04:05.679Z'),
      actorId: null,
      action: 'product.update',
      entityType: 'plan',
      entityId: 'p2',
      requestId: 'r',
      ip: '1.2.3.4',
      outcome: 'failure',
      changes: '{"name":"y"}',
    })) {
      expect(linkHash(1, GENESIS_HASH, { ...event, [field]: value })).not.toBe(base);
    }
  });

  it('does not confuse a null with the string "null"', () => {
    expect(linkHash(1, GENESIS_HASH, { ...event, ip: 'null' })).not.toBe(linkHash(1, GENESIS_HASH, event));
  });
});

describe('event time', () => {
  it('reads the millisecond timestamp out of a UUID v7', () => {
    const ms = Date.UTC(2025, 5, 1, 12, 0, 0, 123);
    expect(idTimestamp(v7({ msecs: ms }))).toBe(ms);
  });

  it('builds a lower bound that sorts before every id of that millisecond and after earlier ones', () => {
    const ms = Date.UTC(2025, 5, 1, 12, 0, 0, 123);
    const bound = idLowerBound(ms);
    expect(idTimestamp(bound)).toBe(ms);
    for (let i = 0; i < 50; i++) {
      expect(v7({ msecs: ms }) >= bound).toBe(true);
      expect(v7({ msecs: ms - 1 }) < bound).toBe(true);
    }
  });
});
