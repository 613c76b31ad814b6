import { DomainError } from '../../common/errors/domain-error.js';

/** The payments module's error codes (problem+json `code`). */
export const PaymentErrors = {
  intentNotFound: () => new DomainError(404, 'not_found', 'Payment not found'),
  notRefundable: () => new DomainError(409, 'not_refundable', 'Only a succeeded payment can be refunded'),
  refundExceedsPayment: (refundableCents: number) =>
    new DomainError(409, 'refund_exceeds_payment', 'The refund is more than what is left of the payment', {
      extra: { refundableCents },
    }),
  gatewayUnavailable: () =>
    new DomainError(503, 'payment_gateway_unavailable', 'The payment provider did not answer; try again shortly', {
      headers: { 'retry-after': '5' },
    }),
} as const;
