/** Per-instance window maps (memory counters, leases) hold at most this many keys. */
export const MAX_WINDOW_ENTRIES = 100_000;

/**
 * Drops the entries whose window has ended; if the map is still full (many distinct clients at once),
 * forgets the oldest half (Map order is insertion order) rather than grow without bound.
 */
export function sweepWindows(entries: Map<string, { resetAt: number }>, now: number): void {
  for (const [key, entry] of entries) if (entry.resetAt <= now) entries.delete(key);
  let drop = entries.size >= MAX_WINDOW_ENTRIES ? entries.size / 2 : 0;
  for (const key of entries.keys()) {
    if (drop-- <= 0) break;
    entries.delete(key);
  }
}
