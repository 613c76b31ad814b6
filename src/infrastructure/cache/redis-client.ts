import { createClient, type RedisClientType } from '@keyv/redis';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no modules, functions or scripts; RESP2
export type RedisClient = RedisClientType<{}, {}, {}, 2, {}>;

/** Injection token for the shared Redis connection (cache store, tags, pub/sub, rate limits). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/**
 * A client that never blocks a request on an absent Redis: commands fail at once while disconnected
 * (no offline queue), and it reconnects in the background forever. Failures are logged once per outage.
 */
export async function createRedisClient(config: AppConfig, role: string): Promise<RedisClient> {
  const logger = new Logger(`Redis:${role}`);
  let down = false;
  const client = createClient({
    url: config.redis.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2_000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
    },
  });
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn(`Redis unavailable (${error.message}); serving without it until it is back`);
  });
  client.on('ready', () => {
    if (down) logger.log('Redis is back');
    down = false;
  });
  // Boot waits briefly for Redis, but never fails on it: the client keeps reconnecting in the background.
  const connecting = client.connect().catch(() => undefined);
  await Promise.race([connecting, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
  return client;
}
