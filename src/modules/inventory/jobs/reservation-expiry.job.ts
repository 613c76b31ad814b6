import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { JobScheduler } from '../../../common/jobs/job-scheduler.js';
import { ReservationService } from '../services/reservation.service.js';

export const RESERVATION_SWEEP_INTERVAL_MS = 5_000;

/** Every few seconds on every instance: expire due reservations (safe to overlap, see expireDue). */
@Injectable()
export class ReservationExpiryJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReservationExpiryJob.name);

  constructor(
    private readonly reservations: ReservationService,
    private readonly jobs: JobScheduler,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.every('reservation-expiry', RESERVATION_SWEEP_INTERVAL_MS, () => this.expireDue());
  }

  /** One sweep (tests call it directly): the number of reservations this call expired. */
  async expireDue(now?: Date): Promise<number> {
    const expired = await this.reservations.expireDue(now);
    if (expired > 0) this.logger.log(`expired ${expired} reservations`);
    return expired;
  }
}
