import { describe, expect, it } from '@jest/globals';
import {
  hashRefreshToken,
  newRefreshToken,
  rotationKeyFrom,
  sessionState,
  successorToken,
  tokenExpiry,
  withinReuseInterval,
} from './refresh-tokens.js';

const at = (iso: string) => new Date(iso);

describe('refresh tokens', () => {
  it('are 256-bit random, base64url, never repeating', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newRefreshToken()));
    expect(tokens.size).toBe(1000);
    for (const token of [...tokens].slice(0, 10)) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });

  it('are stored as SHA-256 hex, never as themselves', () => {
    const token = newRefreshToken();
    const hash = hashRefreshToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
    expect(hashRefreshToken(token)).toBe(hash);
    expect(hashRefreshToken(`${token}x`)).not.toBe(hash);
  });

  it('rotate to a successor that only the server key can compute', () => {
    const key = rotationKeyFrom('a'.repeat(32));
    const token = newRefreshToken();
    const next = successorToken(key, token);
    expect(next).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(successorToken(key, token)).toBe(next);
    expect(successorToken(rotationKeyFrom('b'.repeat(32)), token)).not.toBe(next);
    expect(successorToken(key, next)).not.toBe(next);
    expect(rotationKeyFrom('a'.repeat(32)).toString('hex')).not.toContain(Buffer.from('a'.repeat(32)).toString('hex'));
  });
});

describe('sessionState', () => {
  const base = { revokedAt: null, lastUsedAt: at('2026-01-01T00:00:00Z'), expiresAt: at('2026-01-31T00:00:00Z') };
  const idle = 7 * 86_400;

  it('is active inside both the idle timeout and the absolute lifetime', () => {
    expect(sessionState(base, at('2026-01-07T23:59:59Z'), idle)).toBe('active');
  });

  it('goes idle after the idle timeout without use', () => {
    expect(sessionState(base, at('2026-01-08T00:00:00Z'), idle)).toBe('idle');
  });

  it('expires at its absolute end even when used recently', () => {
    const used = { ...base, lastUsedAt: at('2026-01-30T23:00:00Z') };
    expect(sessionState(used, at('2026-01-31T00:00:00Z'), idle)).toBe('expired');
  });

  it('revoked wins over everything', () => {
    expect(sessionState({ ...base, revokedAt: at('2026-01-02T00:00:00Z') }, at('2026-01-03T00:00:00Z'), idle)).toBe(
      'revoked',
    );
  });
});

describe('tokenExpiry', () => {
  it('is the idle timeout from now, capped by the session end', () => {
    const now = at('2026-01-01T00:00:00Z');
    expect(tokenExpiry(now, at('2026-02-01T00:00:00Z'), 3600)).toEqual(at('2026-01-01T01:00:00Z'));
    expect(tokenExpiry(now, at('2026-01-01T00:30:00Z'), 3600)).toEqual(at('2026-01-01T00:30:00Z'));
  });
});

describe('withinReuseInterval', () => {
  const consumed = at('2026-01-01T00:00:00Z');

  it('is off at 0: every second use is reuse', () => {
    expect(withinReuseInterval(consumed, consumed, 0)).toBe(false);
  });

  it('accepts a retry inside the interval and refuses one after it', () => {
    expect(withinReuseInterval(consumed, at('2026-01-01T00:00:05Z'), 5)).toBe(true);
    expect(withinReuseInterval(consumed, at('2026-01-01T00:00:05.001Z'), 5)).toBe(false);
  });
});
