import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../errors/domain-error.js';
import { decodeCursor, encodeCursor, toPage } from './pagination.js';

describe('keyset pagination', () => {
  it('round-trips a cursor', () => {
    expect(decodeCursor(encodeCursor(['2026-01-01', 'abc', 3]), 3)).toEqual(['2026-01-01', 'abc', 3]);
  });

  it.each(['not-base64-json', encodeCursor(['a']), Buffer.from('{"a":1}').toString('base64url')])(
    'rejects a malformed cursor %p with a 400',
    (cursor) => {
      expect(() => decodeCursor(cursor, 2)).toThrow(DomainError);
    },
  );

  it('builds a page and a next cursor only when more rows exist', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const page = toPage(
      rows,
      2,
      (row) => [row.id],
      (row) => row.id,
    );
    expect(page.data).toEqual(['a', 'b']);
    expect(decodeCursor(page.nextCursor!, 1)).toEqual(['b']);
    expect(
      toPage(
        rows.slice(0, 2),
        2,
        (row) => [row.id],
        (row) => row.id,
      ).nextCursor,
    ).toBeNull();
  });
});
