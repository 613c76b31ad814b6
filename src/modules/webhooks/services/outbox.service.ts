import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../../../common/ids.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { type AuditedChange, AuditService } from '../../audit/index.js';
import { WebhookRepository } from '../repositories/webhook.repository.js';
import { DeliveryWakeup } from './delivery-wakeup.js';
import { EndpointDirectory } from './endpoint-directory.service.js';
import { SecretBox } from './secret-box.js';

export interface OutboxEvent {
  type: string;
  data: Record<string, unknown>;
  /** Defaults to a new id (audit events reuse the audit event's id). */
  id?: string;
  occurredAt?: Date;
  /**
   * Default true: the body is stored encrypted (a password-reset event carries a live token). False
   * only for data already stored in the clear elsewhere (an audit event's copy), where encrypting the
   * copy protects nothing and costs a cipher per write.
   */
  confidential?: boolean;
}

/**
 * The transactional outbox. `emit(manager, event)` runs inside the caller's transaction: when at
 * least one enabled endpoint wants the event, it writes the event (its exact body) and the endpoints
 * that want it as ONE row, which commits or rolls back with the change; the delivery job then turns it
 * into one delivery per endpoint (WebhookRepository.fanOut), exactly once. When no endpoint wants it,
 * it costs nothing but an in-memory lookup. Every successful audit event is emitted through an
 * AuditService listener, so each audited state change becomes a webhook event of the same name
 * without any module calling webhooks; non-audit events (password reset) call `emit` directly.
 */
@Injectable()
export class OutboxService implements OnModuleInit {
  private readonly box: SecretBox;

  constructor(
    private readonly audit: AuditService,
    private readonly directory: EndpointDirectory,
    private readonly repository: WebhookRepository,
    private readonly wakeup: DeliveryWakeup,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.box = new SecretBox(config.webhooks.secretKey);
  }

  onModuleInit(): void {
    this.audit.addListener((manager, event) => this.fromAudit(manager, event));
  }

  async emit(manager: EntityManager, event: OutboxEvent): Promise<void> {
    const endpoints = await this.directory.matching(manager, event.type);
    if (endpoints.length === 0) return;
    const id = event.id ?? newId();
    const occurredAt = event.occurredAt ?? new Date();
    const body = JSON.stringify({ id, type: event.type, occurredAt: occurredAt.toISOString(), data: event.data });
    const confidential = event.confidential ?? true;
    await this.repository.insertEvent(manager, {
      id,
      type: event.type,
      occurredAt,
      body: confidential ? null : Buffer.from(body),
      bodyCiphertext: confidential ? this.box.seal(body) : null,
      endpointIds: endpoints.map((endpoint) => endpoint.id),
    });
    this.wakeup.soon();
  }

  /** A failed attempt (declined subscribe, failed login) changed nothing a receiver should act on. */
  private fromAudit(manager: EntityManager, event: AuditedChange): Promise<void> {
    if (event.outcome !== 'success') return Promise.resolve();
    return this.emit(manager, {
      id: event.id,
      type: event.name,
      occurredAt: event.occurredAt,
      // The audit row beside it holds the same (redacted) data in the clear.
      confidential: false,
      data: {
        entityType: event.entityType,
        entityId: event.entityId,
        actorId: event.actorId,
        changes: event.changes,
      },
    });
  }
}
