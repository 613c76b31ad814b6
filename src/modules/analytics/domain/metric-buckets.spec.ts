import { describe, expect, it } from '@jest/globals';
import { bucketBoundaries, bucketCount, bucketKey, bucketStart } from './metric-buckets.js';

const at = (iso: string) => new Date(iso);
const isoList = (dates: Date[]) => dates.map((date) => date.toISOString());

describe('metric buckets', () => {
  it('a day bucket starts at 00:00Z, a month bucket on the 1st at 00:00Z', () => {
    expect(bucketStart(at('2026-03-15T23:59:59.999Z'), 'day').toISOString()).toBe('2026-03-15T00:00:00.000Z');
    expect(bucketStart(at('2026-03-15T23:59:59.999Z'), 'month').toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('lists day boundaries from the bucket of `from` through the bucket of `to`, plus the last end', () => {
    expect(isoList(bucketBoundaries(at('2026-02-27T12:00:00Z'), at('2026-03-01T00:00:00Z'), 'day'))).toEqual([
      '2026-02-27T00:00:00.000Z',
      '2026-02-28T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
    ]);
  });

  it('month boundaries cross a year end', () => {
    expect(isoList(bucketBoundaries(at('2026-11-30T00:00:00Z'), at('2027-01-31T23:00:00Z'), 'month'))).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
      '2027-02-01T00:00:00.000Z',
    ]);
  });

  it('counts buckets without listing them, equal to the listed count', () => {
    const cases: [string, string, 'day' | 'month'][] = [
      ['2026-01-01T00:00:00Z', '2026-12-31T23:59:59Z', 'day'],
      ['2024-02-28T00:00:00Z', '2024-03-01T00:00:00Z', 'day'],
      ['2026-11-30T00:00:00Z', '2027-01-31T23:00:00Z', 'month'],
      ['2026-05-05T00:00:00Z', '2026-05-05T10:00:00Z', 'month'],
    ];
    for (const [from, to, interval] of cases) {
      expect(bucketCount(at(from), at(to), interval)).toBe(bucketBoundaries(at(from), at(to), interval).length - 1);
    }
    expect(bucketCount(at('2026-01-01T00:00:00Z'), at('2026-12-31T00:00:00Z'), 'day')).toBe(365);
  });

  it('keys a bucket by the date of its start', () => {
    expect(bucketKey(at('2026-03-01T00:00:00.000Z'))).toBe('2026-03-01');
  });
});
