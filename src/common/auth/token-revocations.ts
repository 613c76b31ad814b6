import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { InvalidationBus } from '../../infrastructure/cache/invalidation-bus.service.js';
import type { NearCache } from '../../infrastructure/cache/near-cache.js';
import type { AuthenticatedActor } from '../../infrastructure/http/request-context.js';

/** What decides whether a user's access tokens still hold. */
export interface RevocationState {
  /** False when the user no longer exists: every token is refused. */
  readonly exists: boolean;
  /** Tokens issued before this instant (epoch ms) are refused; 0 = none. */
  readonly validAfterMs: number;
  /** Sessions revoked recently enough that some of their access tokens may not have expired yet. */
  readonly revokedSessions: ReadonlySet<string>;
}

/** Reads a user's state from the database; `revokedSinceMs` bounds the sessions worth listing. */
export type RevocationLoader = (userId: string, revokedSinceMs: number) => Promise<RevocationState>;

const NAMESPACE = 'auth:revocations';

/**
 * "Revocation is immediate": an access token is refused once its session is revoked or its user's
 * tokens were invalidated (password change or reset, every session revoked, roles changed).
 *
 * Hot path without a round trip: each user's state is held in a near cache (in-process, per instance)
 * kept coherent through the invalidation bus (Redis pub/sub), so a warm check is one Map lookup. A
 * revoking write commits in MySQL (the source of truth), then calls `changed(userId)`: this instance
 * drops the entry at once, the others when the message arrives (milliseconds). While pub/sub is
 * down the near cache is off, and every check reads MySQL (one primary-key query): slower, never stale.
 *
 * The auth module owns the tables and plugs in the loader (`useLoader`); this layer only decides.
 */
@Injectable()
export class TokenRevocations {
  private readonly cache: NearCache<RevocationState>;
  private readonly loading = new Map<string, Promise<RevocationState>>();
  private loader?: RevocationLoader;

  constructor(
    private readonly bus: InvalidationBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.cache = bus.create<RevocationState>(NAMESPACE, 100_000);
  }

  useLoader(loader: RevocationLoader): void {
    this.loader = loader;
  }

  /** A boolean when the user's state is cached (no I/O), else a promise of it. */
  isRevoked(actor: AuthenticatedActor): boolean | Promise<boolean> {
    const known = this.cache.get(actor.id);
    if (known) return revokedBy(known, actor);
    return this.load(actor.id).then((state) => revokedBy(state, actor));
  }

  /** After a revoking transaction committed: every instance re-reads the user's state. */
  async changed(userId: string): Promise<void> {
    this.loading.delete(userId);
    await this.bus.invalidate(NAMESPACE, [userId]);
  }

  private load(userId: string): Promise<RevocationState> {
    const loader = this.loader;
    if (!loader) return Promise.resolve(NOTHING_REVOKED);
    const pending = this.loading.get(userId);
    if (pending) return pending;
    // A load that an invalidation overtakes is not cached (ticket), so it can't bring back an old state.
    const ticket = this.cache.ticket();
    const revokedSinceMs = Date.now() - this.config.auth.accessTokenTtlSeconds * 1000 - 60_000;
    const loading = loader(userId, revokedSinceMs)
      .then((state) => {
        this.cache.set(userId, state, ticket);
        return state;
      })
      .finally(() => {
        if (this.loading.get(userId) === loading) this.loading.delete(userId);
      });
    this.loading.set(userId, loading);
    return loading;
  }
}

const NOTHING_REVOKED: RevocationState = { exists: true, validAfterMs: 0, revokedSessions: new Set() };

export function revokedBy(state: RevocationState, actor: AuthenticatedActor): boolean {
  if (!state.exists) return true;
  if (actor.sessionId !== undefined && state.revokedSessions.has(actor.sessionId)) return true;
  // Tokens without their issue time (none we sign) count as issued at the start of the epoch.
  return (actor.issuedAtMs ?? 0) < state.validAfterMs;
}
