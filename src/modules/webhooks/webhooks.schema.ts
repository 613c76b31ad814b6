import { Webhooks1796173070538 } from '../../../migrations/1796173070538-Webhooks.js';
import { WebhookDelivery } from './entities/webhook-delivery.entity.js';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity.js';
import { WebhookEvent } from './entities/webhook-event.entity.js';

/** The webhooks module's persistence: its entities and migrations (the composition root concatenates them). */
export const WEBHOOKS_ENTITIES = [WebhookEndpoint, WebhookEvent, WebhookDelivery];
export const WEBHOOKS_MIGRATIONS = [Webhooks1796173070538];
