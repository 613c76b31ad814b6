import { describe, expect, it } from '@jest/globals';
import { MAX_WINDOW_ENTRIES, sweepWindows } from './window-entries.js';

describe('sweepWindows', () => {
  const filled = (count: number, resetAt: (i: number) => number) =>
    new Map(Array.from({ length: count }, (_, i) => [`k${i}`, { resetAt: resetAt(i) }] as const));

  it('drops only the windows that have ended', () => {
    const entries = filled(10, (i) => (i % 2 === 0 ? 5 : 50));
    sweepWindows(entries, 10);
    expect([...entries.keys()]).toEqual(['k1', 'k3', 'k5', 'k7', 'k9']);
  });

  it('still full of live windows: forgets the oldest half, keeps the newest', () => {
    const entries = filled(MAX_WINDOW_ENTRIES, () => 100);
    sweepWindows(entries, 0);
    expect(entries.size).toBe(MAX_WINDOW_ENTRIES / 2);
    expect(entries.has('k0')).toBe(false);
    expect(entries.has(`k${MAX_WINDOW_ENTRIES - 1}`)).toBe(true);
  });
});
