import { describe, expect, it } from '@jest/globals';
import { addInterval } from './billing-period.js';

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
