import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { NearCache } from './near-cache.js';
import {
  clusterHubClient,
  createSubscriberClient,
  REDIS_CLIENT,
  type RedisClient,
  usesCluster,
} from './redis-client.js';
import { withTimeout } from './with-timeout.js';

interface InvalidationMessage {
  origin: string;
  namespace: string;
  keys: string[];
}

/**
 * Keeps the in-process `NearCache`s of every instance coherent: `invalidate()` drops keys locally at
 * once and publishes them on one Redis channel; each instance's subscriber connection (a duplicate of
 * the shared client) drops them on arrival. While that subscriber is not connected every near cache is
 * emptied and switched off (reads go to Redis/MySQL), and it is emptied again on reconnect. On a Redis
 * Cluster every instance subscribes and publishes on one hub node (clusterHubClient), the next one when the
 * connection to it ends.
 */
@Injectable()
export class InvalidationBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(InvalidationBus.name);
  private readonly origin = randomUUID();
  private readonly caches = new Map<string, NearCache<unknown>>();
  private subscriber?: RedisClient;
  /** Cluster only: publishes on the hub node, where the other instances' subscribers are. */
  private hub?: RedisClient;
  private connected = false;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get channel(): string {
    return `${this.config.redis.keyPrefix}near-cache:invalidate`;
  }

  private get usable(): boolean {
    return this.config.redis.cacheEnabled && this.config.redis.localTtlMs > 0;
  }

  /** A near cache for `namespace` (one per kind of value), off until the subscriber is connected. */
  create<T>(namespace: string, maxEntries = 10_000): NearCache<T> {
    const cache = new NearCache<T>(this.config.redis.localTtlMs, maxEntries);
    cache.setActive(this.connected);
    this.caches.set(namespace, cache as NearCache<unknown>);
    return cache;
  }

  /** Drops `keys` here now and on every other instance as soon as the message arrives. */
  async invalidate(namespace: string, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    this.caches.get(namespace)?.delete(keys);
    if (!this.usable) return;
    const message: InvalidationMessage = { origin: this.origin, namespace, keys: [...keys] };
    const payload = JSON.stringify(message);
    const publisher = this.hub ?? this.redis;
    try {
      await withTimeout(publisher.publish(this.channel, payload), 1_000);
      await this.fence(publisher);
      return;
    } catch (error) {
      if (!this.hub) {
        // Single Redis: other instances' subscribers use the same Redis; if it is unreachable they are off too.
        this.logger.warn(`could not publish a cache invalidation (${(error as Error).message})`);
        return;
      }
    }
    // Cluster, hub unreachable: subscribers there are disconnected (near caches off); those that already moved
    // to another node hear it through any node, over the cluster bus (later than the answer: no fence there).
    try {
      await withTimeout(this.redis.publish(this.channel, payload), 1_000);
    } catch (error) {
      this.logger.warn(`could not publish a cache invalidation (${(error as Error).message})`);
    }
  }

  /**
   * Read-your-write across instances: the caller answers its client only after the other instances have the
   * message in their sockets. Redis sends the PUBLISH reply before it writes the subscribers' copies (same event
   * loop turn, publisher first), so a client told "done" could reach another instance ahead of the message. The
   * next command on the connection is read only after that turn's writes are all done: its reply is the fence.
   * A failed fence is not a failed publish (the message is out); it only loses the ordering guarantee.
   */
  private async fence(publisher: RedisClient): Promise<void> {
    await withTimeout(publisher.ping(), 1_000).catch(() => undefined);
  }

  async onModuleInit(): Promise<void> {
    if (!this.usable) return;
    await this.subscribe(0);
  }

  private async subscribe(attempt: number): Promise<void> {
    if (usesCluster(this.config)) this.replaceHub(attempt);
    const subscriber = createSubscriberClient(this.redis, this.config, attempt);
    this.subscriber = subscriber;
    const current = () => this.subscriber === subscriber;
    subscriber.on('error', () => current() && this.setConnected(false));
    subscriber.on('end', () => {
      if (!current()) return;
      this.setConnected(false);
      // Cluster: this node's connection does not come back by itself; try the next node.
      if (usesCluster(this.config)) this.resubscribeSoon(attempt + 1);
    });
    subscriber.on('reconnecting', () => current() && this.setConnected(false));
    // node-redis resubscribes on reconnect; 'ready' fires once the connection is usable again.
    subscriber.on('ready', () => {
      if (current() && subscriber.isReady) this.setConnected(true);
    });
    try {
      await withTimeout(subscriber.connect(), 2_000);
      await withTimeout(
        subscriber.subscribe(this.channel, (raw) => this.onMessage(raw)),
        2_000,
      );
      if (current()) this.setConnected(subscriber.isReady);
    } catch (error) {
      this.logger.warn(`near caches off until Redis pub/sub is reachable (${(error as Error).message})`);
      if (!current()) return;
      this.setConnected(false);
      if (usesCluster(this.config)) {
        if (subscriber.isOpen) subscriber.destroy();
        this.resubscribeSoon(attempt + 1);
      }
    }
  }

  private replaceHub(attempt: number): void {
    const previous = this.hub;
    const hub = clusterHubClient(this.config, attempt, true);
    hub.on('error', () => undefined); // a failed PUBLISH falls back to the cluster client
    void hub.connect().catch(() => undefined);
    this.hub = hub;
    if (previous) closeQuietly(previous);
  }

  private resubscribeSoon(attempt: number): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.stopped) void this.subscribe(attempt);
    }, 500);
    this.retry.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    if (this.hub) closeQuietly(this.hub);
    this.hub = undefined;
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.setConnected(false);
    if (!subscriber) return;
    if (subscriber.isReady) await subscriber.close().catch(() => subscriber.destroy());
    else if (subscriber.isOpen) subscriber.destroy();
  }

  private onMessage(raw: string): void {
    try {
      const message = JSON.parse(raw) as InvalidationMessage;
      if (message.origin === this.origin) return; // already applied locally
      this.caches.get(message.namespace)?.delete(message.keys);
    } catch {
      // A malformed message cannot name keys: drop everything to stay safe.
      for (const cache of this.caches.values()) cache.clear();
    }
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    for (const cache of this.caches.values()) cache.setActive(connected);
  }
}

function closeQuietly(client: RedisClient): void {
  if (client.isReady) void client.close().catch(() => client.destroy());
  else if (client.isOpen) client.destroy();
}
