import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type RevenueInterval = 'day' | 'month';

export interface RevenueQuery {
  /** Inclusive; floored to its UTC bucket start. */
  from: Date;
  /** Exclusive. */
  to: Date;
  interval: RevenueInterval;
  currency: string;
}

export interface RevenueBucket {
  /** UTC start of the bucket (00:00Z, or the 1st at 00:00Z for months). */
  periodStart: Date;
  /** Succeeded charges (subscriptions and orders), bucketed by when they were recorded. */
  collectedCents: number;
  /** Succeeded refunds, bucketed by when they were recorded. */
  refundedCents: number;
  /** Succeeded charges of a positive amount. */
  paidInvoices: number;
  /** Declined charges. */
  failedPayments: number;
}

const BUCKET_SQL: Record<RevenueInterval, string> = {
  day: "DATE_FORMAT(settled_at, '%Y-%m-%d')",
  month: "DATE_FORMAT(settled_at, '%Y-%m-01')",
};

/** Bucket starts from `from` (floored) up to `to` (exclusive), in UTC. */
export function bucketStarts(from: Date, to: Date, interval: RevenueInterval): Date[] {
  const starts: Date[] = [];
  let cursor =
    interval === 'day'
      ? new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()))
      : new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
  while (cursor < to) {
    starts.push(cursor);
    cursor =
      interval === 'day'
        ? new Date(cursor.getTime() + 86_400_000)
        : new Date(Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, 1));
  }
  return starts;
}

/** Revenue read for analytics (`/billing/metrics/revenue`): money in and out per time bucket. */
@Injectable()
export class PaymentRevenue {
  constructor(private readonly dataSource: DataSource) {}

  /** Every bucket of [from, to), zero-filled, oldest first. */
  async revenue(query: RevenueQuery): Promise<RevenueBucket[]> {
    const starts = bucketStarts(query.from, query.to, query.interval);
    if (starts.length === 0) return [];
    const range = [starts[0], query.to, query.currency];
    const bucket = BUCKET_SQL[query.interval];
    const [charges, refunds] = await Promise.all([
      this.dataSource.query(
        `SELECT ${bucket} AS b,
                SUM(CASE WHEN status = 'succeeded' THEN amount_cents ELSE 0 END) AS collected,
                SUM(status = 'succeeded' AND amount_cents > 0) AS paid,
                SUM(status = 'declined') AS failed
           FROM payment_intents
          WHERE settled_at >= ? AND settled_at < ? AND currency = ?
          GROUP BY b`,
        range,
      ) as Promise<{ b: string; collected: string; paid: string; failed: string }[]>,
      this.dataSource.query(
        `SELECT ${bucket} AS b, SUM(amount_cents) AS refunded
           FROM payment_refunds
          WHERE settled_at >= ? AND settled_at < ? AND currency = ? AND status = 'succeeded'
          GROUP BY b`,
        range,
      ) as Promise<{ b: string; refunded: string }[]>,
    ]);
    const byDay = new Map(charges.map((row) => [row.b, row]));
    const refundsByDay = new Map(refunds.map((row) => [row.b, Number(row.refunded)]));
    return starts.map((periodStart) => {
      const key = periodStart.toISOString().slice(0, 10);
      const row = byDay.get(key);
      return {
        periodStart,
        collectedCents: Number(row?.collected ?? 0),
        refundedCents: refundsByDay.get(key) ?? 0,
        paidInvoices: Number(row?.paid ?? 0),
        failedPayments: Number(row?.failed ?? 0),
      };
    });
  }
}
