import { describe, expect, it } from '@jest/globals';
import { revokedBy } from './token-revocations.js';

describe(revokedBy.name, () => {
  const actor = { id: 'u1', roles: ['customer'], sessionId: 's1', issuedAtMs: 1_000 };

  it('accepts a token of a live session issued after the last invalidation', () => {
    expect(revokedBy({ validAfterMs: 999, sessionRevoked: false }, actor)).toBe(false);
  });

  it('refuses a token of a revoked session, and one issued before an invalidation', () => {
    expect(revokedBy({ validAfterMs: 0, sessionRevoked: true }, actor)).toBe(true);
    expect(revokedBy({ validAfterMs: 1_001, sessionRevoked: false }, actor)).toBe(true);
  });

  it('counts a token without an issue time as the oldest possible', () => {
    expect(revokedBy({ validAfterMs: 1, sessionRevoked: false }, { id: 'u1', roles: [] })).toBe(true);
    expect(revokedBy({ validAfterMs: 0, sessionRevoked: false }, { id: 'u1', roles: [] })).toBe(false);
  });
});
