import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { PaymentIntents } from '../services/payment-intents.service.js';

const JOB = 'payment-reconcile';

/**
 * Every PAYMENT_RECONCILE_INTERVAL_MS, finishes payment intents and refunds stuck `pending` longer than
 * PAYMENT_RECONCILE_AFTER_SECONDS. Safe on several instances: recording an outcome is conditional on
 * `pending`, and the gateway answers a key with its first result.
 */
@Injectable()
export class PaymentReconcileJob implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PaymentReconcileJob.name);
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly intents: PaymentIntents,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (!this.config.jobs.enabled) return;
    const timer = setInterval(() => void this.tick(), this.config.payments.reconcileIntervalMs);
    timer.unref();
    this.scheduler.addInterval(JOB, timer);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
    await this.running;
  }

  /** One pass; skipped while the previous one is still going. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.intents
      .reconcile(this.config.payments.reconcileAfterSeconds)
      .then((settled) => {
        if (settled > 0) this.logger.log(`reconciled ${settled} interrupted payments`);
      })
      .catch((error: Error) => this.logger.error(`payment reconcile failed: ${error.message}`))
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
  }
}
