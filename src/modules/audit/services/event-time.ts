/**
 * Event ids are UUID v7: the first 48 bits are the Unix time in milliseconds. `record()` stores that
 * same instant as `occurred_at`, so a time range is an id range (served by the primary key, in
 * "newest first" order, combinable with every other filter's (column, id) index).
 */
export function idTimestamp(id: string): number {
  const hex = id.slice(0, 8) + id.slice(9, 13);
  return Number.parseInt(hex, 16);
}

/** The smallest UUID v7 string whose time is `ms`: every id recorded at or after `ms` sorts >= it. */
export function idLowerBound(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}
