import { Webhooks1796173070538 } from '../../../migrations/1796173070538-Webhooks.js';
import { WebhookFanout1796176000000 } from '../../../migrations/1796176000000-WebhookFanout.js';
import { WebhookRelay1796177000000 } from '../../../migrations/1796177000000-WebhookRelay.js';
import type { ModuleSchema } from '../../infrastructure/database/module-schema.js';
import { WebhookDelivery } from './entities/webhook-delivery.entity.js';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity.js';
import { WebhookEvent } from './entities/webhook-event.entity.js';
import { WebhookRelayCursor } from './entities/webhook-relay-cursor.entity.js';

/** The webhooks module's persistence: endpoints, the outbox (events), deliveries and the relay's cursor. */
export const webhooksSchema: ModuleSchema = {
  entities: [WebhookEndpoint, WebhookEvent, WebhookDelivery, WebhookRelayCursor],
  migrations: [Webhooks1796173070538, WebhookFanout1796176000000, WebhookRelay1796177000000],
};
