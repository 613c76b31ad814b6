import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ChargeRequest, ChargeResult, PaymentGateway, RefundRequest, RefundResult } from './payment-gateway.js';

/** The test cards of the contract. Any other token is declined as `unknown_payment_method`. */
export const SIMULATED_CARDS = {
  ok: 'pm_card_ok',
  declined: 'pm_card_declined',
  failNext: 'pm_card_fail_next',
} as const;

const MAX_REMEMBERED = 100_000;

/**
 * The built-in gateway: no network, deterministic.
 * - `pm_card_ok` always succeeds, `pm_card_declined` always declines,
 * - `pm_card_fail_next` succeeds on the first charge, on plan changes and on orders, declines every renewal.
 * - refunds of its own charges always succeed.
 * Like a real gateway it remembers each idempotency key and answers a repeat with the first result
 * (bounded in memory; the outcome is a pure function of the request anyway, so a repeat on another
 * instance gets the same answer). The reference is derived from the key, so it is stable too.
 */
@Injectable()
export class SimulatedPaymentGateway implements PaymentGateway {
  readonly name = 'simulated';
  private readonly seen = new Map<string, ChargeResult>();

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const remembered = this.seen.get(request.idempotencyKey);
    if (remembered) return remembered;
    const result = this.decide(request);
    if (this.seen.size >= MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(request.idempotencyKey, result);
    return result;
  }

  /** Refunds of a simulated charge always succeed; the reference is derived from the key (stable on repeats). */
  async refund(request: RefundRequest): Promise<RefundResult> {
    if (!request.chargeReference.startsWith('sim_ch_') && request.chargeReference !== 'no_charge') {
      return { status: 'failed', reason: 'unknown_charge' };
    }
    return {
      status: 'succeeded',
      reference: `sim_re_${createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 24)}`,
    };
  }

  private decide(request: ChargeRequest): ChargeResult {
    const reference = `sim_ch_${createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 24)}`;
    switch (request.paymentMethod) {
      case SIMULATED_CARDS.ok:
        return { status: 'succeeded', reference };
      case SIMULATED_CARDS.failNext:
        return request.billingReason === 'subscription_cycle'
          ? { status: 'declined', declineCode: 'card_declined', reference }
          : { status: 'succeeded', reference };
      case SIMULATED_CARDS.declined:
        return { status: 'declined', declineCode: 'card_declined', reference };
      default:
        return { status: 'declined', declineCode: 'unknown_payment_method', reference: null };
    }
  }
}
