import KeyvRedis, { Keyv } from '@keyv/redis';
import { CacheModule as NestCacheModule } from '@nestjs/cache-manager';
import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AppCacheService } from './app-cache.service.js';
import { InvalidationBus } from './invalidation-bus.service.js';
import { REDIS_CLIENT, type RedisClient } from './redis-client.js';
import { RedisModule } from './redis.module.js';

@Global()
@Module({
  imports: [
    RedisModule,
    NestCacheModule.registerAsync({
      imports: [RedisModule],
      inject: [APP_CONFIG, REDIS_CLIENT],
      useFactory: (config: AppConfig, redis: RedisClient) => {
        // Keys are stored exactly as AppCacheService names them (no keyv namespace), so tags can drop them.
        const store = new Keyv({ store: new KeyvRedis(redis, { throwOnErrors: true }), useKeyPrefix: false });
        store.namespace = undefined; // Keyv's constructor defaults it to "keyv"; only the setter clears it
        store.on('error', () => undefined); // failures surface as rejected calls, handled by AppCacheService
        return { stores: [store], ttl: config.redis.defaultTtlMs };
      },
    }),
  ],
  providers: [AppCacheService, InvalidationBus],
  exports: [AppCacheService, InvalidationBus],
})
export class CacheModule {}
