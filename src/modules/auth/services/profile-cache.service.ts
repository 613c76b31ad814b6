import { Injectable } from '@nestjs/common';
import { InvalidationBus } from '../../../infrastructure/cache/invalidation-bus.service.js';
import type { NearCache } from '../../../infrastructure/cache/near-cache.js';
import type { UserResponse } from '../dto/user.dto.js';

/** Near-cache (in-process) namespace of the profiles GET /auth/me answers with. */
const NEAR_PROFILES = 'auth.profiles';

/**
 * The profile GET /auth/me shows, kept in this process (no SQL, no Redis on a hit) and dropped on
 * every instance through the InvalidationBus when the user changes. Writers call `changed()` AFTER
 * their transaction commits (roles, name, password). A read that loaded before a change is not kept
 * (NearCache tickets); while Redis pub/sub is down the cache is off and every read goes to MySQL.
 */
@Injectable()
export class ProfileCache {
  private readonly near: NearCache<UserResponse>;
  private readonly loading = new Map<string, Promise<UserResponse | undefined>>();

  constructor(private readonly bus: InvalidationBus) {
    this.near = bus.create<UserResponse>(NEAR_PROFILES);
  }

  /** The cached profile, or undefined: synchronous, so a hit costs no promise. */
  cached(userId: string): UserResponse | undefined {
    return this.near.get(userId);
  }

  /** Loads on a miss; concurrent misses for one user in this process share one load (one SQL statement). */
  load(userId: string, load: () => Promise<UserResponse | undefined>): Promise<UserResponse | undefined> {
    let loading = this.loading.get(userId);
    if (!loading) {
      // Taken before reading: an invalidation arriving meanwhile stops this (possibly old) value being kept.
      const ticket = this.near.ticket();
      loading = load()
        .then((profile) => {
          if (profile) this.near.set(userId, profile, ticket);
          return profile;
        })
        .finally(() => {
          if (this.loading.get(userId) === loading) this.loading.delete(userId);
        });
      this.loading.set(userId, loading);
    }
    return loading;
  }

  /** After commit: the user's profile is dropped here at once and on every other instance. */
  changed(userId: string): Promise<void> {
    // A load already on its way may have read the old row: later readers must not join it.
    this.loading.delete(userId);
    return this.bus.invalidate(NEAR_PROFILES, [userId]);
  }
}
