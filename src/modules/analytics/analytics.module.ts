import { Global, Module } from '@nestjs/common';
import { BillingMetricsController } from './controllers/billing-metrics.controller.js';
import { MrrMovementRepository } from './repositories/mrr-movement.repository.js';
import { MrrMetricsService } from './services/mrr-metrics.service.js';
import { MrrCacheInvalidator } from './services/mrr-cache-invalidator.js';
import { MrrMovementRecorder } from './services/mrr-movement.recorder.js';

/**
 * Billing analytics: the MRR ledger and the metrics read from it. Global, like audit: the modules
 * whose changes move MRR record through MrrMovementRecorder in their own transactions.
 */
@Global()
@Module({
  controllers: [BillingMetricsController],
  providers: [MrrCacheInvalidator, MrrMovementRecorder, MrrMovementRepository, MrrMetricsService],
  exports: [MrrMovementRecorder],
})
export class AnalyticsModule {}
