import { CACHE_MANAGER } from '@nestjs/cache-manager';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { cacheEvents } from '../metrics/metrics.js';
import { REDIS_CLIENT, type RedisClient } from './redis-client.js';
import { withTimeout } from './with-timeout.js';

export interface CacheWriteOptions {
  /** Time to live; the configured default when omitted. */
  ttlMs?: number;
  /** Groups the key so that `invalidateTags` drops it together with the rest of the group. */
  tags?: readonly string[];
}

/**
 * The application's cache: Redis through cache-manager, with every call bounded by REDIS_TIMEOUT_MS.
 * A failing or slow Redis turns every call into a miss (or a no-op), so requests are served from
 * MySQL; the outage is logged once and counted in `cache_events_total{result="error"}`.
 * Keys are given without the global prefix; modules build them in one place (their `*.cache-keys.ts`).
 */
@Injectable()
export class AppCacheService {
  private readonly logger = new Logger(AppCacheService.name);
  private readonly inflight = new Map<string, Promise<unknown>>();
  private degraded = false;

  constructor(
    @Inject(CACHE_MANAGER) private readonly cache: Cache,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.config.redis.cacheEnabled;
  }

  async get<T>(key: string): Promise<T | undefined> {
    if (!this.enabled) return undefined;
    const value = await this.attempt(() => this.cache.get<T>(this.fullKey(key)));
    if (!value.ok) return undefined;
    cacheEvents.inc({ result: value.result === undefined || value.result === null ? 'miss' : 'hit' });
    return value.result ?? undefined;
  }

  async set<T>(key: string, value: T, options: CacheWriteOptions = {}): Promise<void> {
    if (!this.enabled) return;
    const ttl = options.ttlMs ?? this.config.redis.defaultTtlMs;
    const fullKey = this.fullKey(key);
    await this.attempt(async () => {
      await this.cache.set(fullKey, value, ttl);
      for (const tag of options.tags ?? []) {
        const tagKey = this.tagKey(tag);
        // The tag set outlives its members a little, so it never forgets a live key.
        await this.redis
          .multi()
          .sAdd(tagKey, fullKey)
          .pExpire(tagKey, ttl + 60_000)
          .exec();
      }
    });
  }

  /**
   * Cached value for `key`, or `load()`'s result stored under it. Concurrent misses for the same key
   * in this process share one `load()` call, so a cold key cannot stampede the database.
   */
  async getOrLoad<T>(key: string, load: () => Promise<T>, options: CacheWriteOptions = {}): Promise<T> {
    // Checked before and after the Redis read: a load may start or finish while the read is on the wire.
    const joined = this.inflight.get(key);
    if (joined) return joined as Promise<T>;
    const cached = await this.get<T>(key);
    if (cached !== undefined) return cached;
    const running = this.inflight.get(key);
    if (running) return running as Promise<T>;
    // The entry stays until the value is stored, so no request between "loaded" and "stored" loads again.
    const loading = load().then(
      (value) => {
        const stored = value === undefined || value === null ? Promise.resolve() : this.set(key, value, options);
        void stored.finally(() => this.inflight.delete(key));
        return value;
      },
      (error: unknown) => {
        this.inflight.delete(key);
        throw error;
      },
    );
    this.inflight.set(key, loading);
    return loading;
  }

  async del(...keys: string[]): Promise<void> {
    if (!this.enabled || keys.length === 0) return;
    await this.attempt(() => this.cache.mdel(keys.map((key) => this.fullKey(key))));
  }

  async invalidateTags(...tags: string[]): Promise<void> {
    if (!this.enabled || tags.length === 0) return;
    await this.attempt(async () => {
      for (const tag of tags) {
        const tagKey = this.tagKey(tag);
        const members = await this.redis.sMembers(tagKey);
        // Members through the store: on a Redis Cluster they live in many slots, and keyv groups them by
        // slot. The tag set is another slot: dropped alongside, so an invalidation stays two round trips.
        await Promise.all([members.length > 0 ? this.cache.mdel(members) : undefined, this.redis.del(tagKey)]);
      }
    });
  }

  private fullKey(key: string): string {
    return `${this.config.redis.keyPrefix}${key}`;
  }

  private tagKey(tag: string): string {
    return `${this.config.redis.keyPrefix}tag:${tag}`;
  }

  private async attempt<T>(call: () => Promise<T>): Promise<{ ok: true; result: T } | { ok: false }> {
    try {
      const result = await withTimeout(call(), this.config.redis.timeoutMs);
      if (this.degraded) {
        this.degraded = false;
        this.logger.log('cache is back');
      }
      return { ok: true, result };
    } catch (error) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.warn(`cache unavailable, serving from the database (${(error as Error).message})`);
      }
      cacheEvents.inc({ result: 'error' });
      return { ok: false };
    }
  }
}
