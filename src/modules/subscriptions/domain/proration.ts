import { addInterval, type BillingInterval } from './billing-period.js';

export interface ProrationInput {
  /** The current period, [start, end). */
  periodStart: Date;
  periodEnd: Date;
  /** The moment of the change (clamped into the period). */
  at: Date;
  /** What the current period was billed at (the rate locked for it), minor units. */
  oldPriceCents: number;
  oldInterval: BillingInterval;
  newPriceCents: number;
  newInterval: BillingInterval;
}

export interface ProrationResult {
  /** Unused part of the old plan, given back (>= 0). */
  creditCents: number;
  /** The new plan for the (new or remaining) period (>= 0). */
  chargeCents: number;
  /** charge - credit: positive = to collect now, negative = credit carried to the next invoice. */
  netCents: number;
  /** The period the subscription is in after the change. */
  periodStart: Date;
  periodEnd: Date;
}

/**
 * Proration for an immediate plan change, in integer minor units, on milliseconds.
 *
 * Rounding rule: credit = floor(oldPrice × remaining / length), charge = ceil(newPrice × remaining / length),
 * exact integer arithmetic (BigInt), so each amount is off by less than one minor unit and the rounding
 * never favours the customer (a credit is never rounded up, a charge never down).
 *
 * - Same interval: the period is kept; the new plan is charged for the remaining fraction of it.
 * - Interval change (month ↔ year): the billing cycle restarts now: a new period [at, at + new interval)
 *   at the full new price, minus the credit for the unused fraction of the old period.
 * Length and remaining are measured on the real calendar period, so leap years and short months
 * weigh exactly what they last.
 */
export function prorate(input: ProrationInput): ProrationResult {
  const start = input.periodStart.getTime();
  const end = input.periodEnd.getTime();
  if (!(end > start)) throw new RangeError('period must have a positive length');
  if (input.oldPriceCents < 0 || input.newPriceCents < 0) throw new RangeError('prices must not be negative');
  const at = Math.min(Math.max(input.at.getTime(), start), end);
  const length = BigInt(end - start);
  const remaining = BigInt(end - at);

  const creditCents = Number((BigInt(input.oldPriceCents) * remaining) / length);
  if (input.oldInterval === input.newInterval) {
    const chargeCents = Number(ceilDiv(BigInt(input.newPriceCents) * remaining, length));
    return {
      creditCents,
      chargeCents,
      netCents: chargeCents - creditCents,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
    };
  }
  const newStart = new Date(at);
  return {
    creditCents,
    chargeCents: input.newPriceCents,
    netCents: input.newPriceCents - creditCents,
    periodStart: newStart,
    periodEnd: addInterval(newStart, input.newInterval),
  };
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
