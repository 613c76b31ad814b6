import { type Lease, leaseSize } from './lease-limiter.js';
import { MAX_WINDOW_ENTRIES, sweepWindows } from './window-entries.js';

/** A fixed-window tally. */
export interface Tally {
  /** Increments in the current window (including this one, for `add`). */
  count: number;
  /** Milliseconds until the window resets (0 when there is no tally). */
  ttlMs: number;
}

/**
 * Fixed-window counters behind the rate limits. Two implementations: Redis (shared by every
 * instance) and memory (per instance, the fallback while Redis is unreachable).
 */
export interface CounterStore {
  /** Adds one; the window starts at the first increment and lasts `windowMs`. */
  add(key: string, windowMs: number): Promise<Tally>;
  /**
   * Reserves a lease of slots against `limit` (see LeaseLimiter): adds leaseSize(limit, count) at once,
   * starting the window on the first increment; returns the counter after it and the lease size.
   */
  lease(key: string, limit: number, windowMs: number): Promise<Lease>;
  /** Reads without changing. */
  peek(key: string): Promise<Tally>;
  reset(key: string): Promise<void>;
}

interface Entry {
  count: number;
  resetAt: number;
}

/** Per-instance counters. Expired entries go on access, and in a sweep when the map grows large. */
export class MemoryCounterStore implements CounterStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async add(key: string, windowMs: number): Promise<Tally> {
    const now = this.now();
    const entry = this.window(key, windowMs, now);
    entry.count += 1;
    return { count: entry.count, ttlMs: entry.resetAt - now };
  }

  async lease(key: string, limit: number, windowMs: number): Promise<Lease> {
    const now = this.now();
    const entry = this.window(key, windowMs, now);
    const granted = leaseSize(limit, entry.count);
    entry.count += granted;
    return { count: entry.count, granted, ttlMs: entry.resetAt - now };
  }

  async peek(key: string): Promise<Tally> {
    const now = this.now();
    const entry = this.live(key, now);
    return entry ? { count: entry.count, ttlMs: entry.resetAt - now } : { count: 0, ttlMs: 0 };
  }

  async reset(key: string): Promise<void> {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The key's current window, opened now (count 0) when it has none. */
  private window(key: string, windowMs: number, now: number): Entry {
    const live = this.live(key, now);
    if (live) return live;
    if (this.entries.size >= MAX_WINDOW_ENTRIES) sweepWindows(this.entries, now);
    const entry = { count: 0, resetAt: now + windowMs };
    this.entries.set(key, entry);
    return entry;
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.resetAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
