import { conflict, DomainError } from '../../common/errors/domain-error.js';

/** The orders module's error codes (problem+json `code`). */
export const OrderErrors = {
  paymentDeclined: (orderId: string, declineCode: string) =>
    new DomainError(402, 'payment_declined', 'The payment was declined; the reservation stays pending', {
      extra: { orderId, declineCode },
    }),
  mixedCurrencies: (currencies: string[]) =>
    conflict('mixed_currencies', 'The reserved products are priced in different currencies', { currencies }),
  paymentPending: (orderId: string) =>
    new DomainError(503, 'payment_pending', 'The payment outcome is not known yet; the order will be completed', {
      extra: { orderId },
      headers: { 'retry-after': '5' },
    }),
  refundExceeds: (leftCents: number) =>
    conflict('refund_exceeds_remaining', 'More than what is left of the order would be refunded', { leftCents }),
  refundFailed: (reason: string) =>
    new DomainError(502, 'refund_failed', 'The payment gateway refused the refund', { extra: { reason } }),
} as const;
