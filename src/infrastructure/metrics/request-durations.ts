import type { Histogram } from 'prom-client';

type Labels = 'method' | 'route' | 'status';

/** prom-client's own record of one label set (Histogram's internal `hashMap` values). */
interface LabelSetValues {
  labels: Record<string, string | number>;
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
}
interface HistogramInternals {
  hashMap: Record<string, LabelSetValues>;
  upperBounds: number[];
}

/**
 * The request-duration histogram's per-request observation, without prom-client's per-call work:
 * `Histogram.observe(labels, value)` validates the label names, builds a hash string of the labels
 * and converts the bucket bound to a property key on every call (~14k instructions per request,
 * measured with bench/instructions.mjs). Here the first observation of a label set goes through
 * `observe` (prom-client creates its record); later ones update that same record directly, with the
 * bucket keys computed once. What /metrics exposes is prom-client's own output of its own records,
 * identical to plain `observe` (pinned by request-durations.spec.ts); after `reset()` (a new record
 * map) the records are looked up again. Falls back to plain `observe` if the internals differ.
 */
export class RequestDurations {
  /**
   * prom-client's records by route, then method and status: the route is looked up as given (the same
   * string object on every request of a route, its hash computed once) and its few label sets compared
   * in place, so an observation builds no key string (that was a concatenation and a hash per request).
   */
  private readonly records = new Map<string, { method: string; status: number; values: LabelSetValues }[]>();
  private readonly internals: HistogramInternals | undefined;
  private readonly boundKeys: string[];
  private recordsOf: HistogramInternals['hashMap'] | undefined;

  constructor(private readonly histogram: Histogram<Labels>) {
    const candidate = histogram as unknown as Partial<HistogramInternals>;
    this.internals =
      typeof candidate.hashMap === 'object' && Array.isArray(candidate.upperBounds)
        ? (candidate as HistogramInternals)
        : undefined;
    this.boundKeys = (this.internals?.upperBounds ?? []).map(String);
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    const internals = this.internals;
    if (!internals) return this.histogram.observe({ method, route, status }, seconds);
    if (internals.hashMap !== this.recordsOf) {
      this.records.clear();
      this.recordsOf = internals.hashMap;
    }
    const sets = this.records.get(route);
    let record: LabelSetValues | undefined;
    if (sets) {
      for (const set of sets) {
        if (set.status === status && set.method === method) {
          record = set.values;
          break;
        }
      }
    }
    if (!record) {
      this.histogram.observe({ method, route, status }, seconds);
      const created = Object.values(internals.hashMap).find(
        (values) => values.labels.method === method && values.labels.route === route && values.labels.status === status,
      );
      if (created) {
        if (sets) sets.push({ method, status, values: created });
        else this.records.set(route, [{ method, status, values: created }]);
      }
      return;
    }
    record.sum += seconds;
    record.count += 1;
    const bounds = internals.upperBounds;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= bounds[i]!) {
        record.bucketValues[this.boundKeys[i]!]! += 1;
        return;
      }
    }
  }
}
