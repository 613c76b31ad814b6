import { Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { ReservationService } from './reservation.service.js';

export const RESERVATION_SWEEP_INTERVAL_MS = 5_000;

/** Every few seconds on every instance: expire due reservations (safe to overlap, see expireDue). */
@Injectable()
export class ReservationExpiryJob {
  private readonly logger = new Logger(ReservationExpiryJob.name);
  private running = false;

  constructor(
    private readonly reservations: ReservationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Interval(RESERVATION_SWEEP_INTERVAL_MS)
  async tick(): Promise<void> {
    if (!this.config.jobs.enabled || this.running) return;
    this.running = true;
    try {
      await this.expireDue();
    } catch (error) {
      this.logger.error(`reservation sweep failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }

  /** One sweep (tests call it directly): the number of reservations this call expired. */
  async expireDue(now?: Date): Promise<number> {
    const expired = await this.reservations.expireDue(now);
    if (expired > 0) this.logger.log(`expired ${expired} reservations`);
    return expired;
  }
}
