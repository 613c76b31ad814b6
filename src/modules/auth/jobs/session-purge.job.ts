import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { JobScheduler } from '../../../common/jobs/job-scheduler.js';
import { SessionsRepository } from '../repositories/sessions.repository.js';

const EVERY_MS = 3_600_000;
const BATCH = 1_000;
const KEEP_MS = 86_400_000;

/**
 * Deletes refresh tokens and sessions that ended more than a day ago, hourly, in small batches
 * (short locks). Safe on several instances at once: each DELETE takes whatever rows are left.
 */
@Injectable()
export class SessionPurgeJob implements OnApplicationBootstrap {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly jobs: JobScheduler,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('session-purge', EVERY_MS, () => this.run());
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
