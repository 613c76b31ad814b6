import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import type { AuthenticatedActor } from '../../infrastructure/http/request-context.js';
import { serviceUnavailable } from '../errors/domain-error.js';

/** Revocations recorded since some instant, as the auth module's tables hold them. */
export interface RevocationChanges {
  /** Users whose access tokens issued before `validAfterMs` are refused. */
  readonly users: readonly { userId: string; validAfterMs: number }[];
  /** Revoked sessions (their access tokens are refused). */
  readonly sessions: readonly { sessionId: string; revokedAtMs: number }[];
}

/** Reads the revocations recorded at or after `since` (the auth module plugs it in). */
export type RevocationFeed = (since: Date) => Promise<RevocationChanges>;

/** How often every instance reads new revocations: the bound on how long another instance lags (contract: 2 s). */
export const REVOCATION_SYNC_MS = 1_000;
/** Each read looks back this much further than the previous one began (a transaction that committed late). */
const OVERLAP_MS = 30_000;
/** Without a successful read for this long, a check reads first (fails closed: 503 while MySQL is down). */
const STALE_MS = 3_000;

/**
 * "Revocation is immediate": an access token is refused once its session is revoked or its user's tokens
 * were invalidated (password change or reset, every session revoked, roles changed).
 *
 * Hot path without a round trip: every instance holds in memory every revocation recent enough to
 * matter (within the access-token lifetime: older tokens have expired anyway), so a check is two Map
 * lookups. MySQL is the source of truth (the revoking transaction writes it); each instance reads what
 * changed every second (two indexed range queries per instance, not per user or request), and the
 * instance that revoked reads at once (`changed()`). Redis plays no part, so a Redis outage changes
 * nothing; a MySQL outage makes checks fail closed (503) once the state is older than 3 s.
 */
@Injectable()
export class TokenRevocations implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TokenRevocations.name);
  private readonly validAfter = new Map<string, number>();
  private readonly revokedSessions = new Map<string, number>();
  private feed?: RevocationFeed;
  /** When the last successful read began (what it saw is complete up to then). */
  private syncedAt = 0;
  private syncing?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private failing = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  useFeed(feed: RevocationFeed): void {
    this.feed = feed;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.feed) return;
    await this.sync().catch(() => undefined);
    this.timer = setInterval(() => void this.sync().catch(() => undefined), REVOCATION_SYNC_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** A boolean from memory (no I/O) while the state is fresh; a promise when it must be read first. */
  isRevoked(actor: AuthenticatedActor): boolean | Promise<boolean> {
    if (!this.feed || Date.now() - this.syncedAt < STALE_MS) return this.decide(actor);
    return this.sync().then(
      () => this.decide(actor),
      () => {
        throw serviceUnavailable();
      },
    );
  }

  /** After a revoking transaction committed: this instance reads it at once (the others within a second). */
  async changed(): Promise<void> {
    await this.sync().catch(() => undefined);
  }

  private decide(actor: AuthenticatedActor): boolean {
    return revokedBy(
      {
        validAfterMs: this.validAfter.get(actor.id) ?? 0,
        sessionRevoked: this.revokedSessions.has(actor.sessionId ?? ''),
      },
      actor,
    );
  }

  /** One read at a time; a caller arriving during a read waits for the next one (it may have missed its change). */
  private sync(): Promise<void> {
    const pending = this.syncing;
    const next = (pending ?? Promise.resolve()).catch(() => undefined).then(() => this.read());
    const tracked = next.finally(() => {
      if (this.syncing === tracked) this.syncing = undefined;
    });
    this.syncing = tracked;
    return tracked;
  }

  private async read(): Promise<void> {
    const feed = this.feed;
    if (!feed) return;
    const startedAt = Date.now();
    const horizonMs = this.config.auth.accessTokenTtlSeconds * 1000 + 60_000;
    const since = this.syncedAt === 0 ? startedAt - horizonMs : this.syncedAt - OVERLAP_MS;
    try {
      const changes = await feed(new Date(since));
      for (const { userId, validAfterMs } of changes.users) {
        if (validAfterMs > (this.validAfter.get(userId) ?? 0)) this.validAfter.set(userId, validAfterMs);
      }
      for (const { sessionId, revokedAtMs } of changes.sessions) this.revokedSessions.set(sessionId, revokedAtMs);
      this.prune(startedAt - horizonMs);
      this.syncedAt = startedAt;
      if (this.failing) this.logger.log('revocations are read again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn(`could not read revocations (${(error as Error).message})`);
      this.failing = true;
      throw error;
    }
  }

  /** Entries older than any unexpired access token can go. */
  private prune(beforeMs: number): void {
    for (const [key, at] of this.validAfter) if (at < beforeMs) this.validAfter.delete(key);
    for (const [key, at] of this.revokedSessions) if (at < beforeMs) this.revokedSessions.delete(key);
  }
}

export function revokedBy(
  state: { validAfterMs: number; sessionRevoked: boolean },
  actor: AuthenticatedActor,
): boolean {
  if (state.sessionRevoked) return true;
  // Tokens without their issue time (none we sign) count as issued at the start of the epoch.
  return (actor.issuedAtMs ?? 0) < state.validAfterMs;
}
