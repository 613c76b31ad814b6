import { Inject, Injectable, Logger } from '@nestjs/common';
import { newId } from '../../../common/ids.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { AppCacheService } from '../../../infrastructure/cache/app-cache.service.js';
import { InvalidationBus } from '../../../infrastructure/cache/invalidation-bus.service.js';
import type { NearCache } from '../../../infrastructure/cache/near-cache.js';
import { REDIS_CLIENT, type RedisClient } from '../../../infrastructure/cache/redis-client.js';
import { withTimeout } from '../../../infrastructure/cache/with-timeout.js';
import type { EntitlementsResponse } from '../dto/subscription.dto.js';
import { SubscriptionRepository } from '../repositories/subscription.repository.js';
import { SubscriptionCacheKeys } from '../subscriptions.cache-keys.js';

const BUS_CHUNK = 1_000;
/** Invalidation happens after commit; give it longer than a read gets before it is a miss. */
const INVALIDATE_TIMEOUT_MS = 1_000;
/** A generation outlives every value stored under it. */
const GENERATION_TTL_MS = 24 * 3_600_000;

/**
 * The module's caches and their invalidation, with generation tokens (the scheme inventory's catalogue
 * uses): values live under keys that include a per-user (entitlements) or global (summary) generation.
 * A writer, AFTER its commit, replaces the generations: readers move to new keys at once, and a reader
 * that loaded before the commit stores its old answer under the old generation, where nobody reads it
 * again. (Deleting twice, 500 ms apart, left a window for exactly that stale store.) Entitlements also
 * have an in-process near cache, dropped on every instance through the InvalidationBus; its tickets
 * stop a load that raced an invalidation from being kept. Redis unreachable: reads go to MySQL.
 */
@Injectable()
export class BillingCacheService {
  private readonly logger = new Logger(BillingCacheService.name);
  readonly nearEntitlements: NearCache<EntitlementsResponse>;

  constructor(
    private readonly cache: AppCacheService,
    private readonly bus: InvalidationBus,
    private readonly subscriptions: SubscriptionRepository,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.nearEntitlements = bus.create<EntitlementsResponse>(SubscriptionCacheKeys.nearEntitlements());
  }

  get ttlMs(): number {
    return this.config.billing.cacheTtlMs;
  }

  /** The Redis key of a user's entitlements now, or undefined: load from MySQL and store nothing. */
  async entitlementsKey(userId: string): Promise<string | undefined> {
    const generation = await this.generation(SubscriptionCacheKeys.entitlementsGeneration(userId));
    return generation === undefined ? undefined : SubscriptionCacheKeys.entitlements(userId, generation);
  }

  async summaryKey(): Promise<string | undefined> {
    const generation = await this.generation(SubscriptionCacheKeys.summaryGeneration());
    return generation === undefined ? undefined : SubscriptionCacheKeys.summary(generation);
  }

  /** After commit: these users' entitlements and the summary are new everywhere. */
  async subscriptionsChanged(userIds: Iterable<string>): Promise<void> {
    const users = [...new Set(userIds)];
    await this.bump([
      ...users.map(SubscriptionCacheKeys.entitlementsGeneration),
      SubscriptionCacheKeys.summaryGeneration(),
    ]);
    await this.dropNear(users);
  }

  /** After a plan commit: its catalogue pages, the summary, and its live subscribers' entitlements. */
  async planChanged(planId: string): Promise<void> {
    await this.cache.invalidateTags(SubscriptionCacheKeys.planTag(planId), SubscriptionCacheKeys.plansTag());
    const users = await this.subscriptions.liveUserIdsOfPlan(planId);
    await this.bump([
      ...users.map(SubscriptionCacheKeys.entitlementsGeneration),
      SubscriptionCacheKeys.summaryGeneration(),
    ]);
    await this.dropNear(users);
  }

  /**
   * The current generation token, or undefined when Redis is unreachable or it is missing (a missing
   * one is started for the next reader: this reader's load may predate it).
   */
  private async generation(key: string): Promise<string | undefined> {
    if (!this.cache.enabled) return undefined;
    const fullKey = this.fullKey(key);
    try {
      const value = await withTimeout(this.redis.get(fullKey), this.config.redis.timeoutMs);
      if (typeof value === 'string') return value;
      void withTimeout(
        this.redis.set(fullKey, newId(), { condition: 'NX', expiration: { type: 'PX', value: GENERATION_TTL_MS } }),
        INVALIDATE_TIMEOUT_MS,
      ).catch(() => undefined);
      return undefined;
    } catch {
      return undefined;
    }
  }

  private async bump(keys: string[]): Promise<void> {
    if (!this.cache.enabled || keys.length === 0) return;
    try {
      const multi = this.redis.multi();
      for (const key of keys) {
        multi.set(this.fullKey(key), newId(), { expiration: { type: 'PX', value: GENERATION_TTL_MS } });
      }
      await withTimeout(multi.exec(), INVALIDATE_TIMEOUT_MS);
    } catch (error) {
      // Bounded staleness: cached values expire within ENTITLEMENTS_CACHE_TTL_MS.
      this.logger.warn(`could not invalidate billing caches (${(error as Error).message})`);
    }
  }

  private async dropNear(userIds: string[]): Promise<void> {
    for (let i = 0; i < userIds.length; i += BUS_CHUNK) {
      await this.bus.invalidate(SubscriptionCacheKeys.nearEntitlements(), userIds.slice(i, i + BUS_CHUNK));
    }
  }

  private fullKey(key: string): string {
    return `${this.config.redis.keyPrefix}${key}`;
  }
}
