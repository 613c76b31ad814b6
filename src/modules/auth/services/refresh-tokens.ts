import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Pure refresh-token logic (no I/O), unit-tested on its own.
 *
 * A family starts with a random 256-bit token. Each rotation's successor is HMAC-SHA256(key, token):
 * as unpredictable as a random token to anyone without the server key, and recomputable from the
 * presented token, which is what lets the optional reuse interval answer a client's concurrent double
 * refresh with the same new pair although only hashes are stored.
 */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored: SHA-256 of the token, hex. The token itself never touches the database. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function successorToken(rotationKey: Buffer, token: string): string {
  return createHmac('sha256', rotationKey).update(token, 'utf8').digest('base64url');
}

/** The rotation key, derived from the JWT secret (domain-separated, so neither can stand in for the other). */
export function rotationKeyFrom(secret: string): Buffer {
  return createHmac('sha256', secret).update('mainspring/refresh-rotation/v1').digest();
}

export interface SessionTimes {
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date;
  readonly expiresAt: Date;
}

export type SessionState = 'active' | 'revoked' | 'idle' | 'expired';

/** Revoked beats expired beats idle; only `active` sessions may rotate or be listed. */
export function sessionState(session: SessionTimes, now: Date, idleTimeoutSeconds: number): SessionState {
  if (session.revokedAt !== null) return 'revoked';
  if (session.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (session.lastUsedAt.getTime() + idleTimeoutSeconds * 1000 <= now.getTime()) return 'idle';
  return 'active';
}

/** A rotated token dies at the idle timeout if unused, and never outlives its session. */
export function tokenExpiry(now: Date, sessionExpiresAt: Date, idleTimeoutSeconds: number): Date {
  return new Date(Math.min(now.getTime() + idleTimeoutSeconds * 1000, sessionExpiresAt.getTime()));
}

/**
 * A consumed token presented again: within the reuse interval (0 = off) it may be a client's own
 * concurrent retry, answered with the successor pair; otherwise it is reuse and the family dies.
 */
export function withinReuseInterval(consumedAt: Date, now: Date, reuseIntervalSeconds: number): boolean {
  return reuseIntervalSeconds > 0 && now.getTime() - consumedAt.getTime() <= reuseIntervalSeconds * 1000;
}
