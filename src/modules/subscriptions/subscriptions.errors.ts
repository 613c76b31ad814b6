import { DomainError } from '../../common/errors/domain-error.js';

/** The subscriptions module's error codes (problem+json `code`). */
export const SubscriptionErrors = {
  planNotFound: () => new DomainError(404, 'plan_not_found', 'Plan not found'),
  planInactive: () => new DomainError(409, 'plan_inactive', 'The plan is not open to new subscriptions'),
  duplicatePlanCode: (code: string) => new DomainError(409, 'duplicate_plan_code', `A plan with code "${code}" exists`),
  alreadySubscribed: () =>
    new DomainError(409, 'already_subscribed', 'You already have a live subscription to this plan'),
  illegalTransition: (from: string, event: string) =>
    new DomainError(409, 'illegal_transition', `A ${from} subscription cannot ${event.replace(/_/g, ' ')}`, {
      extra: { currentStatus: from, event },
    }),
  concurrentUpdate: () =>
    new DomainError(409, 'concurrent_update', 'The subscription changed while this request ran; retry'),
  samePlan: () => new DomainError(409, 'same_plan', 'The subscription is already on this plan'),
  currencyMismatch: () =>
    new DomainError(409, 'currency_mismatch', 'Plans can only be changed to a plan in the same currency'),
  paymentDeclined: (subscriptionId: string, invoiceId: string, declineCode: string) =>
    new DomainError(402, 'payment_declined', 'The payment was declined', {
      extra: { subscriptionId, invoiceId, declineCode },
    }),
  paymentInProgress: () =>
    new DomainError(409, 'payment_in_progress', 'A payment of this subscription is being processed; retry shortly'),
  nothingDue: () => new DomainError(409, 'nothing_due', 'The subscription has no open invoice to pay'),
  resumesAtInPast: () =>
    new DomainError(400, 'validation_failed', 'The request is invalid', {
      errors: [{ field: 'resumesAt', message: 'resumesAt must be in the future' }],
    }),
  asOfTooLate: () =>
    new DomainError(400, 'validation_failed', 'The request is invalid', {
      errors: [{ field: 'asOf', message: 'asOf may be at most 5 minutes ahead (BILLING_TEST_CLOCK is off)' }],
    }),
  versionMismatch: () => new DomainError(412, 'version_mismatch', 'The plan was changed by someone else'),
} as const;
