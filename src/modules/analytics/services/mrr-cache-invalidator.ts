import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type EntitySubscriberInterface, type TransactionCommitEvent } from 'typeorm';
import { AppCacheService } from '../../../infrastructure/cache/app-cache.service.js';
import { AnalyticsCacheKeys } from '../analytics.cache-keys.js';

const MRR_MOVED = 'analytics.mrrMoved';
/** A second drop shortly after the first closes the window where a reader that loaded before the commit re-fills stale data. */
const SECOND_DROP_MS = 500;

/**
 * Drops the metric caches after a transaction that wrote movements commits, whoever ran it: the
 * writers (the subscriptions module) need not know the analytics caches exist. A rolled-back
 * transaction drops nothing (nothing changed).
 */
@Injectable()
export class MrrCacheInvalidator implements EntitySubscriberInterface {
  constructor(
    dataSource: DataSource,
    private readonly cache: AppCacheService,
  ) {
    dataSource.subscribers.push(this);
  }

  /** Called by the recorder after its INSERT: drop once the manager's transaction commits (now, without one). */
  movementsWritten(manager: EntityManager): void {
    if (manager.queryRunner?.isTransactionActive) manager.queryRunner.data[MRR_MOVED] = true;
    else void this.drop();
  }

  /** TypeORM awaits the returned promise before the commit resolves: a read after the write never sees the old answer. */
  afterTransactionCommit(event: TransactionCommitEvent): Promise<void> | undefined {
    if (!event.queryRunner.data[MRR_MOVED]) return undefined;
    delete event.queryRunner.data[MRR_MOVED];
    return this.drop();
  }

  /** Never throws: a Redis outage is a no-op here (AppCacheService), entries then age out by their TTL. */
  async drop(): Promise<void> {
    const drop = () => this.cache.invalidateTags(AnalyticsCacheKeys.metricsTag());
    await drop();
    setTimeout(() => void drop().catch(() => undefined), SECOND_DROP_MS).unref();
  }
}
