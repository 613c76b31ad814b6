/** Every cache key, tag and TTL of the analytics module (keys are prefixed globally by AppCacheService). */
export const AnalyticsCacheKeys = {
  /** One metric answer: the metric and its query (the same answer to every admin). */
  metric: (metric: string, query: unknown) => `analytics:${metric}:${canonicalQuery(query)}`,
  /** Tag on every metric answer: any movement written drops them all (after its commit). */
  metricsTag: () => 'analytics:metrics',
} as const;

/**
 * A metric answer stays cached until a movement is written, and at most this long: the bound is a
 * backstop for writes that bypass the recorder (a restored backup, a hand-made fix).
 */
export const METRICS_CACHE_TTL_MS = 300_000;

/** The query's parameters in name order, so that `?a&b` and `?b&a` share an entry. */
function canonicalQuery(query: unknown): string {
  const params = Object.entries((query ?? {}) as Record<string, unknown>)
    .map(([name, value]): [string, string] => [name, String(value)])
    .sort(([a], [b]) => a.localeCompare(b));
  return new URLSearchParams(params).toString();
}
