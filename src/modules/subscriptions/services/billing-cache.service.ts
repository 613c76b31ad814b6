import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { AppCacheService } from '../../../infrastructure/cache/app-cache.service.js';
import { SubscriptionCacheKeys } from '../subscriptions.cache-keys.js';

/** A second delete shortly after the first closes the window where a reader that loaded before the commit re-fills stale data. */
const SECOND_DELETE_MS = 500;

/**
 * Invalidation of the module's cached reads, called by writers AFTER their transaction commits.
 * Redis is shared, so a delete here is seen by every instance.
 */
@Injectable()
export class BillingCacheService {
  constructor(
    private readonly cache: AppCacheService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get ttlMs(): number {
    return this.config.billing.cacheTtlMs;
  }

  async subscriptionsChanged(userIds: Iterable<string>): Promise<void> {
    const keys = [...new Set(userIds)].map(SubscriptionCacheKeys.entitlements);
    const drop = () => this.cache.del(...keys, SubscriptionCacheKeys.summary());
    await drop();
    setTimeout(() => void drop(), SECOND_DELETE_MS).unref();
  }

  async planChanged(planId: string): Promise<void> {
    const drop = async () => {
      await this.cache.invalidateTags(SubscriptionCacheKeys.planTag(planId));
      await this.cache.del(SubscriptionCacheKeys.summary());
    };
    await drop();
    setTimeout(() => void drop(), SECOND_DELETE_MS).unref();
  }
}
