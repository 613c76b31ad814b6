import { Inject, Injectable, Logger } from '@nestjs/common';
import { newId } from '../../../common/ids.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { AppCacheService } from '../../../infrastructure/cache/app-cache.service.js';
import { InvalidationBus } from '../../../infrastructure/cache/invalidation-bus.service.js';
import type { NearCache } from '../../../infrastructure/cache/near-cache.js';
import { REDIS_CLIENT, type RedisClient } from '../../../infrastructure/cache/redis-client.js';
import { withTimeout } from '../../../infrastructure/cache/with-timeout.js';
import type { Page } from '../../../common/pagination/pagination.js';
import type { ProductResponse } from '../dto/product.dto.js';
import { InventoryCacheKeys, InventoryCacheTtl } from '../inventory.cache-keys.js';

/** Invalidation happens after commit; give it longer than a read gets before it is a miss. */
const INVALIDATE_TIMEOUT_MS = 1_000;

/**
 * Catalogue reads through two cache levels, coherent across instances:
 *  - L1: an in-process NearCache of products by id, dropped on every instance via Redis pub/sub;
 *  - L2: Redis, values stored under per-product (and one list-wide) generation tokens.
 * Writers call `invalidate()` after their transaction commits: it replaces the generations first
 * (L2 readers move to new keys), then publishes the L1 invalidation. A reader that loaded old data
 * before a write stores it under the old generation / with an outdated L1 ticket, where it is never
 * served again. If Redis is unreachable, reads go to MySQL (L1 is off while pub/sub is down).
 */
@Injectable()
export class CatalogCacheService {
  private readonly logger = new Logger(CatalogCacheService.name);
  private readonly near: NearCache<ProductResponse>;

  constructor(
    private readonly cache: AppCacheService,
    private readonly bus: InvalidationBus,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.near = bus.create<ProductResponse>(InventoryCacheKeys.nearProducts);
  }

  /** The product from this instance's near cache, synchronously; undefined when it has to be loaded. */
  nearProduct(id: string): ProductResponse | undefined {
    return this.near.get(id);
  }

  /** After a near-cache miss (nearProduct): from Redis, else `load`; kept in the near cache for the next reads. */
  async product(id: string, load: () => Promise<ProductResponse | undefined>): Promise<ProductResponse | undefined> {
    const ticket = this.near.ticket();
    const value = await this.throughRedis(
      [InventoryCacheKeys.productGeneration(id)],
      ([generation]) => InventoryCacheKeys.product(id, generation),
      load,
      InventoryCacheTtl.productMs,
    );
    if (value !== undefined) this.near.set(id, value, ticket);
    return value;
  }

  async productPage(
    query: Record<string, unknown>,
    load: () => Promise<Page<ProductResponse>>,
    ttlMs: number = InventoryCacheTtl.listMs,
  ): Promise<Page<ProductResponse>> {
    const page = await this.throughRedis(
      [InventoryCacheKeys.listGeneration()],
      ([generation]) => InventoryCacheKeys.productList(generation, query),
      load,
      ttlMs,
    );
    return page ?? load();
  }

  /** After commit: everything showing these products (by id, and every list page) is dropped everywhere. */
  async invalidate(productIds: readonly string[]): Promise<void> {
    const ids = [...new Set(productIds)];
    if (ids.length === 0) return;
    if (this.cache.enabled) {
      try {
        // One SET per generation, sent together (not one MULTI: on a Redis Cluster the keys are in many slots).
        // Each is atomic on its own, and all are done before the near caches are told below.
        const keys = [...ids.map(InventoryCacheKeys.productGeneration), InventoryCacheKeys.listGeneration()];
        const renewals = keys.map((key) =>
          this.redis.set(this.fullKey(key), newId(), {
            expiration: { type: 'PX', value: InventoryCacheTtl.generationMs },
          }),
        );
        await withTimeout(Promise.all(renewals), INVALIDATE_TIMEOUT_MS);
      } catch (error) {
        // Bounded staleness: cached values expire within InventoryCacheTtl.
        this.logger.warn(`could not invalidate catalogue cache (${(error as Error).message})`);
      }
    }
    await this.bus.invalidate(InventoryCacheKeys.nearProducts, ids);
  }

  private async throughRedis<T>(
    generationKeys: string[],
    keyOf: (generations: string[]) => string,
    load: () => Promise<T | undefined>,
    ttlMs: number,
  ): Promise<T | undefined> {
    if (!this.cache.enabled) return load();
    const generations = await this.generations(generationKeys);
    if (generations === undefined) return load();
    if (Array.isArray(generations)) return this.cache.getOrLoad<T | undefined>(keyOf(generations), load, { ttlMs });
    const value = await load();
    // Only something that exists starts a generation: a loop of random ids must not fill Redis (issue 12).
    if (value !== undefined) generations.start();
    return value;
  }

  /**
   * The current generation tokens; or, when one is missing, a way to start it (the caller serves from
   * MySQL, stores nothing, and starts it only if there was something to cache); undefined when Redis is
   * unreachable.
   */
  private async generations(keys: string[]): Promise<string[] | { start: () => void } | undefined> {
    const fullKeys = keys.map((key) => this.fullKey(key));
    try {
      // GETs, not one MGET: on a Redis Cluster the keys may be in different slots.
      const values = await withTimeout(
        Promise.all(fullKeys.map((key) => this.redis.get(key))),
        this.config.redis.timeoutMs,
      );
      if (values.every((value): value is string => typeof value === 'string')) return values;
      const start = () => {
        const starts = fullKeys
          .filter((_, index) => values[index] === null)
          .map((key) =>
            this.redis.set(key, newId(), {
              condition: 'NX',
              expiration: { type: 'PX', value: InventoryCacheTtl.generationMs },
            }),
          );
        void withTimeout(Promise.all(starts), INVALIDATE_TIMEOUT_MS).catch(() => undefined);
      };
      return { start };
    } catch {
      return undefined;
    }
  }

  private fullKey(key: string): string {
    return `${this.config.redis.keyPrefix}${key}`;
  }
}
