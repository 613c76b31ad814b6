import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { IdempotencyService } from './idempotency.service.js';

/** Drops expired keys hourly; safe on several instances (a DELETE by expiry is idempotent). */
@Injectable()
export class IdempotencyPurgeJob {
  private readonly logger = new Logger(IdempotencyPurgeJob.name);

  constructor(
    private readonly idempotency: IdempotencyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_HOUR)
  async purge(): Promise<void> {
    if (!this.config.jobs.enabled) return;
    const removed = await this.idempotency.purgeExpired();
    if (removed > 0) this.logger.log(`purged ${removed} expired idempotency keys`);
  }
}
