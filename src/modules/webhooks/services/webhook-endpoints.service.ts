import { Inject, Injectable } from '@nestjs/common';
import { newId } from '../../../common/ids.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../../common/pagination/pagination.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import { AuditService, diffChanges } from '../../audit/index.js';
import {
  type CreatedWebhookEndpointResponse,
  type CreateWebhookEndpointDto,
  mapDelivery,
  mapEndpoint,
  type UpdateWebhookEndpointDto,
  type WebhookDeliveryResponse,
  type WebhookEndpointResponse,
  type WebhookListQuery,
} from '../dto/webhook.dto.js';
import type { WebhookEndpoint } from '../entities/webhook-endpoint.entity.js';
import { WebhookRepository } from '../repositories/webhook.repository.js';
import { WebhookErrors } from '../webhooks.errors.js';
import { DeliveryWakeup } from './delivery-wakeup.js';
import { EndpointDirectory } from './endpoint-directory.service.js';
import { SecretBox } from './secret-box.js';
import { newSigningSecret } from './signature.js';
import { urlRefusal } from './url-policy.js';

/** Admin management of endpoints and their deliveries. Every endpoint write is audited. */
@Injectable()
export class WebhookEndpointsService {
  private readonly box: SecretBox;

  constructor(
    private readonly repository: WebhookRepository,
    private readonly directory: EndpointDirectory,
    private readonly wakeup: DeliveryWakeup,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.box = new SecretBox(config.webhooks.secretKey);
  }

  async create(body: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointResponse> {
    await this.assertUrlAllowed(body.url);
    const secret = newSigningSecret();
    const now = new Date();
    const endpoint: WebhookEndpoint = {
      id: newId(),
      url: body.url,
      events: body.events,
      description: body.description?.trim() || null,
      enabled: true,
      secretCiphertext: this.box.seal(secret),
      createdAt: now,
      updatedAt: now,
    };
    await this.tx.run(async (manager) => {
      await this.repository.insertEndpoint(manager, endpoint);
      await this.audit.record(manager, {
        action: 'webhook_endpoint.create',
        entityType: 'webhook_endpoint',
        entityId: endpoint.id,
        changes: { url: endpoint.url, events: endpoint.events, description: endpoint.description, enabled: true },
      });
    });
    await this.directory.changed();
    return { ...mapEndpoint(endpoint), secret };
  }

  async list(query: WebhookListQuery): Promise<Page<WebhookEndpointResponse>> {
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, 1);
    const rows = await this.repository.pageEndpoints(after?.[0] as string | undefined, limit + 1);
    return toPage(rows, limit, (row) => [row.id], mapEndpoint);
  }

  async update(id: string, body: UpdateWebhookEndpointDto): Promise<WebhookEndpointResponse> {
    if (body.url !== undefined) await this.assertUrlAllowed(body.url);
    const updated = await this.tx.run(async (manager) => {
      const current = await this.repository.findEndpointForUpdate(manager, id);
      if (!current) throw WebhookErrors.endpointNotFound();
      const next: WebhookEndpoint = {
        ...current,
        url: body.url ?? current.url,
        events: body.events ?? current.events,
        enabled: body.enabled ?? current.enabled,
        updatedAt: new Date(),
      };
      await this.repository.updateEndpoint(manager, next);
      await this.audit.record(manager, {
        action: 'webhook_endpoint.update',
        entityType: 'webhook_endpoint',
        entityId: id,
        changes: diffChanges(
          { url: current.url, events: current.events, enabled: current.enabled },
          { url: next.url, events: next.events, enabled: next.enabled },
        ),
      });
      return next;
    });
    await this.directory.changed();
    return mapEndpoint(updated);
  }

  async remove(id: string): Promise<void> {
    await this.tx.run(async (manager) => {
      const current = await this.repository.findEndpointForUpdate(manager, id);
      if (!current) throw WebhookErrors.endpointNotFound();
      await this.repository.deleteEndpoint(manager, id);
      await this.audit.record(manager, {
        action: 'webhook_endpoint.delete',
        entityType: 'webhook_endpoint',
        entityId: id,
        changes: { url: current.url },
      });
    });
    await this.directory.changed();
  }

  async deliveries(endpointId: string, query: WebhookListQuery): Promise<Page<WebhookDeliveryResponse>> {
    if (!(await this.repository.findEndpoint(endpointId))) throw WebhookErrors.endpointNotFound();
    const limit = pageSize(query);
    const before = decodeCursor(query.cursor, 1);
    const rows = await this.repository.pageDeliveries(endpointId, before?.[0] as string | undefined, limit + 1);
    return toPage(rows, limit, (row) => [row.id], mapDelivery);
  }

  /** 202: one more attempt soon, same event id and body (a fresh signature timestamp). */
  async redeliver(deliveryId: string): Promise<void> {
    if (!(await this.repository.scheduleRedelivery(deliveryId, new Date()))) throw WebhookErrors.deliveryNotFound();
    this.wakeup.soon();
  }

  private async assertUrlAllowed(url: string): Promise<void> {
    const refusal = await urlRefusal(url, this.config.webhooks.allowPrivate);
    if (refusal !== undefined) throw WebhookErrors.urlRefused(refusal);
  }
}
