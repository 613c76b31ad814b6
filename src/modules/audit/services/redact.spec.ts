import { describe, expect, it } from '@jest/globals';
import { diffChanges, REDACTED, redact } from './redact.js';

describe('redact', () => {
  it('blanks secret-looking fields at any depth and keeps the rest', () => {
    expect(
      redact({
        email: 'a@b.c',
        password: 'x',
        nested: { refreshToken: 't', passwordHash: 'h', name: 'n' },
        list: [{ apiKey: 'k' }],
      }),
    ).toEqual({
      email: 'a@b.c',
      password: REDACTED,
      nested: { refreshToken: REDACTED, passwordHash: REDACTED, name: 'n' },
      list: [{ apiKey: REDACTED }],
    });
  });

  it('diffs only changed fields', () => {
    expect(diffChanges({ a: 1, b: 2, c: [1] }, { a: 1, b: 3, c: [1, 2] })).toEqual({
      b: { from: 2, to: 3 },
      c: { from: [1], to: [1, 2] },
    });
  });
});
