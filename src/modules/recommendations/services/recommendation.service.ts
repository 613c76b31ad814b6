import { Injectable } from '@nestjs/common';
import { ReadReplicas } from '../../../infrastructure/database/read-replicas.service.js';
import { ProductService } from '../../inventory/index.js';
import {
  DEFAULT_RECOMMENDATIONS,
  MAX_RECOMMENDATIONS,
  type RecommendationListResponse,
} from '../dto/recommendation.dto.js';
import { CoPurchaseRepository, type ScoredProduct } from '../repositories/co-purchase.repository.js';
import { RecommendationCacheService } from './recommendation-cache.service.js';

/** Candidates read per round: most are sellable, so one round usually fills the answer. */
const PAGE = 2 * MAX_RECOMMENDATIONS;
/** Bounds the work when most top partners are inactive or sold out. */
const MAX_ROUNDS = 5;

/**
 * Reads. Candidates come from the pair counts (an index range), then only active, in-stock products
 * are kept (their current state from inventory). Product lists are cached here (near cache + Redis),
 * the caller's list by the controller (CachedGet, per user).
 */
@Injectable()
export class RecommendationService {
  constructor(
    private readonly pairs: CoPurchaseRepository,
    private readonly products: ProductService,
    private readonly cache: RecommendationCacheService,
    private readonly replicas: ReadReplicas,
  ) {}

  /** Warm: from the near cache, no I/O at all. The cached list is the longest; `limit` takes its prefix. */
  async forProduct(productId: string, limit = DEFAULT_RECOMMENDATIONS): Promise<RecommendationListResponse> {
    const all = await this.cache.product(productId, () => this.loadForProduct(productId));
    return { data: all.length > limit ? all.slice(0, limit) : all };
  }

  /**
   * The product's top MAX_RECOMMENDATIONS sellable partners, straight from MySQL (no recommendation cache):
   * the pair counts from a read replica when there is one (they may lag, docs/scaling.md), the products'
   * current state from inventory (the primary).
   */
  async loadForProduct(productId: string): Promise<RecommendationListResponse['data']> {
    await this.products.get(productId); // 404 for an unknown product
    const data: RecommendationListResponse['data'] = [];
    let after: ScoredProduct | undefined;
    for (let round = 0; round < MAX_ROUNDS && data.length < MAX_RECOMMENDATIONS; round++) {
      const candidates = await this.replicas.read((db) => this.pairs.partners(productId, PAGE, after, db));
      data.push(...(await this.sellable(candidates)).slice(0, MAX_RECOMMENDATIONS - data.length));
      if (candidates.length < PAGE) break;
      after = candidates[candidates.length - 1];
    }
    return data;
  }

  async forUser(userId: string, limit = DEFAULT_RECOMMENDATIONS): Promise<RecommendationListResponse> {
    const candidates = await this.pairs.forUser(userId, limit + PAGE);
    return { data: (await this.sellable(candidates)).slice(0, limit) };
  }

  /** The candidates that are active and in stock, in the candidates' order. */
  private async sellable(candidates: ScoredProduct[]): Promise<RecommendationListResponse['data']> {
    const found = new Map(
      (await this.products.findMany(candidates.map((c) => c.productId))).map((product) => [product.id, product]),
    );
    return candidates.flatMap((candidate) => {
      const product = found.get(candidate.productId);
      return product && product.active && product.stock.available > 0 ? [{ product, score: candidate.score }] : [];
    });
  }
}
