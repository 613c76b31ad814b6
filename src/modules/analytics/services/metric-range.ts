import { AnalyticsErrors } from '../analytics.errors.js';
import { bucketCount, MAX_BUCKETS, type MetricInterval } from '../domain/metric-buckets.js';
import type { MetricPeriodQuery } from '../dto/billing-metrics.dto.js';

export interface MetricRange {
  from: Date;
  to: Date;
  currency: string;
}

const invalid = AnalyticsErrors.invalidRange;

/** The validated range of a metric query: `from` ≤ `to`, and at most MAX_BUCKETS buckets of `interval`. */
export function metricRange(
  query: MetricPeriodQuery & { currency?: string },
  defaultCurrency: string,
  interval: MetricInterval,
): MetricRange {
  const from = new Date(query.from);
  const to = new Date(query.to);
  if (Number.isNaN(from.getTime())) throw invalid('from', 'from must be an ISO 8601 date or date-time');
  if (Number.isNaN(to.getTime())) throw invalid('to', 'to must be an ISO 8601 date or date-time');
  if (from > to) throw invalid('to', 'to must not be before from');
  if (bucketCount(from, to, interval) > MAX_BUCKETS)
    throw invalid(
      'to',
      `the range spans more than ${MAX_BUCKETS} ${interval} buckets: narrow it or use a longer interval`,
    );
  return { from, to, currency: query.currency ?? defaultCurrency };
}
