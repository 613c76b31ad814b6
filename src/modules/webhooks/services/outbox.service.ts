import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../../../common/ids.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { WebhookRepository } from '../repositories/webhook.repository.js';
import { DeliveryWakeup } from './delivery-wakeup.js';
import { EndpointDirectory } from './endpoint-directory.service.js';
import { SecretBox } from './secret-box.js';

/** The exact JSON a receiver gets (and whose bytes are signed), for every event however it reached the outbox. */
export function webhookBody(id: string, type: string, occurredAt: Date, data: Record<string, unknown>): string {
  return JSON.stringify({ id, type, occurredAt: occurredAt.toISOString(), data });
}

export interface OutboxEvent {
  type: string;
  data: Record<string, unknown>;
}

/**
 * The transactional outbox for events that are not audit actions (password reset): `emit(manager,
 * event)` runs inside the caller's transaction and, when at least one enabled endpoint wants the
 * event, writes it (its exact body, encrypted: a password-reset event carries a live token) and the
 * endpoints that want it as ONE row, which commits or rolls back with the change; the delivery job
 * then fans it out into one delivery per endpoint. When no endpoint wants it, it costs an in-memory
 * lookup. Audited changes need none of this: their audit event is the outbox record (OutboxRelay).
 */
@Injectable()
export class OutboxService {
  private readonly box: SecretBox;

  constructor(
    private readonly directory: EndpointDirectory,
    private readonly repository: WebhookRepository,
    private readonly wakeup: DeliveryWakeup,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.box = new SecretBox(config.webhooks.secretKey);
  }

  async emit(manager: EntityManager, event: OutboxEvent): Promise<void> {
    const endpoints = await this.directory.matching(manager, event.type);
    if (endpoints.length === 0) return;
    const id = newId();
    const occurredAt = new Date();
    const body = webhookBody(id, event.type, occurredAt, event.data);
    await this.repository.insertEvents(manager, [
      {
        id,
        type: event.type,
        occurredAt,
        body: null,
        bodyCiphertext: this.box.seal(body),
        endpointIds: endpoints.map((endpoint) => endpoint.id),
      },
    ]);
    this.wakeup.soon();
  }
}
