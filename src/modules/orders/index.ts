/**
 * Public entry point of the orders module.
 * Revenue of orders: orders are charged and refunded through the payments module (intents with purpose
 * `order`, reference = order id), so `PaymentRevenue.revenue(...)` already counts them.
 */
export { OrdersModule } from './orders.module.js';
export { ordersSchema } from './orders.schema.js';
