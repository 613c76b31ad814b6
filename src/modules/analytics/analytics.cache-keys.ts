/** Every cache key and tag of the analytics module (keys are prefixed globally by AppCacheService). */
export const AnalyticsCacheKeys = {
  /** One metric response: the metric name and its normalised query. */
  metric: (metric: string, query: string) => `analytics:${metric}:${query}`,
  /** Tag on every metric response: any movement written drops them all. */
  metricsTag: () => 'analytics:metrics',
} as const;
