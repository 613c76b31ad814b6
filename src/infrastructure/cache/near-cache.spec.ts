import { describe, expect, it } from '@jest/globals';
import { NearCache } from './near-cache.js';

describe(NearCache.name, () => {
  const active = (ttlMs = 1_000, max = 10) => {
    const cache = new NearCache<string>(ttlMs, max);
    cache.setActive(true);
    return cache;
  };

  it('serves what was stored while active', () => {
    const cache = active();
    cache.set('a', 'A', cache.ticket());
    expect(cache.get('a')).toBe('A');
  });

  it('does not store a value loaded before an invalidation (read-load-store race)', () => {
    const cache = active();
    const ticket = cache.ticket(); // a reader starts loading the old value
    cache.delete(['a']); // a writer commits and invalidates
    cache.set('a', 'old', ticket); // the reader finishes
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', 'new', cache.ticket());
    expect(cache.get('a')).toBe('new');
  });

  it('is empty and stores nothing while inactive (pub/sub down), and empty again when back', () => {
    const cache = active();
    cache.set('a', 'A', cache.ticket());
    cache.setActive(false);
    expect(cache.get('a')).toBeUndefined();
    cache.set('b', 'B', cache.ticket());
    expect(cache.size).toBe(0);
    cache.setActive(true);
    expect(cache.get('a')).toBeUndefined();
  });

  it('is off with a zero TTL, and entries expire after the TTL', async () => {
    const off = active(0);
    off.set('a', 'A', off.ticket());
    expect(off.get('a')).toBeUndefined();
    const short = active(5);
    short.set('a', 'A', short.ticket());
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(short.get('a')).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = active(1_000, 2);
    for (const key of ['a', 'b', 'c']) cache.set(key, key, cache.ticket());
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe('b');
    expect(cache.get('c')).toBe('c');
  });
});
