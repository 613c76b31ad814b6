import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { RenewalService } from './renewal.service.js';

const JOB = 'subscription-renewals';

/**
 * Runs renewals every RENEWAL_INTERVAL_MS when jobs are enabled. Safe on any number of instances at
 * once (the run claims rows with SKIP LOCKED); one run at a time per process.
 */
@Injectable()
export class RenewalJob implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RenewalJob.name);
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly renewals: RenewalService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (!this.config.jobs.enabled) return;
    const timer = setInterval(() => void this.tick(), this.config.billing.renewalIntervalMs);
    timer.unref();
    this.scheduler.addInterval(JOB, timer);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
    await this.running;
  }

  /** One run as of now; skipped while the previous one is still going. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.renewals
      .run(new Date())
      .catch((error: Error) => this.logger.error(`renewal run failed: ${error.message}`))
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
  }
}
