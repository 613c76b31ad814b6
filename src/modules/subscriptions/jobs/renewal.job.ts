import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { JobScheduler } from '../../../common/jobs/job-scheduler.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { RenewalService } from '../services/renewal.service.js';

/**
 * Runs renewals every RENEWAL_INTERVAL_MS. Safe on any number of instances at once (the run claims
 * rows with SKIP LOCKED); JobScheduler keeps it to one run at a time per process.
 */
@Injectable()
export class RenewalJob implements OnApplicationBootstrap {
  constructor(
    private readonly renewals: RenewalService,
    private readonly jobs: JobScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('subscription-renewals', this.config.billing.renewalIntervalMs, () => this.tick());
  }

  /** One run as of now (tests call it directly). */
  async tick(): Promise<void> {
    await this.renewals.run(new Date());
  }
}
