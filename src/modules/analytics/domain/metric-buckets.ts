export const METRIC_INTERVALS = ['day', 'month'] as const;
export type MetricInterval = (typeof METRIC_INTERVALS)[number];

/** The most buckets one request may ask for: about 2.7 years of days, 83 years of months. */
export const MAX_BUCKETS = 1_000;

/** The UTC instant at which the bucket holding `at` starts: 00:00Z of its day, or of the 1st of its month. */
export function bucketStart(at: Date, interval: MetricInterval): Date {
  return interval === 'day'
    ? new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()))
    : new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export function nextBucketStart(start: Date, interval: MetricInterval): Date {
  return interval === 'day'
    ? new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + 1))
    : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
}

/** How many buckets the range [from, to] (both inclusive) spans, without listing them. */
export function bucketCount(from: Date, to: Date, interval: MetricInterval): number {
  const first = bucketStart(from, interval);
  const last = bucketStart(to, interval);
  if (interval === 'day') return Math.round((last.getTime() - first.getTime()) / 86_400_000) + 1;
  return (last.getUTCFullYear() - first.getUTCFullYear()) * 12 + last.getUTCMonth() - first.getUTCMonth() + 1;
}

/**
 * The start of every bucket from the one holding `from` through the one holding `to`, plus the end
 * of the last one: buckets are [starts[i], starts[i + 1]). The caller bounds the count first.
 */
export function bucketBoundaries(from: Date, to: Date, interval: MetricInterval): Date[] {
  const boundaries = [bucketStart(from, interval)];
  const last = bucketStart(to, interval).getTime();
  while (boundaries[boundaries.length - 1].getTime() <= last) {
    boundaries.push(nextBucketStart(boundaries[boundaries.length - 1], interval));
  }
  return boundaries;
}

/** The key SQL groups a movement under (see the repositories): `YYYY-MM-DD` of the bucket's start. */
export function bucketKey(start: Date): string {
  return start.toISOString().slice(0, 10);
}
