import { describe, expect, it } from '@jest/globals';
import { MemoryCounterStore } from './counter-store.js';
import { LeaseLimiter, leaseSize } from './lease-limiter.js';

/** N instances over one shared counter (the memory store stands in for Redis: same lease arithmetic). */
function cluster(instances: number, now: () => number = () => 0) {
  const shared = new MemoryCounterStore(now);
  let calls = 0;
  const source = (key: string, limit: number, windowMs: number) => {
    calls++;
    return shared.lease(key, limit, windowMs);
  };
  return {
    limiters: Array.from({ length: instances }, () => new LeaseLimiter(source, now)),
    calls: () => calls,
  };
}

describe('leaseSize', () => {
  it('is one slot near the limit, 1/50 of what remains further away, capped', () => {
    expect(leaseSize(30, 0)).toBe(1);
    expect(leaseSize(600, 0)).toBe(12);
    expect(leaseSize(600, 550)).toBe(1);
    expect(leaseSize(600, 700)).toBe(1);
    expect(leaseSize(10_000_000, 0)).toBe(1_000);
  });
});

describe(LeaseLimiter.name, () => {
  it('admitLocally decides from the lease without the shared store, and defers to it when the lease is empty', async () => {
    const { limiters, calls } = cluster(1);
    const limiter = limiters[0]!;
    expect(limiter.admitLocally('k', 600)).toBeUndefined(); // no lease yet
    expect((await limiter.admit('k', 600, 60_000)).allowed).toBe(true); // takes a lease of 12, uses one
    expect(calls()).toBe(1);
    for (let i = 0; i < 11; i++) expect(limiter.admitLocally('k', 600)?.allowed).toBe(true);
    expect(limiter.admitLocally('k', 600)).toBeUndefined(); // lease used up
    expect(calls()).toBe(1);
  });

  it('is exact for a small budget spread over two instances (every request counted in the shared store)', async () => {
    const { limiters } = cluster(2);
    const allowed: boolean[] = [];
    for (let i = 0; i < 32; i++) allowed.push((await limiters[i % 2]!.admit('k', 30, 60_000)).allowed);
    expect(allowed.slice(0, 30).every(Boolean)).toBe(true);
    expect(allowed.slice(30)).toEqual([false, false]);
  });

  it('never admits more than the limit across instances, and strands at most one lease per other instance', async () => {
    const limit = 5_000;
    const { limiters } = cluster(3);
    let admitted = 0;
    // Uneven, concurrent traffic: bursts of parallel requests on a random instance.
    for (let burst = 0; burst < 400; burst++) {
      const limiter = limiters[burst % 3 === 0 ? 0 : (burst * 7) % 3]!;
      const results = await Promise.all(Array.from({ length: 20 }, () => limiter.admit('k', limit, 60_000)));
      admitted += results.filter((r) => r.allowed).length;
    }
    expect(admitted).toBeLessThanOrEqual(limit);
    expect(admitted).toBeGreaterThanOrEqual(limit - 2 * (limit / 50));
  });

  it('makes one shared-store call per lease, not per request, far from the limit', async () => {
    const { limiters, calls } = cluster(1);
    for (let i = 0; i < 10_000; i++) expect((await limiters[0]!.admit('k', 10_000_000, 60_000)).allowed).toBe(true);
    expect(calls()).toBeLessThanOrEqual(11);
  });

  it('lets concurrent requests that find no slot share one lease request', async () => {
    const { limiters, calls } = cluster(1);
    const results = await Promise.all(Array.from({ length: 100 }, () => limiters[0]!.admit('k', 1_000_000, 60_000)));
    expect(results.every((r) => r.allowed)).toBe(true);
    expect(calls()).toBe(1);
  });

  it('refuses with the time left in the window and starts over when it ends', async () => {
    let now = 0;
    const { limiters } = cluster(1, () => now);
    const limiter = limiters[0]!;
    for (let i = 0; i < 3; i++) expect((await limiter.admit('k', 3, 60_000)).allowed).toBe(true);
    now = 15_000;
    const refused = await limiter.admit('k', 3, 60_000);
    expect(refused).toEqual({ allowed: false, remaining: 0, ttlMs: 45_000 });
    now = 60_000;
    expect((await limiter.admit('k', 3, 60_000)).allowed).toBe(true);
    expect((await limiter.admit('other', 3, 60_000)).remaining).toBe(2);
  });
});

describe(`${LeaseLimiter.name} at the end of a window`, () => {
  it('admits the request whose lease arrives with no time left in the window', async () => {
    const limiter = new LeaseLimiter(async () => ({ count: 1, granted: 1, ttlMs: 0 }));
    expect(await limiter.admit('k', 10, 60_000)).toEqual({ allowed: true, remaining: 9, ttlMs: 0 });
  });
});
