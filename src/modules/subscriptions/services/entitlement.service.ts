import { Injectable } from '@nestjs/common';
import { AppCacheService } from '../../../infrastructure/cache/app-cache.service.js';
import type { EntitlementsResponse } from '../dto/subscription.dto.js';
import { SubscriptionRepository } from '../repositories/subscription.repository.js';
import { SubscriptionCacheKeys } from '../subscriptions.cache-keys.js';
import { BillingCacheService } from './billing-cache.service.js';

/**
 * The hottest read: the features of a user's live subscriptions. Served from the in-process near
 * cache (no I/O), else Redis (no SQL), else one indexed query whose answer is cached per user in
 * Redis (tagged with the plans it came from) and locally. Writers drop the user's entries on every
 * instance (and, for a plan change, the plan's tag and its users) after they commit.
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
    const near = this.billingCache.nearEntitlements;
    const local = near.get(userId);
    if (local !== undefined) return local;
    // Taken before reading: an invalidation arriving meanwhile stops this (possibly old) value being kept.
    const ticket = near.ticket();
    const key = SubscriptionCacheKeys.entitlements(userId);
    const cached = await this.cache.get<EntitlementsResponse>(key);
    if (cached !== undefined) {
      near.set(userId, cached, ticket);
      return cached;
    }
    let load = this.loading.get(userId);
    if (!load) {
      load = this.load(userId).finally(() => this.loading.delete(userId));
      this.loading.set(userId, load);
    }
    const value = await load;
    near.set(userId, value, ticket);
    return value;
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
