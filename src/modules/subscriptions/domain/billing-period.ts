export type BillingInterval = 'month' | 'year';
export const BILLING_INTERVALS: readonly BillingInterval[] = ['month', 'year'];

const DAY_MS = 86_400_000;

/**
 * `from` plus one interval in UTC. Month ends clamp: Jan 31 + 1 month = Feb 28 (29 in leap years),
 * Feb 29 + 1 year = Feb 28. The time of day is kept.
 */
export function addInterval(from: Date, interval: BillingInterval, count = 1): Date {
  const months = interval === 'month' ? count : 12 * count;
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + months;
  const targetYear = year + Math.floor(month / 12);
  const targetMonth = ((month % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(from.getUTCDate(), lastDay);
  return new Date(
    Date.UTC(
      targetYear,
      targetMonth,
      day,
      from.getUTCHours(),
      from.getUTCMinutes(),
      from.getUTCSeconds(),
      from.getUTCMilliseconds(),
    ),
  );
}

export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}

export function addHours(from: Date, hours: number): Date {
  return new Date(from.getTime() + hours * 3_600_000);
}

/**
 * The first period boundary after `after` on the calendar of `anchor`: anchor + k intervals (k ≥ 1),
 * each clamped to its month's last day but always counted from the anchor, so an anchor on the 31st
 * renews Feb 28 (29), then Mar 31, Apr 30 — never drifting to the 28th.
 */
export function nextPeriodEnd(anchor: Date, interval: BillingInterval, after: Date): Date {
  const step = interval === 'month' ? 1 : 12;
  const months = (after.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (after.getUTCMonth() - anchor.getUTCMonth());
  let k = Math.max(1, Math.floor(months / step));
  while (addInterval(anchor, interval, k) <= after) k++;
  while (k > 1 && addInterval(anchor, interval, k - 1) > after) k--;
  return addInterval(anchor, interval, k);
}
