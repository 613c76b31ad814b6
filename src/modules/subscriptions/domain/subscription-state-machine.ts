import { SubscriptionErrors } from '../subscriptions.errors.js';

/**
 * The subscription lifecycle: ONE transition table, used by every service that changes a status.
 *
 *   incomplete ──activate──▶ active          (first charge paid)
 *   incomplete ──start_trial──▶ trialing     (plan has trial days; nothing charged yet)
 *   trialing   ──convert──▶ active           (first charge at trial end paid)
 *   active     ──renew──▶ active             (period advanced)
 *   trialing/active ──renewal_failed──▶ past_due
 *   past_due   ──recover──▶ active           (a dunning retry or `pay` paid)
 *   past_due   ──retry_failed──▶ past_due    (retries left, or a declined `pay`)
 *   past_due   ──dunning_exhausted──▶ canceled
 *   active     ──pause──▶ paused             (no entitlements, renewals, items or MRR)
 *   paused     ──resume──▶ active            (a new period, charged)
 *   live/paused ──cancel──▶ canceled         (immediate)
 *   live       ──end_of_term──▶ canceled     (cancelAtPeriodEnd reached)
 *   live       ──schedule_cancel──▶ (same)   (cancelAtPeriodEnd = true)
 *   live       ──reactivate──▶ (same)        (cancelAtPeriodEnd = false)
 *   live/paused ──update_payment_method──▶ (same)
 *   trialing/active ──change_plan──▶ (same)
 *   incomplete ──cancel──▶ canceled
 *
 * `canceled` is terminal. Persisting a transition is always a conditional UPDATE on the status
 * and version that were read (see SubscriptionRepository), so two writers cannot both apply one.
 */
export const SUBSCRIPTION_STATUSES = ['incomplete', 'trialing', 'active', 'past_due', 'paused', 'canceled'] as const;
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
  'pause',
  'resume',
  'cancel',
  'end_of_term',
  'schedule_cancel',
  'reactivate',
  'update_payment_method',
  'change_plan',
] as const;
export type SubscriptionEvent = (typeof SUBSCRIPTION_EVENTS)[number];

/** Statuses that grant entitlements and hold the one-per-user-per-plan slot (paused holds the slot only). */
export const LIVE_STATUSES: readonly SubscriptionStatus[] = ['trialing', 'active', 'past_due'];

/** Statuses counted in MRR. */
export const MRR_STATUSES: readonly SubscriptionStatus[] = ['active', 'past_due'];

const LIVE_COMMON = {
  cancel: 'canceled',
  end_of_term: 'canceled',
} as const;

export const TRANSITIONS: Readonly<
  Record<SubscriptionStatus, Readonly<Partial<Record<SubscriptionEvent, SubscriptionStatus>>>>
> = {
  incomplete: { activate: 'active', start_trial: 'trialing', cancel: 'canceled' },
  trialing: {
    ...LIVE_COMMON,
    convert: 'active',
    renewal_failed: 'past_due',
    schedule_cancel: 'trialing',
    reactivate: 'trialing',
    update_payment_method: 'trialing',
    change_plan: 'trialing',
  },
  active: {
    ...LIVE_COMMON,
    renew: 'active',
    renewal_failed: 'past_due',
    pause: 'paused',
    schedule_cancel: 'active',
    reactivate: 'active',
    update_payment_method: 'active',
    change_plan: 'active',
  },
  past_due: {
    ...LIVE_COMMON,
    recover: 'active',
    retry_failed: 'past_due',
    dunning_exhausted: 'canceled',
    schedule_cancel: 'past_due',
    reactivate: 'past_due',
    update_payment_method: 'past_due',
  },
  paused: { resume: 'active', cancel: 'canceled', update_payment_method: 'paused' },
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
