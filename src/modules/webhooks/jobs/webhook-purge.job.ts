import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { JobScheduler } from '../../../common/jobs/job-scheduler.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { WebhookRepository } from '../repositories/webhook.repository.js';

const EVERY_MS = 3_600_000;
const BATCH = 1_000;

/** The smallest UUID v7 of instant `ms`: every id created at or after `ms` sorts >= it. */
function idLowerBound(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

/**
 * Keeps the outbox small: deliveries that ended (delivered or failed) more than WEBHOOK_RETENTION_DAYS
 * after their creation, then events no delivery refers to any more, in batches (short locks). Pending
 * deliveries are never touched. Safe on several instances at once.
 */
@Injectable()
export class WebhookPurgeJob implements OnApplicationBootstrap {
  constructor(
    private readonly repository: WebhookRepository,
    private readonly jobs: JobScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('webhook-purge', EVERY_MS, () => this.run());
  }

  /** Returns the deliveries and events deleted. */
  async run(now = Date.now()): Promise<{ deliveries: number; events: number }> {
    const before = idLowerBound(now - this.config.webhooks.retentionDays * 86_400_000);
    let deliveries = 0;
    for (let deleted = BATCH; deleted === BATCH; deliveries += deleted) {
      deleted = await this.repository.purgeFinishedDeliveries(before, BATCH);
    }
    let events = 0;
    for (let deleted = BATCH; deleted === BATCH; events += deleted) {
      deleted = await this.repository.purgeOrphanEvents(before, BATCH);
    }
    return { deliveries, events };
  }
}
