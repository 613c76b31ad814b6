import { describe, expect, it } from '@jest/globals';
import { prorate } from './proration.js';

const d = (iso: string) => new Date(iso);
const month = { periodStart: d('2025-04-01T00:00:00.000Z'), periodEnd: d('2025-05-01T00:00:00.000Z') }; // 30 days

describe('prorate', () => {
  it('same day as the period start: full credit, full charge', () => {
    const r = prorate({
      ...month,
      at: month.periodStart,
      paidCents: 1000,
      oldInterval: 'month',
      newPriceCents: 3000,
      newInterval: 'month',
    });
    expect(r).toMatchObject({ creditCents: 1000, chargeCents: 3000, netCents: 2000 });
    expect(r.periodEnd).toEqual(month.periodEnd);
  });

  it('half way: half credit, half charge', () => {
    const r = prorate({
      ...month,
      at: d('2025-04-16T00:00:00.000Z'),
      paidCents: 1000,
      oldInterval: 'month',
      newPriceCents: 3000,
      newInterval: 'month',
    });
    expect(r).toMatchObject({ creditCents: 500, chargeCents: 1500, netCents: 1000 });
  });

  it('last day: one thirtieth, credit floored and charge ceiled', () => {
    const r = prorate({
      ...month,
      at: d('2025-04-30T00:00:00.000Z'),
      paidCents: 999,
      oldInterval: 'month',
      newPriceCents: 1999,
      newInterval: 'month',
    });
    // 999/30 = 33.3 → 33; 1999/30 = 66.63 → 67
    expect(r).toMatchObject({ creditCents: 33, chargeCents: 67, netCents: 34 });
  });

  it('last millisecond: nothing left to credit or charge except rounding up the charge', () => {
    const r = prorate({
      ...month,
      at: d('2025-04-30T23:59:59.999Z'),
      paidCents: 1000,
      oldInterval: 'month',
      newPriceCents: 1000,
      newInterval: 'month',
    });
    expect(r.creditCents).toBe(0);
    expect(r.chargeCents).toBe(1);
  });

  it('at or after the period end: zero (clamped)', () => {
    const r = prorate({
      ...month,
      at: d('2025-06-01T00:00:00.000Z'),
      paidCents: 1000,
      oldInterval: 'month',
      newPriceCents: 2000,
      newInterval: 'month',
    });
    expect(r).toMatchObject({ creditCents: 0, chargeCents: 0, netCents: 0 });
  });

  it('downgrade gives a negative net (credit carried forward)', () => {
    const r = prorate({
      ...month,
      at: d('2025-04-16T00:00:00.000Z'),
      paidCents: 3000,
      oldInterval: 'month',
      newPriceCents: 1000,
      newInterval: 'month',
    });
    expect(r).toMatchObject({ creditCents: 1500, chargeCents: 500, netCents: -1000 });
  });

  it('leap year: a yearly period of 366 days weighs each day 1/366', () => {
    const leap = { periodStart: d('2024-01-01T00:00:00.000Z'), periodEnd: d('2025-01-01T00:00:00.000Z') };
    const r = prorate({
      ...leap,
      at: d('2024-12-31T00:00:00.000Z'),
      paidCents: 36600,
      oldInterval: 'year',
      newPriceCents: 73200,
      newInterval: 'year',
    });
    expect(r).toMatchObject({ creditCents: 100, chargeCents: 200 });
    const common = { periodStart: d('2025-01-01T00:00:00.000Z'), periodEnd: d('2026-01-01T00:00:00.000Z') };
    const r2 = prorate({
      ...common,
      at: d('2025-12-31T00:00:00.000Z'),
      paidCents: 36500,
      oldInterval: 'year',
      newPriceCents: 36500,
      newInterval: 'year',
    });
    expect(r2).toMatchObject({ creditCents: 100, chargeCents: 100 });
  });

  it('February in a leap year: 29 days', () => {
    const feb = { periodStart: d('2024-02-01T00:00:00.000Z'), periodEnd: d('2024-03-01T00:00:00.000Z') };
    const r = prorate({
      ...feb,
      at: d('2024-02-28T00:00:00.000Z'),
      paidCents: 2900,
      oldInterval: 'month',
      newPriceCents: 5800,
      newInterval: 'month',
    });
    expect(r).toMatchObject({ creditCents: 200, chargeCents: 400 });
  });

  it('monthly → yearly restarts the cycle now at the full yearly price, minus the unused month', () => {
    const at = d('2025-04-16T00:00:00.000Z');
    const r = prorate({
      ...month,
      at,
      paidCents: 1000,
      oldInterval: 'month',
      newPriceCents: 10000,
      newInterval: 'year',
    });
    expect(r).toMatchObject({ creditCents: 500, chargeCents: 10000, netCents: 9500 });
    expect(r.periodStart).toEqual(at);
    expect(r.periodEnd.toISOString()).toBe('2026-04-16T00:00:00.000Z');
  });

  it('yearly → monthly: big credit, negative net', () => {
    const year = { periodStart: d('2025-01-01T00:00:00.000Z'), periodEnd: d('2026-01-01T00:00:00.000Z') };
    const at = d('2025-07-02T12:00:00.000Z'); // 182.5 of 365 days used
    const r = prorate({
      ...year,
      at,
      paidCents: 12000,
      oldInterval: 'year',
      newPriceCents: 1500,
      newInterval: 'month',
    });
    expect(r.creditCents).toBe(6000);
    expect(r).toMatchObject({ chargeCents: 1500, netCents: -4500 });
    expect(r.periodEnd.toISOString()).toBe('2025-08-02T12:00:00.000Z');
  });

  it('stays exact on large amounts (no float error)', () => {
    const r = prorate({
      ...month,
      at: d('2025-04-11T00:00:00.000Z'),
      paidCents: 2_000_000_001,
      oldInterval: 'month',
      newPriceCents: 2_000_000_001,
      newInterval: 'month',
    });
    // 2/3 of 2000000001 = 1333333334 exactly
    expect(r.creditCents).toBe(1_333_333_334);
    expect(r.chargeCents).toBe(1_333_333_334);
  });

  it('rejects an empty period and negative prices', () => {
    expect(() =>
      prorate({
        periodStart: month.periodEnd,
        periodEnd: month.periodEnd,
        at: month.periodEnd,
        paidCents: 1,
        oldInterval: 'month',
        newPriceCents: 1,
        newInterval: 'month',
      }),
    ).toThrow(RangeError);
    expect(() =>
      prorate({
        ...month,
        at: month.periodStart,
        paidCents: -1,
        oldInterval: 'month',
        newPriceCents: 1,
        newInterval: 'month',
      }),
    ).toThrow(RangeError);
  });
});
