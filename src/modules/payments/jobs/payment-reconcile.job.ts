import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { JobScheduler } from '../../../common/jobs/job-scheduler.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { PaymentIntents } from '../services/payment-intents.service.js';

/**
 * Every PAYMENT_RECONCILE_INTERVAL_MS, finishes payment intents and refunds stuck `pending` longer than
 * PAYMENT_RECONCILE_AFTER_SECONDS. Safe on several instances: recording an outcome is conditional on
 * `pending`, and the gateway answers a key with its first result.
 */
@Injectable()
export class PaymentReconcileJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(PaymentReconcileJob.name);

  constructor(
    private readonly intents: PaymentIntents,
    private readonly jobs: JobScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('payment-reconcile', this.config.payments.reconcileIntervalMs, () => this.tick());
  }

  /** One pass (tests call it directly). */
  async tick(): Promise<void> {
    const settled = await this.intents.reconcile(this.config.payments.reconcileAfterSeconds);
    if (settled > 0) this.logger.log(`reconciled ${settled} interrupted payments`);
  }
}
