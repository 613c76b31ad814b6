import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { AppCacheService } from '../../../infrastructure/cache/app-cache.service.js';
import { InvalidationBus } from '../../../infrastructure/cache/invalidation-bus.service.js';
import type { NearCache } from '../../../infrastructure/cache/near-cache.js';
import type { EntitlementsResponse } from '../dto/subscription.dto.js';
import { SubscriptionRepository } from '../repositories/subscription.repository.js';
import { SubscriptionCacheKeys } from '../subscriptions.cache-keys.js';

/** A second drop shortly after the first closes the window where a reader that loaded before the commit re-fills stale data. */
const SECOND_DROP_MS = 500;
const BUS_CHUNK = 1_000;

/**
 * The module's caches and their invalidation. Writers call it AFTER their transaction commits.
 * Entitlements live in two levels: an in-process near cache (per user, dropped on every instance
 * through the InvalidationBus) in front of Redis (per user, tagged by plan). The billing summary is
 * in Redis only. Redis is shared, so a delete there is seen by every instance.
 */
@Injectable()
export class BillingCacheService {
  readonly nearEntitlements: NearCache<EntitlementsResponse>;

  constructor(
    private readonly cache: AppCacheService,
    private readonly bus: InvalidationBus,
    private readonly subscriptions: SubscriptionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.nearEntitlements = bus.create<EntitlementsResponse>(SubscriptionCacheKeys.nearEntitlements());
  }

  get ttlMs(): number {
    return this.config.billing.cacheTtlMs;
  }

  async subscriptionsChanged(userIds: Iterable<string>): Promise<void> {
    const users = [...new Set(userIds)];
    const drop = async () => {
      await this.cache.del(...users.map(SubscriptionCacheKeys.entitlements), SubscriptionCacheKeys.summary());
      await this.dropNear(users);
    };
    await drop();
    setTimeout(() => void drop(), SECOND_DROP_MS).unref();
  }

  async planChanged(planId: string): Promise<void> {
    const drop = async () => {
      await this.cache.invalidateTags(SubscriptionCacheKeys.planTag(planId), SubscriptionCacheKeys.plansTag());
      await this.cache.del(SubscriptionCacheKeys.summary());
      await this.dropNear(await this.subscriptions.liveUserIdsOfPlan(planId));
    };
    await drop();
    setTimeout(() => void drop().catch(() => undefined), SECOND_DROP_MS).unref();
  }

  private async dropNear(userIds: string[]): Promise<void> {
    for (let i = 0; i < userIds.length; i += BUS_CHUNK) {
      await this.bus.invalidate(SubscriptionCacheKeys.nearEntitlements(), userIds.slice(i, i + BUS_CHUNK));
    }
  }
}
