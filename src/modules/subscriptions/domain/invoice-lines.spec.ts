import { describe, expect, it } from '@jest/globals';
import { periodValue, planChangeLines, planInvoiceLines, readPlanChange } from './invoice-lines.js';
import { prorate } from './proration.js';

const basic = { id: 'p1', name: 'Basic', priceCents: 1000, interval: 'month' as const };
const yearly = { id: 'p2', name: 'Yearly', priceCents: 9001, interval: 'year' as const };
const start = new Date('2025-04-01T00:00:00.000Z');
const end = new Date('2025-05-01T00:00:00.000Z');

describe('planInvoiceLines', () => {
  it('one plan line, nothing else without credit', () => {
    const r = planInvoiceLines(basic, start, end, 0);
    expect(r.lines).toHaveLength(1);
    expect(r).toMatchObject({ amountCents: 1000, creditLeft: 0 });
    expect(periodValue(r.lines)).toBe(1000);
  });

  it('takes carried credit off, up to the price', () => {
    expect(planInvoiceLines(basic, start, end, 300)).toMatchObject({ amountCents: 700, creditLeft: 0 });
    const r = planInvoiceLines(basic, start, end, 2500);
    expect(r).toMatchObject({ amountCents: 0, creditLeft: 1500 });
    expect(r.lines[1]).toMatchObject({ kind: 'credit_applied', amountCents: -1000 });
    expect(periodValue(r.lines)).toBe(1000);
  });
});

describe('planChangeLines', () => {
  const half = new Date('2025-04-16T00:00:00.000Z');

  it('upgrade: credit and charge lines, net due, and readPlanChange gives it back', () => {
    const p = prorate({
      periodStart: start,
      periodEnd: end,
      at: half,
      paidCents: 1000,
      oldInterval: 'month',
      newPriceCents: 3000,
      newInterval: 'month',
    });
    const r = planChangeLines(basic, { ...basic, id: 'p3', name: 'Pro', priceCents: 3000 }, p, 200);
    expect(r).toMatchObject({ amountCents: 800, creditLeft: 0 });
    expect(readPlanChange(r.lines, 200)).toEqual({ paidForPeriod: 1500, creditLeft: 0 });
  });

  it('downgrade: nothing due, the difference becomes credit', () => {
    const p = prorate({
      periodStart: start,
      periodEnd: end,
      at: half,
      paidCents: 1000,
      oldInterval: 'month',
      newPriceCents: 0,
      newInterval: 'month',
    });
    const r = planChangeLines(basic, { ...basic, priceCents: 0 }, p, 100);
    expect(r).toMatchObject({ amountCents: 0, creditLeft: 600 });
    expect(readPlanChange(r.lines, 100).creditLeft).toBe(600);
  });

  it('a period paid with 2 cents credits at most 2 cents back (no value from the list price)', () => {
    const p = prorate({
      periodStart: start,
      periodEnd: new Date('2026-04-01T00:00:00.000Z'),
      at: start,
      paidCents: 2,
      oldInterval: 'year',
      newPriceCents: 1000,
      newInterval: 'month',
    });
    expect(p.creditCents).toBe(2);
    expect(planChangeLines(yearly, basic, p, 0).amountCents).toBe(998);
  });
});
