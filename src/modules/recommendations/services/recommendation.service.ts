import { Injectable } from '@nestjs/common';
import { ProductService } from '../../inventory/services/product.service.js';
import {
  DEFAULT_RECOMMENDATIONS,
  MAX_RECOMMENDATIONS,
  type RecommendationListResponse,
} from '../dto/recommendation.dto.js';
import { CoPurchaseRepository, type ScoredProduct } from '../repositories/co-purchase.repository.js';

/** Candidates read per round: most are sellable, so one round usually fills the answer. */
const PAGE = 2 * MAX_RECOMMENDATIONS;
/** Bounds the work when most top partners are inactive or sold out. */
const MAX_ROUNDS = 5;

/**
 * Reads. Candidates come from the pair counts (an index range), then only active, in-stock products
 * are kept (their current state from inventory). Answers are cached by the controller (CachedGet).
 */
@Injectable()
export class RecommendationService {
  constructor(
    private readonly pairs: CoPurchaseRepository,
    private readonly products: ProductService,
  ) {}

  async forProduct(productId: string, limit = DEFAULT_RECOMMENDATIONS): Promise<RecommendationListResponse> {
    await this.products.get(productId); // 404 for an unknown product
    const data: RecommendationListResponse['data'] = [];
    let after: ScoredProduct | undefined;
    for (let round = 0; round < MAX_ROUNDS && data.length < limit; round++) {
      const candidates = await this.pairs.partners(productId, PAGE, after);
      data.push(...(await this.sellable(candidates)).slice(0, limit - data.length));
      if (candidates.length < PAGE) break;
      after = candidates[candidates.length - 1];
    }
    return { data };
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
