import { Module } from '@nestjs/common';
import { WebhooksController } from './controllers/webhooks.controller.js';
import { WebhookDeliveryJob } from './jobs/webhook-delivery.job.js';
import { WebhookPurgeJob } from './jobs/webhook-purge.job.js';
import { WebhookRepository } from './repositories/webhook.repository.js';
import { DeliveryWakeup } from './services/delivery-wakeup.js';
import { EndpointDirectory } from './services/endpoint-directory.service.js';
import { OutboxRelay } from './services/outbox-relay.service.js';
import { OutboxService } from './services/outbox.service.js';
import { WebhookEndpointsService } from './services/webhook-endpoints.service.js';
import { WebhookSender } from './services/webhook-sender.js';

/**
 * Signed webhooks from a transactional outbox (docs/webhooks.md). Exports OutboxService for events
 * that are not audit actions; audit actions are relayed from the sealed audit trail (OutboxRelay).
 */
@Module({
  controllers: [WebhooksController],
  providers: [
    WebhookRepository,
    EndpointDirectory,
    DeliveryWakeup,
    OutboxService,
    OutboxRelay,
    WebhookEndpointsService,
    WebhookSender,
    WebhookDeliveryJob,
    WebhookPurgeJob,
  ],
  exports: [OutboxService],
})
export class WebhooksModule {}
