import { describe, expect, it } from '@jest/globals';
import { bucketStarts } from './payment-revenue.service.js';

describe('bucketStarts', () => {
  it('floors to UTC days and stops before `to`', () => {
    const starts = bucketStarts(new Date('2026-01-30T15:00:00Z'), new Date('2026-02-02T00:00:00Z'), 'day');
    expect(starts.map((d) => d.toISOString().slice(0, 10))).toEqual(['2026-01-30', '2026-01-31', '2026-02-01']);
  });

  it('months start on the 1st, whatever their length', () => {
    const starts = bucketStarts(new Date('2026-01-31T10:00:00Z'), new Date('2026-04-01T00:00:00Z'), 'month');
    expect(starts.map((d) => d.toISOString())).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-02-01T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
    ]);
  });
});
