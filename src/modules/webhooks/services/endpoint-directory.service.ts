import { Injectable } from '@nestjs/common';
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
 * The enabled endpoints and their event filters, kept in every instance's memory so that a state
 * change with no interested endpoint costs no SQL at all. Coherent through the invalidation bus:
 * every endpoint write invalidates it on all instances after commit. While the bus is down (or the
 * near cache is off) the list is read in the writer's transaction instead: slower, never stale.
 */
@Injectable()
export class EndpointDirectory {
  private readonly cache: NearCache<EndpointSubscription[]>;

  constructor(
    private readonly repository: WebhookRepository,
    private readonly bus: InvalidationBus,
  ) {
    this.cache = bus.create<EndpointSubscription[]>(NAMESPACE, 1);
  }

  async matching(manager: EntityManager, type: string): Promise<EndpointSubscription[]> {
    let enabled = this.cache.get(KEY);
    if (enabled === undefined) {
      const ticket = this.cache.ticket();
      enabled = await this.repository.enabledSubscriptions(manager);
      this.cache.set(KEY, enabled, ticket);
    }
    return enabled.filter((endpoint) => wants(endpoint.events, type));
  }

  /** After an endpoint write commits. */
  changed(): Promise<void> {
    return this.bus.invalidate(NAMESPACE, [KEY]);
  }
}
