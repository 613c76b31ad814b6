import { Injectable } from '@nestjs/common';
import { AppCacheService } from '../../../infrastructure/cache/app-cache.service.js';
import type { EntitlementsResponse } from '../dto/subscription.dto.js';
import { SubscriptionRepository } from '../repositories/subscription.repository.js';
import { SubscriptionCacheKeys } from '../subscriptions.cache-keys.js';
import { BillingCacheService } from './billing-cache.service.js';

/**
 * The hottest read: the features of a user's live subscriptions. Served from Redis (no SQL when
 * warm); a miss runs one indexed query and caches the answer per user, tagged with the plans it came
 * from. Writers drop the user's key (and, for a plan change, the plan's tag) after they commit.
 */
@Injectable()
export class EntitlementService {
  /** Concurrent misses for one user in this process share one query. */
  private readonly loading = new Map<string, Promise<EntitlementsResponse>>();

  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly cache: AppCacheService,
    private readonly billingCache: BillingCacheService,
  ) {}

  async forUser(userId: string): Promise<EntitlementsResponse> {
    const key = SubscriptionCacheKeys.entitlements(userId);
    const cached = await this.cache.get<EntitlementsResponse>(key);
    if (cached !== undefined) return cached;
    const running = this.loading.get(userId);
    if (running) return running;
    const load = this.load(userId).finally(() => this.loading.delete(userId));
    this.loading.set(userId, load);
    return load;
  }

  private async load(userId: string): Promise<EntitlementsResponse> {
    const key = SubscriptionCacheKeys.entitlements(userId);
    const rows = await this.subscriptions.liveFeatures(userId);
    const features = new Set<string>();
    for (const row of rows) for (const feature of JSON.parse(row.features) as string[]) features.add(feature);
    const value: EntitlementsResponse = { features: [...features].sort() };
    await this.cache.set(key, value, {
      ttlMs: this.billingCache.ttlMs,
      tags: [...new Set(rows.map((row) => SubscriptionCacheKeys.planTag(row.planId)))],
    });
    return value;
  }
}
