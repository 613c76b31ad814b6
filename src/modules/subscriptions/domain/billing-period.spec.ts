import { describe, expect, it } from '@jest/globals';
import { addInterval, nextPeriodEnd } from './billing-period.js';

const d = (iso: string) => new Date(iso);

describe('addInterval', () => {
  it.each([
    ['2025-01-15T10:00:00.000Z', 'month', '2025-02-15T10:00:00.000Z'],
    ['2025-01-31T10:00:00.000Z', 'month', '2025-02-28T10:00:00.000Z'],
    ['2024-01-31T10:00:00.000Z', 'month', '2024-02-29T10:00:00.000Z'],
    ['2025-12-31T23:59:59.999Z', 'month', '2026-01-31T23:59:59.999Z'],
    ['2024-02-29T00:00:00.000Z', 'year', '2025-02-28T00:00:00.000Z'],
    ['2023-03-01T00:00:00.000Z', 'year', '2024-03-01T00:00:00.000Z'],
  ] as const)('%s + 1 %s = %s', (from, interval, expected) => {
    expect(addInterval(d(from), interval).toISOString()).toBe(expected);
  });

  it('adds several intervals at once', () => {
    expect(addInterval(d('2025-01-31T00:00:00.000Z'), 'month', 13).toISOString()).toBe('2026-02-28T00:00:00.000Z');
  });
});

describe('nextPeriodEnd', () => {
  const anchor = d('2025-01-31T09:00:00.000Z');

  it('keeps the day of month: Jan 31 → Feb 28 → Mar 31 → Apr 30', () => {
    const ends: string[] = [];
    let end = anchor;
    for (let i = 0; i < 4; i++) {
      end = nextPeriodEnd(anchor, 'month', end);
      ends.push(end.toISOString().slice(0, 10));
    }
    expect(ends).toEqual(['2025-02-28', '2025-03-31', '2025-04-30', '2025-05-31']);
  });

  it('a leap year gives Feb 29; years keep the anchor too', () => {
    expect(nextPeriodEnd(d('2024-01-31T00:00:00.000Z'), 'month', d('2024-01-31T00:00:00.000Z')).toISOString()).toBe(
      '2024-02-29T00:00:00.000Z',
    );
    const yearly = d('2024-02-29T00:00:00.000Z');
    const first = nextPeriodEnd(yearly, 'year', yearly);
    expect(first.toISOString()).toBe('2025-02-28T00:00:00.000Z');
    expect(nextPeriodEnd(yearly, 'year', d('2027-06-01T00:00:00.000Z')).toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('is the first boundary strictly after `after`', () => {
    expect(nextPeriodEnd(anchor, 'month', d('2025-03-31T08:59:59.999Z')).toISOString()).toBe(
      '2025-03-31T09:00:00.000Z',
    );
    expect(nextPeriodEnd(anchor, 'month', d('2025-03-31T09:00:00.000Z')).toISOString()).toBe(
      '2025-04-30T09:00:00.000Z',
    );
  });
});
