/**
 * A small in-process cache (first level, in front of Redis) whose entries are dropped on every
 * instance through `InvalidationBus`. It is only trusted while the bus is connected: `InvalidationBus`
 * clears it and switches it off whenever its subscriber connection is down, because invalidations
 * published meanwhile would be missed.
 *
 * Read-load-store race: a reader takes a `ticket()` before it loads, and `set()` ignores the value if
 * any invalidation arrived in between, so an old value loaded before a write can't be stored after it.
 */
export class NearCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();
  /** Bumped on every invalidation; a load that started before a bump is not stored. */
  private epoch = 0;
  private active = false;

  constructor(
    readonly ttlMs: number,
    readonly maxEntries: number,
  ) {}

  get enabled(): boolean {
    return this.active && this.ttlMs > 0;
  }

  get(key: string): T | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  ticket(): number {
    return this.epoch;
  }

  set(key: string, value: T, ticket: number): void {
    if (!this.enabled || ticket !== this.epoch) return;
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
  }

  delete(keys: readonly string[]): void {
    this.epoch++;
    for (const key of keys) this.entries.delete(key);
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
  }

  /** Called by the bus: on while its subscriber is connected, off (and empty) otherwise. */
  setActive(active: boolean): void {
    this.clear();
    this.active = active;
  }

  get size(): number {
    return this.entries.size;
  }
}
