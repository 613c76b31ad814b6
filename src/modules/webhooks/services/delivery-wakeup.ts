import { Injectable } from '@nestjs/common';

/**
 * A hint from the outbox to this instance's dispatcher that deliveries were just written, so they go
 * out within milliseconds instead of at the next poll. Only a hint: the writing transaction may not
 * have committed yet (the dispatcher polls anyway), and other instances find the rows by polling.
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
