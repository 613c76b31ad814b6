import { addInterval, type BillingInterval } from './billing-period.js';

export interface ProrationInput {
  /** The current period, [start, end). */
  periodStart: Date;
  periodEnd: Date;
  /** The moment of the change (clamped into the period). */
  at: Date;
  /**
   * What the customer really paid (cash and credit) for the rest of the period from `paidFrom`
   * on: the period's invoice, or the prorated charge of the last plan change. Never the list price.
   */
  paidCents: number;
  /** Defaults to the period start. */
  paidFrom?: Date;
  oldInterval: BillingInterval;
  newPriceCents: number;
  newInterval: BillingInterval;
}

export interface ProrationResult {
  /** Unused part of what was paid, given back (>= 0). */
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
 * Rounding rule: credit = floor(paid × unused / paidSpan), charge = ceil(newPrice × remaining / length),
 * exact integer arithmetic (BigInt), so each amount is off by less than one minor unit and the rounding
 * never favours the customer (a credit is never rounded up, a charge never down). The credit comes
 * from what was actually paid, so a period paid with 2 cents gives back at most 2 cents.
 *
 * - Same interval: the period is kept; the new plan is charged for the remaining fraction of it.
 * - Interval change (month ↔ year): the billing cycle restarts now: a new period [at, at + new interval)
 *   at the full new price, minus the credit for the unused part of the old period.
 */
export function prorate(input: ProrationInput): ProrationResult {
  const start = input.periodStart.getTime();
  const end = input.periodEnd.getTime();
  if (!(end > start)) throw new RangeError('period must have a positive length');
  if (input.paidCents < 0 || input.newPriceCents < 0) throw new RangeError('amounts must not be negative');
  const paidFrom = Math.min(Math.max((input.paidFrom ?? input.periodStart).getTime(), start), end);
  const at = Math.min(Math.max(input.at.getTime(), paidFrom), end);
  const remaining = BigInt(end - at);
  const paidSpan = BigInt(end - paidFrom);

  const creditCents = paidSpan > 0n ? Number((BigInt(input.paidCents) * remaining) / paidSpan) : 0;
  if (input.oldInterval === input.newInterval) {
    const chargeCents = Number(ceilDiv(BigInt(input.newPriceCents) * remaining, BigInt(end - start)));
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
