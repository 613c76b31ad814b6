import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { JobScheduler } from '../../../common/jobs/job-scheduler.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { AuditSealerService } from '../services/audit-sealer.service.js';

const FULL_SWEEP_EVERY_MS = 3_600_000;

/** Seals new events every AUDIT_SEAL_INTERVAL_MS: a recent-window pass, a whole-table pass hourly (and first). */
@Injectable()
export class AuditSealJob implements OnApplicationBootstrap {
  private lastFullSweepAt = 0;

  constructor(
    private readonly sealer: AuditSealerService,
    private readonly jobs: JobScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('audit-sealer', this.config.audit.sealIntervalMs, () => this.seal());
  }

  async seal(): Promise<void> {
    const full = Date.now() - this.lastFullSweepAt >= FULL_SWEEP_EVERY_MS;
    await this.sealer.sealPending({ full });
    if (full) this.lastFullSweepAt = Date.now();
  }
}
