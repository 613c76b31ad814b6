import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { JobScheduler } from '../../jobs/job-scheduler.js';
import { IdempotencyService } from '../idempotency.service.js';

const EVERY_MS = 3_600_000;

/** Drops expired keys hourly; safe on several instances (a DELETE by expiry is idempotent). */
@Injectable()
export class IdempotencyPurgeJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(IdempotencyPurgeJob.name);

  constructor(
    private readonly idempotency: IdempotencyService,
    private readonly jobs: JobScheduler,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('idempotency-purge', EVERY_MS, () => this.purge());
  }

  async purge(): Promise<void> {
    const removed = await this.idempotency.purgeExpired();
    if (removed > 0) this.logger.log(`purged ${removed} expired idempotency keys`);
  }
}
