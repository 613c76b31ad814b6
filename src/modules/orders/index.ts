/**
 * Public entry point of the orders module.
 * Revenue of orders: `orders` rows with `paid_at` set (status paid, partially_refunded or refunded) were
 * collected (`total_cents`, `currency`, at `paid_at`); `order_refunds` rows with status `succeeded` were
 * given back (`amount_cents`, `currency`, at `completed_at`).
 */
export { OrdersModule } from './orders.module.js';
export { ORDERS_ENTITIES, ORDERS_MIGRATIONS } from './orders.schema.js';
export { OrderReconcileJob } from './services/order-reconcile.job.js';
