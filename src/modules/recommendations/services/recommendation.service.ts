import { Injectable } from '@nestjs/common';
import { ReadReplicas } from '../../../infrastructure/database/read-replicas.service.js';
import { ProductService } from '../../inventory/index.js';
import {
  DEFAULT_RECOMMENDATIONS,
  MAX_RECOMMENDATIONS,
  type RecommendationListResponse,
  type RecommendationResponse,
} from '../dto/recommendation.dto.js';
import { CoPurchaseRepository } from '../repositories/co-purchase.repository.js';
import { RecommendationCacheService } from './recommendation-cache.service.js';

/**
 * Reads. The pair counts joined to the sellable (active, in-stock) products they name, in one statement
 * (CoPurchaseRepository). Product lists are cached here (near cache + Redis), the caller's list by the
 * controller (CachedGet, per user).
 */
@Injectable()
export class RecommendationService {
  constructor(
    private readonly pairs: CoPurchaseRepository,
    private readonly products: ProductService,
    private readonly cache: RecommendationCacheService,
    private readonly replicas: ReadReplicas,
  ) {}

  /**
   * Warm: from the near cache, synchronously, no I/O at all, and the same answer object on every hit (the
   * route is served directly, which serialises an object once). The cached list is the longest; `limit`
   * takes its prefix.
   */
  forProduct(
    productId: string,
    limit = DEFAULT_RECOMMENDATIONS,
  ): RecommendationListResponse | Promise<RecommendationListResponse> {
    const warm = this.cache.nearProduct(productId);
    if (warm) return warm.answer(limit);
    return this.cache.product(productId, () => this.loadForProduct(productId)).then((lists) => lists.answer(limit));
  }

  /**
   * The product's top MAX_RECOMMENDATIONS sellable partners, straight from MySQL (no recommendation cache):
   * one statement, on a read replica when there is one (counts and product state may then lag together,
   * docs/scaling.md; the cache TTL is bounded by that lag). Only an empty answer needs to know whether the
   * product exists (404): a product with pair counts was bought, and products are never deleted.
   */
  async loadForProduct(productId: string): Promise<RecommendationResponse[]> {
    const data = await this.replicas.read((db) => this.pairs.topSellablePartners(productId, MAX_RECOMMENDATIONS, db));
    if (data.length === 0) await this.products.get(productId); // 404 for an unknown product
    return data;
  }

  async forUser(userId: string, limit = DEFAULT_RECOMMENDATIONS): Promise<RecommendationListResponse> {
    return { data: await this.pairs.forUser(userId, limit) };
  }
}
