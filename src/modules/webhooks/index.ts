/** The webhooks module's public API. */
export { WebhooksModule } from './webhooks.module.js';
export { type OutboxEvent, OutboxService } from './services/outbox.service.js';
export { WEBHOOKS_ENTITIES, WEBHOOKS_MIGRATIONS } from './webhooks.schema.js';
