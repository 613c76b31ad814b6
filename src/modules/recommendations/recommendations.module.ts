import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/index.js';
import { RecommendationsController } from './controllers/recommendations.controller.js';
import { CoPurchaseRepository } from './repositories/co-purchase.repository.js';
import { CoPurchaseService } from './services/co-purchase.service.js';
import { RecommendationCacheService } from './services/recommendation-cache.service.js';
import { RecommendationService } from './services/recommendation.service.js';

/** "Bought together": co-purchase counts kept incrementally by orders, read through the cache. */
@Module({
  imports: [InventoryModule],
  controllers: [RecommendationsController],
  providers: [CoPurchaseRepository, RecommendationCacheService, CoPurchaseService, RecommendationService],
  exports: [CoPurchaseService],
})
export class RecommendationsModule {}
