import { describe, expect, it } from '@jest/globals';
import { MemoryCounterStore } from './counter-store.js';

describe(MemoryCounterStore.name, () => {
  it('counts within a fixed window that starts at the first increment', async () => {
    let now = 1_000;
    const store = new MemoryCounterStore(() => now);
    expect(await store.add('k', 60_000)).toEqual({ count: 1, ttlMs: 60_000 });
    now += 10_000;
    expect(await store.add('k', 60_000)).toEqual({ count: 2, ttlMs: 50_000 });
    expect(await store.peek('k')).toEqual({ count: 2, ttlMs: 50_000 });
  });

  it('starts over when the window ends', async () => {
    let now = 0;
    const store = new MemoryCounterStore(() => now);
    await store.add('k', 1_000);
    await store.add('k', 1_000);
    now = 1_000;
    expect(await store.peek('k')).toEqual({ count: 0, ttlMs: 0 });
    expect(await store.add('k', 1_000)).toEqual({ count: 1, ttlMs: 1_000 });
  });

  it('keeps keys apart and resets one', async () => {
    const store = new MemoryCounterStore(() => 0);
    await store.add('a', 1_000);
    await store.add('b', 1_000);
    await store.reset('a');
    expect((await store.peek('a')).count).toBe(0);
    expect((await store.peek('b')).count).toBe(1);
  });

  it('does not grow without bound', async () => {
    let now = 0;
    const store = new MemoryCounterStore(() => now);
    for (let i = 0; i < 100_000; i++) await store.add(`old-${i}`, 10);
    now = 20;
    await store.add('fresh', 10);
    expect(store.size).toBe(1);
  });
});
