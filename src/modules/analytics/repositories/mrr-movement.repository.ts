import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MetricInterval } from '../domain/metric-buckets.js';
import type { MrrMovementKind } from '../entities/mrr-movement.entity.js';

/** The bucket of a movement as SQL groups it: the date of the bucket's start (matches bucketKey()). */
const BUCKET_OF: Record<MetricInterval, string> = {
  day: "DATE_FORMAT(occurred_at, '%Y-%m-%d')",
  month: "DATE_FORMAT(occurred_at, '%Y-%m-01')",
};

/** MRR at an instant: the signed sum of every movement of the currency before it (index-only range scan). */
export const MRR_BEFORE_SQL = `SELECT COALESCE(SUM(IF(kind IN ('new', 'expansion', 'reactivation'), amount_cents, -amount_cents)), 0) AS mrr
  FROM mrr_movements WHERE currency = ? AND occurred_at < ?`;

/** Movements per bucket and kind in [from, to) (index-only range scan; ORDER BY NULL: no sort, the caller orders). */
export const bucketTotalsSql = (
  interval: MetricInterval,
) => `SELECT ${BUCKET_OF[interval]} AS bucket, kind, SUM(amount_cents) AS cents
  FROM mrr_movements WHERE currency = ? AND occurred_at >= ? AND occurred_at < ?
  GROUP BY bucket, kind ORDER BY NULL`;

export interface BucketTotal {
  bucket: string;
  kind: MrrMovementKind;
  cents: number;
}

/** Every read of the MRR ledger; both statements are served by idx_mrr_movements_bucket alone (EXPLAIN-pinned). */
@Injectable()
export class MrrMovementRepository {
  constructor(private readonly dataSource: DataSource) {}

  async mrrBefore(currency: string, before: Date): Promise<number> {
    const [row] = await this.dataSource.query<{ mrr: string | number }[]>(MRR_BEFORE_SQL, [currency, before]);
    return Number(row.mrr);
  }

  async bucketTotals(currency: string, from: Date, to: Date, interval: MetricInterval): Promise<BucketTotal[]> {
    const rows = await this.dataSource.query<{ bucket: string; kind: MrrMovementKind; cents: string | number }[]>(
      bucketTotalsSql(interval),
      [currency, from, to],
    );
    return rows.map((row) => ({ bucket: row.bucket, kind: row.kind, cents: Number(row.cents) }));
  }
}
