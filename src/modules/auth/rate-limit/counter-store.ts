/** A request counted against a fixed window: the throttler semantics of @nestjs/throttler. */
export interface HitResult {
  /** Hits in the current window, including this one. */
  totalHits: number;
  /** Milliseconds until the window resets. */
  windowMs: number;
  blocked: boolean;
  /** Milliseconds until the block ends (0 when not blocked). */
  blockMs: number;
}

export interface Tally {
  count: number;
  /** Milliseconds until the tally resets (0 when there is none). */
  ttlMs: number;
}

/**
 * Fixed-window counters behind the rate limits. Two implementations: Redis (shared by every
 * instance) and memory (per instance, the fallback while Redis is unreachable).
 */
export interface CounterStore {
  /** Count a request; once hits exceed `limit` the key is blocked for `blockMs` (not counting meanwhile). */
  hit(key: string, windowMs: number, limit: number, blockMs: number): Promise<HitResult>;
  /** Read a tally without changing it. */
  peek(key: string): Promise<Tally>;
  /** Add one to a tally that resets `windowMs` after its first increment. */
  add(key: string, windowMs: number): Promise<Tally>;
  reset(key: string): Promise<void>;
}

interface Entry {
  count: number;
  resetAt: number;
  blockedUntil: number;
}

const MAX_ENTRIES = 100_000;

/** Per-instance counters (Map). Expired entries are dropped on access and when the map grows large. */
export class MemoryCounterStore implements CounterStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, windowMs: number, limit: number, blockMs: number): Promise<HitResult> {
    const now = this.now();
    const entry = this.live(key, now) ?? this.create(key, now, windowMs);
    if (entry.blockedUntil > now) {
      return {
        totalHits: entry.count,
        windowMs: entry.resetAt - now,
        blocked: true,
        blockMs: entry.blockedUntil - now,
      };
    }
    entry.count += 1;
    if (entry.count > limit) {
      entry.blockedUntil = now + blockMs;
      entry.resetAt = Math.max(entry.resetAt, entry.blockedUntil);
      return { totalHits: entry.count, windowMs: entry.resetAt - now, blocked: true, blockMs };
    }
    return { totalHits: entry.count, windowMs: entry.resetAt - now, blocked: false, blockMs: 0 };
  }

  async peek(key: string): Promise<Tally> {
    const now = this.now();
    const entry = this.live(key, now);
    return entry ? { count: entry.count, ttlMs: entry.resetAt - now } : { count: 0, ttlMs: 0 };
  }

  async add(key: string, windowMs: number): Promise<Tally> {
    const now = this.now();
    const entry = this.live(key, now) ?? this.create(key, now, windowMs);
    entry.count += 1;
    return { count: entry.count, ttlMs: entry.resetAt - now };
  }

  async reset(key: string): Promise<void> {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private live(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.resetAt <= now && entry.blockedUntil <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private create(key: string, now: number, windowMs: number): Entry {
    if (this.entries.size >= MAX_ENTRIES) this.sweep(now);
    const entry = { count: 0, resetAt: now + windowMs, blockedUntil: 0 };
    this.entries.set(key, entry);
    return entry;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.resetAt <= now && entry.blockedUntil <= now) this.entries.delete(key);
    }
    // Still full (an attack with many keys): forget the oldest half rather than grow without bound.
    if (this.entries.size >= MAX_ENTRIES) {
      let drop = this.entries.size / 2;
      for (const key of this.entries.keys()) {
        if (drop-- <= 0) break;
        this.entries.delete(key);
      }
    }
  }
}
