import { Injectable } from '@nestjs/common';
import { AppCacheService } from '../../../infrastructure/cache/app-cache.service.js';
import type { EntitlementsResponse } from '../dto/subscription.dto.js';
import { SubscriptionRepository } from '../repositories/subscription.repository.js';
import { SubscriptionCacheKeys } from '../subscriptions.cache-keys.js';
import { BillingCacheService } from './billing-cache.service.js';

/**
 * The hottest read: the features of a user's live subscriptions. Served from the in-process near
 * cache (no I/O), else Redis (no SQL), else one indexed query whose answer is cached per user and
 * generation in Redis (tagged with the plans it came from) and locally. Writers replace the user's
 * generation and drop the near entries on every instance after they commit (BillingCacheService).
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

  /**
   * The caller's entitlements; synchronously when this instance's near cache has them (the hot read:
   * no promise per request), else through Redis and MySQL.
   */
  forUser(userId: string): EntitlementsResponse | Promise<EntitlementsResponse> {
    return this.billingCache.nearEntitlements.get(userId) ?? this.loadThroughCaches(userId);
  }

  private async loadThroughCaches(userId: string): Promise<EntitlementsResponse> {
    const near = this.billingCache.nearEntitlements;
    // Taken before reading: an invalidation arriving meanwhile stops this (possibly old) value being kept.
    const ticket = near.ticket();
    const key = await this.billingCache.entitlementsKey(userId);
    if (key !== undefined) {
      const cached = await this.cache.get<EntitlementsResponse>(key);
      if (cached !== undefined) {
        near.set(userId, cached, ticket);
        return cached;
      }
    }
    // Shared only between callers that saw the same generation: a load begun before a write is never reused after it.
    const loadKey = `${userId}:${key ?? ''}`;
    let load = this.loading.get(loadKey);
    if (!load) {
      load = this.load(userId, key).finally(() => this.loading.delete(loadKey));
      this.loading.set(loadKey, load);
    }
    const value = await load;
    near.set(userId, value, ticket);
    return value;
  }

  private async load(userId: string, key: string | undefined): Promise<EntitlementsResponse> {
    const rows = await this.subscriptions.liveFeatures(userId);
    const features = new Set<string>();
    for (const row of rows) for (const feature of JSON.parse(row.features) as string[]) features.add(feature);
    const value: EntitlementsResponse = { features: [...features].sort() };
    if (key === undefined) return value;
    await this.cache.set(key, value, {
      ttlMs: this.billingCache.ttlMs,
      tags: [...new Set(rows.map((row) => SubscriptionCacheKeys.planTag(row.planId)))],
    });
    return value;
  }
}
