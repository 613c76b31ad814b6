/**
 * The payments module's public API. Other modules import only from here.
 *
 * Taking money (subscriptions, orders):
 *   // 1. in your business transaction, with the row the money is for:
 *   const intent = await paymentIntents.create(manager, {
 *     purpose: 'order', referenceId: order.id, userId, amountCents, currency, paymentMethod,
 *     reason: 'one_off', idempotencyKey: `order:${order.id}:attempt:1`,
 *   });
 *   // 2. after that transaction committed, outside any transaction:
 *   const settled = await paymentIntents.execute(intent.id); // status succeeded | declined | failed
 *   // 3. is done by your applier, registered once at start (onModuleInit), inside the transaction
 *   //    that records the outcome; the reconcile job calls it too for an interrupted flow:
 *   paymentIntents.registerApplier('order', async (manager, intent) => { ... });
 *
 * Refunds: `paymentIntents.refund({ intentId, amountCents, idempotencyKey })` → PaymentRefund
 * (`succeeded` | `failed`; 409 `refund_exceeds_payment` / `not_refundable`); its applier:
 * `paymentIntents.registerRefundApplier('order', async (manager, refund, intent) => { ... })`.
 *
 * Revenue (analytics, `/billing/metrics/revenue`):
 *   paymentRevenue.revenue({ from: Date, to: Date, interval: 'day' | 'month', currency: 'USD' })
 *     → Promise<Array<{ periodStart: Date; collectedCents; refundedCents; paidInvoices; failedPayments }>>
 *   every bucket of [from, to), zero-filled; charges and refunds counted when their outcome was recorded.
 *
 * Import `PaymentsModule` in your module to inject `PaymentIntents` / `PaymentRevenue`.
 */
export { PaymentsModule } from './payments.module.js';
export {
  type CreateIntentInput,
  type IntentApplier,
  PaymentIntents,
  type RefundApplier,
  type RefundInput,
} from './services/payment-intents.service.js';
export {
  PaymentRevenue,
  type RevenueBucket,
  type RevenueInterval,
  type RevenueQuery,
} from './services/payment-revenue.service.js';
export { PaymentFaults } from './services/payment-faults.js';
export type { PaymentIntent, PaymentIntentStatus, PaymentPurpose } from './entities/payment-intent.entity.js';
export type { PaymentRefund, PaymentRefundStatus } from './entities/payment-refund.entity.js';
export {
  type ChargeReason,
  type ChargeRequest,
  type ChargeResult,
  type GatewayOutcome,
  PAYMENT_GATEWAY,
  type PaymentGateway,
  type RefundRequest,
  type RefundResult,
} from './gateway/payment-gateway.js';
export { SIMULATED_CARDS, SimulatedPaymentGateway } from './gateway/simulated-payment-gateway.js';
export { paymentsSchema } from './payments.schema.js';
