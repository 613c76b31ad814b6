/**
 * The rows an order adds to (or, fully refunded, takes from) the pair counts: every ordered pair (a, b) of
 * its distinct products with a ≠ b, in key order (a, then b), so that concurrent orders lock shared rows in
 * one order. n distinct products give n(n−1) pairs.
 */
export function coPurchasePairs(productIds: readonly string[]): [string, string][] {
  const ids = distinctSorted(productIds);
  const pairs: [string, string][] = [];
  for (const a of ids) for (const b of ids) if (a !== b) pairs.push([a, b]);
  return pairs;
}

export function distinctSorted(productIds: readonly string[]): string[] {
  return [...new Set(productIds)].sort();
}
