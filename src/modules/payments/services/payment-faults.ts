import { Injectable } from '@nestjs/common';
import type { PaymentIntent } from '../entities/payment-intent.entity.js';

/**
 * TEST-ONLY fault hook: `failNextApplies = n` makes the next n outcome-recording transactions fail
 * after the applier ran (so they roll back), as a crash between the charge and its record would.
 * Nothing in the application sets it; tests reach it with `app.get(PaymentFaults)`.
 */
@Injectable()
export class PaymentFaults {
  failNextApplies = 0;

  afterApply(intent: PaymentIntent): void {
    if (this.failNextApplies <= 0) return;
    this.failNextApplies--;
    throw new Error(`injected fault: recording the outcome of payment intent ${intent.id} failed`);
  }
}
