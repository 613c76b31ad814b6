import { Webhooks1796173070538 } from '../../../migrations/1796173070538-Webhooks.js';
import { WebhookFanout1796176000000 } from '../../../migrations/1796176000000-WebhookFanout.js';
import type { ModuleSchema } from '../../infrastructure/database/module-schema.js';
import { WebhookDelivery } from './entities/webhook-delivery.entity.js';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity.js';
import { WebhookEvent } from './entities/webhook-event.entity.js';

/** The webhooks module's persistence: endpoints, the outbox (events) and deliveries. */
export const webhooksSchema: ModuleSchema = {
  entities: [WebhookEndpoint, WebhookEvent, WebhookDelivery],
  migrations: [Webhooks1796173070538, WebhookFanout1796176000000],
};
