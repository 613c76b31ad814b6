import { SubscriptionErrors } from '../subscriptions.errors.js';

/**
 * The subscription lifecycle: ONE transition table, used by every service that changes a status.
 *
 *   incomplete ──activate──▶ active          (first charge paid)
 *   incomplete ──start_trial──▶ trialing     (plan has trial days; nothing charged yet)
 *   trialing   ──convert──▶ active           (first charge at trial end paid)
 *   active     ──renew──▶ active             (period advanced)
 *   trialing/active ──renewal_failed──▶ past_due
 *   past_due   ──recover──▶ active           (a dunning retry paid)
 *   past_due   ──retry_failed──▶ past_due    (retries left)
 *   past_due   ──dunning_exhausted──▶ canceled
 *   live       ──cancel──▶ canceled          (immediate)
 *   live       ──end_of_term──▶ canceled     (cancelAtPeriodEnd reached)
 *   live       ──schedule_cancel──▶ (same)   (cancelAtPeriodEnd = true)
 *   trialing/active ──change_plan──▶ (same)
 *   incomplete ──cancel──▶ canceled
 *
 * `canceled` is terminal. Persisting a transition is always a conditional UPDATE on the status
 * and version that were read (see SubscriptionRepository), so two writers cannot both apply one.
 */
export const SUBSCRIPTION_STATUSES = ['incomplete', 'trialing', 'active', 'past_due', 'canceled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const SUBSCRIPTION_EVENTS = [
  'activate',
  'start_trial',
  'convert',
  'renew',
  'renewal_failed',
  'recover',
  'retry_failed',
  'dunning_exhausted',
  'cancel',
  'end_of_term',
  'schedule_cancel',
  'change_plan',
] as const;
export type SubscriptionEvent = (typeof SUBSCRIPTION_EVENTS)[number];

/** Statuses that grant entitlements and hold the one-per-user-per-plan slot. */
export const LIVE_STATUSES: readonly SubscriptionStatus[] = ['trialing', 'active', 'past_due'];

export const TRANSITIONS: Readonly<
  Record<SubscriptionStatus, Readonly<Partial<Record<SubscriptionEvent, SubscriptionStatus>>>>
> = {
  incomplete: { activate: 'active', start_trial: 'trialing', cancel: 'canceled' },
  trialing: {
    convert: 'active',
    renewal_failed: 'past_due',
    cancel: 'canceled',
    end_of_term: 'canceled',
    schedule_cancel: 'trialing',
    change_plan: 'trialing',
  },
  active: {
    renew: 'active',
    renewal_failed: 'past_due',
    cancel: 'canceled',
    end_of_term: 'canceled',
    schedule_cancel: 'active',
    change_plan: 'active',
  },
  past_due: {
    recover: 'active',
    retry_failed: 'past_due',
    dunning_exhausted: 'canceled',
    cancel: 'canceled',
    end_of_term: 'canceled',
    schedule_cancel: 'past_due',
  },
  canceled: {},
};

export function canTransition(from: SubscriptionStatus, event: SubscriptionEvent): boolean {
  return TRANSITIONS[from][event] !== undefined;
}

/** The status `event` leads to from `from`; an illegal transition is a 409 `illegal_transition`. */
export function transition(from: SubscriptionStatus, event: SubscriptionEvent): SubscriptionStatus {
  const to = TRANSITIONS[from][event];
  if (to === undefined) throw SubscriptionErrors.illegalTransition(from, event);
  return to;
}

export function isLive(status: SubscriptionStatus): boolean {
  return LIVE_STATUSES.includes(status);
}
