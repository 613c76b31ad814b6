import { Injectable } from '@nestjs/common';
import { AppCacheService } from '../../../infrastructure/cache/app-cache.service.js';
import { InvalidationBus } from '../../../infrastructure/cache/invalidation-bus.service.js';
import type { NearCache } from '../../../infrastructure/cache/near-cache.js';
import { ReadReplicas } from '../../../infrastructure/database/read-replicas.service.js';
import type { RecommendationResponse } from '../dto/recommendation.dto.js';
import { RecommendationCacheKeys, RecommendationCacheTtl } from '../recommendations.cache-keys.js';
import { RecommendationLists } from './recommendation-lists.js';

/**
 * A product's recommendations (the longest list, MAX_RECOMMENDATIONS; shorter limits are its prefix) in
 * the in-process near cache (as RecommendationLists: one answer object per limit), then Redis, then MySQL. Writers call `invalidate()` after commit: the Redis
 * entries go by tag and every instance's near cache drops the products through the invalidation bus.
 */
@Injectable()
export class RecommendationCacheService {
  private readonly near: NearCache<RecommendationLists>;

  constructor(
    private readonly cache: AppCacheService,
    private readonly bus: InvalidationBus,
    private readonly replicas: ReadReplicas,
  ) {
    this.near = bus.create<RecommendationLists>(RecommendationCacheKeys.nearProducts);
  }

  /** The warm read, synchronous (no promise): the product's lists from the near cache, or undefined. */
  nearProduct(productId: string): RecommendationLists | undefined {
    return this.near.get(productId);
  }

  /** After a near-cache miss: from Redis, else `load`; kept in the near cache for the next reads. */
  async product(productId: string, load: () => Promise<RecommendationResponse[]>): Promise<RecommendationLists> {
    const ticket = this.near.ticket();
    const value = await this.cache.getOrLoad(RecommendationCacheKeys.forProduct(productId), load, {
      // Loaded from a replica when there is one: a stale copy lives no longer than the replica could lag.
      ttlMs: this.replicas.cacheTtl(RecommendationCacheTtl.ms),
      tags: [RecommendationCacheKeys.productTag(productId)],
    });
    const lists = new RecommendationLists(value);
    this.near.set(productId, lists, ticket);
    return lists;
  }

  /**
   * After commit. Done twice: now, and once more a second later, so that a load which read the counts
   * before the commit and stored its answer after the first invalidation (a read-load-store race) is
   * dropped too and the change shows within the 5 s the contract allows.
   */
  async invalidate(userId: string, productIds: readonly string[]): Promise<void> {
    await this.drop(userId, productIds);
    setTimeout(() => void this.drop(userId, productIds), RecommendationCacheTtl.secondInvalidationMs).unref();
  }

  private async drop(userId: string, productIds: readonly string[]): Promise<void> {
    const ids = [...new Set(productIds)];
    await this.cache.invalidateTags(
      ...ids.map((id) => RecommendationCacheKeys.productTag(id)),
      RecommendationCacheKeys.userTag(userId),
    );
    await this.bus.invalidate(RecommendationCacheKeys.nearProducts, ids);
  }
}
