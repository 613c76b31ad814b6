import { Injectable } from '@nestjs/common';

/**
 * A hint to this instance's delivery job that there is work (an outbox row written, an audited change
 * committed here, a send slot freed), so it runs within milliseconds instead of at the next poll.
 * Only a hint: an outbox row's transaction may not have committed yet (the job polls anyway), and
 * other instances find the work by polling.
 */
@Injectable()
export class DeliveryWakeup {
  private listener: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  onWake(listener: () => void): void {
    this.listener = listener;
  }

  soon(delayMs = 20): void {
    if (this.timer || !this.listener) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.listener?.();
    }, delayMs);
    this.timer.unref();
  }
}
