import { Injectable } from '@nestjs/common';
import { AppCacheService } from '../../../infrastructure/cache/app-cache.service.js';
import { AnalyticsCacheKeys, METRICS_CACHE_TTL_MS } from '../analytics.cache-keys.js';

/** Margin for clock skew between instances and for transactions that commit a little after they stamp their time. */
const CLOSED_AFTER_MS = 60_000;

/**
 * For metrics read from other modules' records (payments, audit events), whose writers do not tell
 * analytics when they write: those records are stamped with the time they are written, so a range
 * that ended in the past never changes again. Such a range is cached; a range reaching into the last
 * minute, or the future, is computed on every request (a read right after a payment sees it).
 */
@Injectable()
export class ClosedRangeCache {
  constructor(private readonly cache: AppCacheService) {}

  get<T>(key: string, rangeEnd: Date, load: () => Promise<T>): Promise<T> {
    if (rangeEnd.getTime() > Date.now() - CLOSED_AFTER_MS) return load();
    return this.cache.getOrLoad(key, load, { ttlMs: METRICS_CACHE_TTL_MS, tags: [AnalyticsCacheKeys.metricsTag()] });
  }
}
