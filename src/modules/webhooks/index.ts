/** The webhooks module's public API: what other modules and the composition root may import. */
export { WebhooksModule } from './webhooks.module.js';
export { webhooksSchema } from './webhooks.schema.js';
export { type OutboxEvent, OutboxService } from './services/outbox.service.js';
