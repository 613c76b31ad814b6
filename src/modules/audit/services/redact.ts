/** Field names whose values never reach the audit trail, whatever module records them. */
const SECRET = /pass(word)?|secret|token|hash|authorization|cookie|api[-_]?key|credential|private/i;

export const REDACTED = '[redacted]';

/** Deep copy of `value` with every secret-looking field replaced by "[redacted]". */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
      key,
      SECRET.test(key) ? REDACTED : redact(inner),
    ]),
  );
}

/** For updates: only the fields that changed, as `{ field: { from, to } }`. */
export function diffChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, { from: unknown; to: unknown }> {
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      changed[key] = { from: before[key], to: after[key] };
  }
  return changed;
}
