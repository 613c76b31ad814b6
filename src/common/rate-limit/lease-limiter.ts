import { MAX_WINDOW_ENTRIES, sweepWindows } from './window-entries.js';

/**
 * A grant of request slots reserved in the shared counter: `granted` slots ending at `count`
 * (the counter's value after the reservation), valid for `ttlMs` (the rest of the window).
 */
export interface Lease {
  count: number;
  granted: number;
  ttlMs: number;
}

/** Reserves slots for `key` in the shared counter (atomically: INCRBY of the lease size). */
export type LeaseSource = (key: string, limit: number, windowMs: number) => Promise<Lease>;

export interface Admission {
  allowed: boolean;
  /** What the caller may still send in this window, as far as this instance knows. */
  remaining: number;
  /** Milliseconds until the window resets. */
  ttlMs: number;
}

/**
 * How many slots to reserve at once, given what is left of the budget: 1 while fewer than
 * 2 × LEASE_DIVISOR slots remain (then every request is counted in the shared store, exactly as
 * without leases), else 1/LEASE_DIVISOR of what remains, at most `maxLease`. Computed by the store's
 * atomic script from the counter's current value; here for the unit tests and the docs.
 */
export const LEASE_DIVISOR = 50;
export const MAX_LEASE = 1_000;

export function leaseSize(limit: number, count: number, maxLease = MAX_LEASE): number {
  return Math.max(1, Math.min(maxLease, Math.floor((limit - count) / LEASE_DIVISOR)));
}

interface Entry {
  /** Slots of the current lease not used yet. */
  left: number;
  /** The shared counter's value when the lease was taken (includes the whole lease). */
  count: number;
  resetAt: number;
}

/**
 * The global per-client budget without a shared-store round trip per request: this instance reserves
 * slots in the shared counter in leases (many at once while the client is far from its limit, one
 * at a time near it) and admits requests from its lease in memory.
 *
 * Bounds, for a limit L over N instances in one window:
 * - never more than L requests are admitted: each admission uses a slot reserved atomically in the
 *   shared counter, and slots past L are never usable (no overshoot);
 * - a client may be refused before L when slots sit unused in other instances' leases: at most one
 *   lease per instance, each at most max(1, (L − count) / 50) ≤ L / 50 and ≤ 1,000 slots, so at most
 *   (N − 1) × min(L / 50, 1,000) slots are stranded; with fewer than 100 slots left leases are single
 *   slots and the count is exact (every request is one atomic increment, as before).
 * Concurrent requests of one client that find no slot share one lease request.
 */
export class LeaseLimiter {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Admission>>();

  constructor(
    private readonly source: LeaseSource,
    private readonly now: () => number = Date.now,
  ) {}

  async admit(key: string, limit: number, windowMs: number): Promise<Admission> {
    const local = this.takeLocal(key, limit);
    if (local) return local;
    // Share a lease request already on its way, then try again; if it did not bring enough, ask alone.
    const pending = this.inflight.get(key);
    if (pending) {
      await pending.catch(() => undefined);
      const shared = this.takeLocal(key, limit);
      if (shared) return shared;
    }
    return this.fetch(key, limit, windowMs);
  }

  /** Decided from this instance's lease alone, without waiting: undefined when that needs the shared store. */
  admitLocally(key: string, limit: number): Admission | undefined {
    return this.takeLocal(key, limit);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Asks for a lease and decides the asking request from it: its slot is taken before the rest is
   * kept for later requests (so a lease that arrives as its window ends, or that concurrent requests
   * would empty first, still admits the request that paid for it, and never more than it holds).
   */
  private fetch(key: string, limit: number, windowMs: number): Promise<Admission> {
    const request = this.source(key, limit, windowMs).then((lease) => {
      const now = this.now();
      // Slots past the limit are not usable: a lease that straddles it is cut there.
      const usable = Math.max(0, Math.min(lease.granted, limit - (lease.count - lease.granted)));
      const previous = this.entries.get(key);
      const carried = previous && previous.resetAt > now ? previous.left : 0;
      const left = carried + Math.max(0, usable - 1);
      if (!previous && this.entries.size >= MAX_WINDOW_ENTRIES) sweepWindows(this.entries, now);
      this.entries.set(key, { left, count: lease.count, resetAt: now + lease.ttlMs });
      if (usable === 0) return this.refusal(lease, limit);
      return { allowed: true, remaining: Math.max(0, limit - (lease.count - left)), ttlMs: lease.ttlMs };
    });
    this.inflight.set(key, request);
    const clear = () => {
      if (this.inflight.get(key) === request) this.inflight.delete(key);
    };
    request.then(clear, clear);
    return request;
  }

  private takeLocal(key: string, limit: number): Admission | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (entry.resetAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    if (entry.left <= 0) return undefined;
    entry.left -= 1;
    return { allowed: true, remaining: Math.max(0, limit - (entry.count - entry.left)), ttlMs: entry.resetAt - now };
  }

  private refusal(lease: Lease, limit: number): Admission {
    return { allowed: false, remaining: Math.max(0, limit - lease.count), ttlMs: lease.ttlMs };
  }
}
