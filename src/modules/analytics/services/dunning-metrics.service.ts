import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { AuditQueryService } from '../../audit/index.js';
import { AnalyticsCacheKeys } from '../analytics.cache-keys.js';
import { bucketStart, nextBucketStart } from '../domain/metric-buckets.js';
import type { DunningResponse, MetricPeriodQuery } from '../dto/billing-metrics.dto.js';
import { ClosedRangeCache } from './closed-range-cache.js';
import { metricRange } from './metric-range.js';

/**
 * Dunning over whole UTC days (the day of `from` through the day of `to`), from the subscriptions'
 * audited status changes (`changes.status = {from, to}`, counted when they were recorded):
 * entered = any → past_due; recovered = past_due → active; churned = past_due → canceled.
 */
@Injectable()
export class DunningMetricsService {
  constructor(
    private readonly audit: AuditQueryService,
    private readonly cache: ClosedRangeCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async dunning(query: MetricPeriodQuery): Promise<DunningResponse> {
    // One aggregate whatever the length: bounded like a monthly series.
    const { from, to } = metricRange(query, this.config.billing.defaultCurrency, 'month');
    const range = { from: bucketStart(from, 'day'), to: nextBucketStart(bucketStart(to, 'day'), 'day') };
    const key = AnalyticsCacheKeys.metric('dunning', { from: range.from.toISOString(), to: range.to.toISOString() });
    return this.cache.get(key, range.to, async () => {
      const transitions = await this.audit.statusTransitions('subscription', range);
      const count = (match: (from: string, to: string) => boolean) =>
        transitions.filter((t) => match(t.from, t.to)).reduce((sum, t) => sum + t.events, 0);
      const enteredPastDue = count((from, to) => to === 'past_due' && from !== 'past_due');
      const recovered = count((from, to) => from === 'past_due' && to === 'active');
      const churned = count((from, to) => from === 'past_due' && to === 'canceled');
      return {
        from: range.from.toISOString(),
        to: range.to.toISOString(),
        enteredPastDue,
        recovered,
        churned,
        recoveryRate: enteredPastDue === 0 ? 0 : Math.round(Math.min(1, recovered / enteredPastDue) * 10_000) / 10_000,
      };
    });
  }
}
