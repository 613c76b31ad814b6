import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MetricInterval } from '../domain/metric-buckets.js';
import type { MrrMovementKind } from '../entities/mrr-movement.entity.js';

/** The bucket of a day as SQL selects it: the date of the bucket's start (matches bucketKey()). */
const BUCKET_OF: Record<MetricInterval, string> = {
  day: "DATE_FORMAT(day, '%Y-%m-%d')",
  month: "DATE_FORMAT(day, '%Y-%m-01')",
};
/** Days group by the key column itself (index order, no temporary table); months by their expression. */
const GROUP_OF: Record<MetricInterval, string> = { day: 'day', month: 'bucket' };

/**
 * MRR at the start of a day: the signed sum of the currency's daily totals before it (a primary-key
 * range of mrr_daily_totals: at most days × kinds × shards rows, whatever the number of movements).
 */
export const MRR_BEFORE_SQL = `SELECT COALESCE(SUM(IF(kind IN ('new', 'expansion', 'reactivation'), amount_cents, -amount_cents)), 0) AS mrr
  FROM mrr_daily_totals WHERE currency = ? AND day < ?`;

/** Movements per bucket and kind over the days [from, to): a primary-key range; ORDER BY NULL: the caller orders. */
export const bucketTotalsSql = (interval: MetricInterval) =>
  `SELECT ${BUCKET_OF[interval]} AS bucket, kind, SUM(amount_cents) AS cents
  FROM mrr_daily_totals WHERE currency = ? AND day >= ? AND day < ?
  GROUP BY ${GROUP_OF[interval]}, kind ORDER BY NULL`;

export interface BucketTotal {
  bucket: string;
  kind: MrrMovementKind;
  cents: number;
}

/**
 * Every read for the MRR metrics: from the daily totals, never the movements themselves (EXPLAIN-pinned).
 * Instants are bucket starts (00:00Z), passed as dates. `source`: the primary by default, or the replica
 * ReadReplicas chose.
 */
@Injectable()
export class MrrMovementRepository {
  constructor(private readonly dataSource: DataSource) {}

  async mrrBefore(currency: string, before: Date, source: DataSource = this.dataSource): Promise<number> {
    const [row] = await source.query<{ mrr: string | number }[]>(MRR_BEFORE_SQL, [currency, utcDay(before)]);
    return Number(row.mrr);
  }

  async bucketTotals(
    currency: string,
    from: Date,
    to: Date,
    interval: MetricInterval,
    source: DataSource = this.dataSource,
  ): Promise<BucketTotal[]> {
    const rows = await source.query<{ bucket: string | Date; kind: MrrMovementKind; cents: string | number }[]>(
      bucketTotalsSql(interval),
      [currency, utcDay(from), utcDay(to)],
    );
    // The driver may type a formatted date as a DATE (a Date at 00:00Z): keyed the same either way.
    return rows.map((row) => ({
      bucket: typeof row.bucket === 'string' ? row.bucket : utcDay(row.bucket),
      kind: row.kind,
      cents: Number(row.cents),
    }));
  }
}

function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
