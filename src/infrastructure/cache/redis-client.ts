import { createClient, createCluster, type RedisClientType } from '@keyv/redis';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no modules, functions or scripts; RESP2
export type RedisClient = RedisClientType<{}, {}, {}, 2, {}>;

/** Injection token for the shared Redis connection (cache store, tags, pub/sub, rate limits). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

const CONNECT_TIMEOUT_MS = 2_000;
const reconnectStrategy = (retries: number) => Math.min(100 * 2 ** retries, 2_000);

/** True when REDIS_CLUSTER_NODES is set: the shared client is then a cluster client (see createRedisClient). */
export function usesCluster(config: AppConfig): boolean {
  return config.redis.clusterNodes.length > 0;
}

/**
 * A client that never blocks a request on an absent Redis: commands fail at once while disconnected
 * (no offline queue), and it reconnects in the background forever. Failures are logged once per outage.
 *
 * With REDIS_CLUSTER_NODES it is node-redis's cluster client (slot routing, MOVED/ASK, topology refresh),
 * typed as the single-node client: every command the app sends touches one key (or keys of one slot), which
 * the cluster client routes by that key, and keyv's store groups multi-key calls by slot itself. Keyless
 * commands (PING, PUBLISH) go to any node; a PUBLISH reaches subscribers on every node (cluster bus).
 */
export async function createRedisClient(config: AppConfig, role: string): Promise<RedisClient> {
  const logger = new Logger(`Redis:${role}`);
  let down = false;
  const client = usesCluster(config) ? createClusterClient(config) : createSingleClient(config);
  const onError = (error: Error) => {
    if (down) return;
    down = true;
    logger.warn(`Redis unavailable (${error.message}); serving without it until it is back`);
  };
  client.on('error', onError);
  client.on('node-error', onError);
  client.on('ready', () => {
    if (down) logger.log('Redis is back');
    down = false;
  });
  // Boot waits briefly for Redis, but never fails on it: the client keeps reconnecting in the background.
  const connecting = client.connect().catch(() => undefined);
  await Promise.race([connecting, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
  return client;
}

function createSingleClient(config: AppConfig): RedisClient {
  return createClient({
    url: config.redis.url,
    disableOfflineQueue: true,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy },
  }) as RedisClient;
}

/**
 * The cluster client, with the two members the app reads that only the single-node client has: `isReady`
 * (open, and the slot map known) and a `ready` event (there: the first successful topology discovery).
 */
function createClusterClient(config: AppConfig): RedisClient {
  const cluster = createCluster({
    rootNodes: config.redis.clusterNodes.map(({ host, port }) => ({ url: `redis://${hostForUrl(host)}:${port}` })),
    defaults: {
      disableOfflineQueue: true,
      socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy },
    },
  });
  let ready = false;
  cluster.on('connect', () => {
    ready = true;
    cluster.emit('ready');
  });
  cluster.on('disconnect', () => (ready = false));
  Object.defineProperty(cluster, 'isReady', { get: () => ready && cluster.isOpen });
  return cluster as unknown as RedisClient;
}

/**
 * The connection the invalidation bus subscribes on. Single Redis: a duplicate of the shared client (it
 * reconnects and resubscribes by itself). Cluster: a plain connection to the pub/sub hub node (see
 * clusterHubClient) that does not reconnect: when it ends, the bus moves to the next node.
 */
export function createSubscriberClient(shared: RedisClient, config: AppConfig, attempt: number): RedisClient {
  if (!usesCluster(config)) return shared.duplicate() as RedisClient;
  return clusterHubClient(config, attempt, false);
}

/**
 * Cluster only: a plain connection to node `attempt % n` of REDIS_CLUSTER_NODES, the pub/sub hub. Every instance
 * subscribes and publishes there (starting from the first node of the same list), because a PUBLISH reaches
 * the subscribers of its own node in the same event-loop turn as its answer (InvalidationBus's fence makes it
 * "before"), but those of other nodes only later, over the cluster bus: through one hub, an instance that
 * answered a write has already told the other instances' near caches.
 */
export function clusterHubClient(config: AppConfig, attempt: number, reconnect: boolean): RedisClient {
  const nodes = config.redis.clusterNodes;
  const { host, port } = nodes[attempt % nodes.length];
  return createClient({
    url: `redis://${hostForUrl(host)}:${port}`,
    disableOfflineQueue: true,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: reconnect ? reconnectStrategy : false },
  }) as RedisClient;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
