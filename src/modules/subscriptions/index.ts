/** The subscriptions module's public API: what other modules and the composition root may import. */
export { SubscriptionsModule } from './subscriptions.module.js';
export { subscriptionsSchema } from './subscriptions.schema.js';
