import { describe, expect, it } from '@jest/globals';
import { businessTime } from './business-time.js';

describe('businessTime', () => {
  it("is the run's instant inside it, across awaits and nested calls", async () => {
    const asOf = new Date('2031-05-01T00:01:00.000Z');
    const seen = await businessTime.run(asOf, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      const nested = await Promise.resolve().then(() => businessTime.now());
      return [businessTime.now(), nested];
    });
    expect(seen).toEqual([asOf, asOf]);
  });

  it('is the wall clock outside a run (a request, the reconcile job)', async () => {
    const asOf = new Date('2031-05-01T00:01:00.000Z');
    const running = businessTime.run(asOf, () => new Promise((resolve) => setTimeout(resolve, 5)));
    const before = Date.now();
    const now = businessTime.now().getTime();
    await running;
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
