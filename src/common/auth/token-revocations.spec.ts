import { describe, expect, it } from '@jest/globals';
import { revokedBy, type RevocationState } from './token-revocations.js';

const state = (overrides: Partial<RevocationState> = {}): RevocationState => ({
  exists: true,
  validAfterMs: 0,
  revokedSessions: new Set(),
  ...overrides,
});

describe(revokedBy.name, () => {
  const actor = { id: 'u1', roles: ['customer'], sessionId: 's1', issuedAtMs: 1_000 };

  it('accepts a token of a live session issued after the last invalidation', () => {
    expect(revokedBy(state({ validAfterMs: 999 }), actor)).toBe(false);
  });

  it('refuses a token of a revoked session, one issued before an invalidation, and any of a deleted user', () => {
    expect(revokedBy(state({ revokedSessions: new Set(['s1']) }), actor)).toBe(true);
    expect(revokedBy(state({ validAfterMs: 1_001 }), actor)).toBe(true);
    expect(revokedBy(state({ exists: false }), actor)).toBe(true);
  });

  it('counts a token without an issue time as the oldest possible', () => {
    expect(revokedBy(state({ validAfterMs: 1 }), { id: 'u1', roles: [] })).toBe(true);
    expect(revokedBy(state(), { id: 'u1', roles: [] })).toBe(false);
  });
});
