// Pure helpers for the report. Kept tiny on purpose: the whole noise strategy is "pairwise ratios, then the median".

/** Median of finite numbers; NaN for an empty list. */
export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Ratio of each run to the run it was paired with (same index), then the median of those ratios. */
export function medianOfRatios(subject, reference) {
  const n = Math.min(subject.length, reference.length);
  const ratios = [];
  for (let i = 0; i < n; i++) ratios.push(reference[i] > 0 ? subject[i] / reference[i] : NaN);
  return { ratios, median: median(ratios) };
}

/** Rounds for display without turning NaN into a number. */
export function round(value, digits = 2) {
  if (!Number.isFinite(value)) return 'n/a';
  const f = 10 ** digits;
  return String(Math.round(value * f) / f);
}

/** Nearest-rank percentile (p in 0..100) of an ascending-sorted array-like; NaN when empty. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}
