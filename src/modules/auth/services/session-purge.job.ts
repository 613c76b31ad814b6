import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { SessionsRepository } from '../repositories/sessions.repository.js';

const BATCH = 1_000;
const KEEP_MS = 86_400_000;

/**
 * Deletes refresh tokens and sessions that ended more than a day ago, in small batches (short locks).
 * Safe on several instances at once: each DELETE takes whatever rows are left.
 */
@Injectable()
export class SessionPurgeJob {
  private readonly logger = new Logger(SessionPurgeJob.name);

  constructor(
    private readonly sessions: SessionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_HOUR)
  async scheduled(): Promise<void> {
    if (!this.config.jobs.enabled) return;
    await this.run().catch((error: Error) => this.logger.warn(`session purge failed: ${error.message}`));
  }

  /** Returns the rows deleted. */
  async run(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - KEEP_MS);
    let total = 0;
    for (;;) {
      const deleted = await this.sessions.purgeEnded(before, BATCH);
      total += deleted;
      if (deleted < BATCH) return total;
    }
  }
}
