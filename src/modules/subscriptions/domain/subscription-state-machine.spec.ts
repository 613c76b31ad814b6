import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../../../common/errors/domain-error.js';
import {
  canTransition,
  isLive,
  SUBSCRIPTION_EVENTS,
  SUBSCRIPTION_STATUSES,
  type SubscriptionEvent,
  type SubscriptionStatus,
  transition,
} from './subscription-state-machine.js';

/** The lifecycle written out independently of the table: every pair not listed must be refused. */
const ALLOWED: [SubscriptionStatus, SubscriptionEvent, SubscriptionStatus][] = [
  ['incomplete', 'activate', 'active'],
  ['incomplete', 'start_trial', 'trialing'],
  ['incomplete', 'cancel', 'canceled'],
  ['trialing', 'convert', 'active'],
  ['trialing', 'renewal_failed', 'past_due'],
  ['trialing', 'cancel', 'canceled'],
  ['trialing', 'end_of_term', 'canceled'],
  ['trialing', 'schedule_cancel', 'trialing'],
  ['trialing', 'change_plan', 'trialing'],
  ['trialing', 'reactivate', 'trialing'],
  ['trialing', 'update_payment_method', 'trialing'],
  ['active', 'pause', 'paused'],
  ['active', 'reactivate', 'active'],
  ['active', 'update_payment_method', 'active'],
  ['past_due', 'reactivate', 'past_due'],
  ['past_due', 'update_payment_method', 'past_due'],
  ['paused', 'resume', 'active'],
  ['paused', 'cancel', 'canceled'],
  ['paused', 'update_payment_method', 'paused'],
  ['active', 'renew', 'active'],
  ['active', 'renewal_failed', 'past_due'],
  ['active', 'cancel', 'canceled'],
  ['active', 'end_of_term', 'canceled'],
  ['active', 'schedule_cancel', 'active'],
  ['active', 'change_plan', 'active'],
  ['past_due', 'recover', 'active'],
  ['past_due', 'retry_failed', 'past_due'],
  ['past_due', 'dunning_exhausted', 'canceled'],
  ['past_due', 'cancel', 'canceled'],
  ['past_due', 'end_of_term', 'canceled'],
  ['past_due', 'schedule_cancel', 'past_due'],
];

const allowedKey = new Set(ALLOWED.map(([from, event]) => `${from}:${event}`));
const FORBIDDEN = SUBSCRIPTION_STATUSES.flatMap((from) =>
  SUBSCRIPTION_EVENTS.filter((event) => !allowedKey.has(`${from}:${event}`)).map(
    (event) => [from, event] as [SubscriptionStatus, SubscriptionEvent],
  ),
);

describe('subscription state machine', () => {
  it.each(ALLOWED)('%s --%s--> %s', (from, event, to) => {
    expect(canTransition(from, event)).toBe(true);
    expect(transition(from, event)).toBe(to);
  });

  it.each(FORBIDDEN)('%s refuses %s with 409 illegal_transition', (from, event) => {
    expect(canTransition(from, event)).toBe(false);
    let thrown: unknown;
    try {
      transition(from, event);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).status).toBe(409);
    expect((thrown as DomainError).code).toBe('illegal_transition');
  });

  it('covers every status × event pair exactly once', () => {
    expect(ALLOWED.length + FORBIDDEN.length).toBe(SUBSCRIPTION_STATUSES.length * SUBSCRIPTION_EVENTS.length);
  });

  it('canceled is terminal', () => {
    for (const event of SUBSCRIPTION_EVENTS) expect(canTransition('canceled', event)).toBe(false);
  });

  it('live statuses are trialing, active, past_due', () => {
    expect(SUBSCRIPTION_STATUSES.filter(isLive)).toEqual(['trialing', 'active', 'past_due']);
  });
});
