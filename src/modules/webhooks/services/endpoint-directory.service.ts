import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InvalidationBus } from '../../../infrastructure/cache/invalidation-bus.service.js';
import type { NearCache } from '../../../infrastructure/cache/near-cache.js';
import { type EndpointSubscription, WebhookRepository } from '../repositories/webhook.repository.js';

const NAMESPACE = 'webhook-endpoints';
const KEY = 'enabled';

/** Does an endpoint subscribed to `events` want an event of `type`? */
export function wants(events: readonly string[], type: string): boolean {
  return events.includes('*') || events.includes(type);
}

/**
 * The enabled endpoints and their event filters, kept in every instance's memory so that the relay
 * and `OutboxService.emit` decide who wants an event without SQL. Coherent through the invalidation bus:
 * every endpoint write invalidates it on all instances after commit. While the bus is down (or the
 * near cache is off) the list is read in the caller's transaction instead: slower, never stale.
 * Loaded at boot and reloaded in the background before the near cache's TTL ends, so callers only
 * pay the read right after an endpoint changed.
 */
@Injectable()
export class EndpointDirectory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EndpointDirectory.name);
  private readonly cache: NearCache<EndpointSubscription[]>;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repository: WebhookRepository,
    private readonly bus: InvalidationBus,
  ) {
    this.cache = bus.create<EndpointSubscription[]>(NAMESPACE, 1);
  }

  async matching(manager: EntityManager, type: string): Promise<EndpointSubscription[]> {
    return (await this.enabled(manager)).filter((endpoint) => wants(endpoint.events, type));
  }

  /** Every enabled endpoint (the relay matches a batch of events of many types against them). */
  async enabled(manager: EntityManager): Promise<EndpointSubscription[]> {
    let enabled = this.cache.get(KEY);
    if (enabled === undefined) {
      const ticket = this.cache.ticket();
      enabled = await this.repository.enabledSubscriptions(manager);
      this.cache.set(KEY, enabled, ticket);
    }
    return enabled;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.cache.ttlMs <= 0) return;
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), Math.max(50, Math.floor(this.cache.ttlMs / 2)));
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async refresh(): Promise<void> {
    if (!this.cache.enabled) return;
    const ticket = this.cache.ticket();
    try {
      this.cache.set(KEY, await this.repository.enabledSubscriptions(), ticket);
    } catch (error) {
      this.logger.debug(`endpoint list not refreshed: ${(error as Error).message}`);
    }
  }

  /** After an endpoint write commits. */
  changed(): Promise<void> {
    return this.bus.invalidate(NAMESPACE, [KEY]);
  }
}
