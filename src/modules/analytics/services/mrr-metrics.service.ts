import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { ReadReplicas } from '../../../infrastructure/database/read-replicas.service.js';
import { bucketBoundaries, bucketKey } from '../domain/metric-buckets.js';
import type { MetricSeriesQuery, MrrBucketResponse, MrrSeriesResponse } from '../dto/billing-metrics.dto.js';
import type { MrrMovementKind } from '../entities/mrr-movement.entity.js';
import { MrrMovementRepository } from '../repositories/mrr-movement.repository.js';
import { metricRange } from './metric-range.js';

const FIELD_OF: Record<
  MrrMovementKind,
  'newCents' | 'expansionCents' | 'contractionCents' | 'churnCents' | 'reactivationCents'
> = {
  new: 'newCents',
  expansion: 'expansionCents',
  contraction: 'contractionCents',
  churn: 'churnCents',
  reactivation: 'reactivationCents',
};

/**
 * The MRR series from the movement ledger: the first bucket starts with the signed sum of every
 * movement before it; each bucket adds its movements per kind; its end is the next bucket's start.
 * Two aggregate statements whatever the range (see MrrMovementRepository), on a read replica when there is
 * one: a derived report that may lag (docs/scaling.md).
 */
@Injectable()
export class MrrMetricsService {
  constructor(
    private readonly movements: MrrMovementRepository,
    private readonly replicas: ReadReplicas,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async series(query: MetricSeriesQuery): Promise<MrrSeriesResponse> {
    const interval = query.interval ?? 'day';
    const { from, to, currency } = metricRange(query, this.config.billing.defaultCurrency, interval);
    const boundaries = bucketBoundaries(from, to, interval);
    const [opening, totals] = await this.replicas.read((db) =>
      Promise.all([
        this.movements.mrrBefore(currency, boundaries[0], db),
        this.movements.bucketTotals(currency, boundaries[0], boundaries[boundaries.length - 1], interval, db),
      ]),
    );
    const byBucket = new Map<string, Partial<Record<MrrMovementKind, number>>>();
    for (const total of totals)
      byBucket.set(total.bucket, { ...byBucket.get(total.bucket), [total.kind]: total.cents });

    const data: MrrBucketResponse[] = [];
    let mrr = opening;
    for (const start of boundaries.slice(0, -1)) {
      const bucket: MrrBucketResponse = {
        periodStart: start.toISOString(),
        startingMrrCents: mrr,
        newCents: 0,
        expansionCents: 0,
        contractionCents: 0,
        churnCents: 0,
        reactivationCents: 0,
        endingMrrCents: 0,
      };
      for (const [kind, cents] of Object.entries(byBucket.get(bucketKey(start)) ?? {}))
        bucket[FIELD_OF[kind as MrrMovementKind]] = cents;
      mrr +=
        bucket.newCents +
        bucket.expansionCents +
        bucket.reactivationCents -
        bucket.contractionCents -
        bucket.churnCents;
      bucket.endingMrrCents = mrr;
      data.push(bucket);
    }
    return { currency, interval, data };
  }
}
