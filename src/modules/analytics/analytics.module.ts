import { Global, Module } from '@nestjs/common';
import { MrrCacheInvalidator } from './services/mrr-cache-invalidator.js';
import { MrrMovementRecorder } from './services/mrr-movement.recorder.js';

/**
 * Billing analytics: the MRR ledger and the metrics read from it. Global, like audit: the modules
 * whose changes move MRR record through MrrMovementRecorder in their own transactions.
 */
@Global()
@Module({
  providers: [MrrCacheInvalidator, MrrMovementRecorder],
  exports: [MrrMovementRecorder],
})
export class AnalyticsModule {}
