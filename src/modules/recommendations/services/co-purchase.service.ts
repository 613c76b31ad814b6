import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CoPurchaseRepository } from '../repositories/co-purchase.repository.js';
import { RecommendationCacheService } from './recommendation-cache.service.js';

/**
 * Exported to the orders module: keeps the co-purchase counts incrementally, inside the caller's
 * transaction (the one in which the order becomes paid, or fully refunded), so the counts commit or
 * roll back with the order. No full recomputation, ever. Call `changed()` after that transaction commits.
 */
@Injectable()
export class CoPurchaseService {
  constructor(
    private readonly pairs: CoPurchaseRepository,
    private readonly cache: RecommendationCacheService,
  ) {}

  orderPaid(manager: EntityManager, userId: string, productIds: readonly string[]): Promise<void> {
    return this.pairs.add(manager, userId, productIds, 1);
  }

  /** A fully refunded order stops counting. */
  orderRefunded(manager: EntityManager, userId: string, productIds: readonly string[]): Promise<void> {
    return this.pairs.add(manager, userId, productIds, -1);
  }

  /** After commit: drops the cached recommendations of these products and of this user. */
  changed(userId: string, productIds: readonly string[]): Promise<void> {
    return this.cache.invalidate(userId, productIds);
  }
}
