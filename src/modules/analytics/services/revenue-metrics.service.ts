import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { PaymentRevenue } from '../../payments/index.js';
import { AnalyticsCacheKeys } from '../analytics.cache-keys.js';
import { bucketBoundaries } from '../domain/metric-buckets.js';
import type { MetricSeriesQuery, RevenueSeriesResponse } from '../dto/billing-metrics.dto.js';
import { ClosedRangeCache } from './closed-range-cache.js';
import { metricRange } from './metric-range.js';

/**
 * Money collected and refunded per bucket, subscriptions and orders alike, from the payments
 * module's revenue read (charges and refunds counted when their outcome was recorded).
 */
@Injectable()
export class RevenueMetricsService {
  constructor(
    private readonly payments: PaymentRevenue,
    private readonly cache: ClosedRangeCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async series(query: MetricSeriesQuery): Promise<RevenueSeriesResponse> {
    const interval = query.interval ?? 'day';
    const { from, to, currency } = metricRange(query, this.config.billing.defaultCurrency, interval);
    const boundaries = bucketBoundaries(from, to, interval);
    const start = boundaries[0];
    const end = boundaries[boundaries.length - 1];
    const key = AnalyticsCacheKeys.metric('revenue', {
      from: start.toISOString(),
      to: end.toISOString(),
      interval,
      currency,
    });
    return this.cache.get(key, end, async () => {
      const buckets = await this.payments.revenue({ from: start, to: end, interval, currency });
      return {
        currency,
        interval,
        data: buckets.map((bucket) => ({ ...bucket, periodStart: bucket.periodStart.toISOString() })),
      };
    });
  }
}
