import { Global, Module } from '@nestjs/common';
import { PaymentsModule } from '../payments/index.js';
import { BillingMetricsController } from './controllers/billing-metrics.controller.js';
import { MrrMovementRepository } from './repositories/mrr-movement.repository.js';
import { ClosedRangeCache } from './services/closed-range-cache.js';
import { DunningMetricsService } from './services/dunning-metrics.service.js';
import { MrrCacheInvalidator } from './services/mrr-cache-invalidator.js';
import { MrrMetricsService } from './services/mrr-metrics.service.js';
import { MrrMovementRecorder } from './services/mrr-movement.recorder.js';
import { RevenueMetricsService } from './services/revenue-metrics.service.js';

/**
 * Billing analytics: the MRR ledger and the metrics under /billing/metrics. Global, like audit: the
 * modules whose changes move MRR record through MrrMovementRecorder in their own transactions.
 * Revenue comes from the payments module's read API, dunning from the audit module's counts.
 */
@Global()
@Module({
  imports: [PaymentsModule],
  controllers: [BillingMetricsController],
  providers: [
    MrrCacheInvalidator,
    MrrMovementRecorder,
    MrrMovementRepository,
    MrrMetricsService,
    ClosedRangeCache,
    RevenueMetricsService,
    DunningMetricsService,
  ],
  exports: [MrrMovementRecorder],
})
export class AnalyticsModule {}
