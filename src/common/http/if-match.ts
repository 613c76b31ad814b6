import { badRequest } from '../errors/domain-error.js';

/**
 * The one If-Match parser (optimistic concurrency on versioned resources): `3`, `"3"` or `W/"3"`
 * → 3; no header → undefined; anything else is a 400 `invalid_if_match`. Controllers parse, services
 * compare the number with the row's version (412 on mismatch).
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,10})"?\s*$/.exec(header);
  if (!match) {
    throw badRequest('invalid_if_match', 'If-Match must be the resource version', [
      { field: 'If-Match', message: 'must be the version (an integer)' },
    ]);
  }
  return Number(match[1]);
}
