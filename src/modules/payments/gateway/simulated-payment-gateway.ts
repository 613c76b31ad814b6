import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type {
  ChargeRequest,
  ChargeResult,
  GatewayOutcome,
  PaymentGateway,
  RefundRequest,
  RefundResult,
} from './payment-gateway.js';

/** The test cards of the contract. Any other token is declined as `unknown_payment_method`. */
export const SIMULATED_CARDS = {
  ok: 'pm_card_ok',
  declined: 'pm_card_declined',
  failNext: 'pm_card_fail_next',
} as const;

const MAX_REMEMBERED = 100_000;

/**
 * The built-in gateway: no network, deterministic.
 * - `pm_card_ok` always succeeds, `pm_card_declined` always declines (a hard decline: `card_declined`),
 * - `pm_card_fail_next` succeeds on the first charge and on plan changes, declines every renewal
 *   (`insufficient_funds`, a soft decline that dunning retries).
 * Like a real gateway it remembers each idempotency key and answers a repeat, and `outcome(key)`,
 * with the first result. The memory is this process's (bounded): enough for tests, which reconcile
 * in the process that charged; a real adapter asks the provider, which remembers for every instance.
 * `charges` counts the charges really taken (not the replays), for tests.
 */
@Injectable()
export class SimulatedPaymentGateway implements PaymentGateway {
  readonly name = 'simulated';
  charges = 0;
  private readonly seen = new Map<string, GatewayOutcome>();

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const remembered = this.seen.get(request.idempotencyKey);
    if (remembered?.kind === 'charge') return remembered.result;
    const result = this.decide(request);
    if (result.status === 'succeeded') this.charges++;
    this.remember(request.idempotencyKey, { kind: 'charge', result });
    return result;
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const remembered = this.seen.get(request.idempotencyKey);
    if (remembered?.kind === 'refund') return remembered.result;
    const result: RefundResult =
      request.amountCents > 0
        ? { status: 'succeeded', reference: `sim_re_${digest(request.idempotencyKey)}` }
        : { status: 'failed', reason: 'invalid_amount' };
    this.remember(request.idempotencyKey, { kind: 'refund', result });
    return result;
  }

  async outcome(idempotencyKey: string): Promise<GatewayOutcome> {
    return this.seen.get(idempotencyKey) ?? { kind: 'unknown' };
  }

  private remember(key: string, outcome: GatewayOutcome): void {
    if (this.seen.size >= MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(key, outcome);
  }

  private decide(request: ChargeRequest): ChargeResult {
    const reference = `sim_ch_${digest(request.idempotencyKey)}`;
    switch (request.paymentMethod) {
      case SIMULATED_CARDS.ok:
        return { status: 'succeeded', reference };
      case SIMULATED_CARDS.failNext:
        return request.billingReason === 'subscription_cycle'
          ? { status: 'declined', declineCode: 'insufficient_funds', reference }
          : { status: 'succeeded', reference };
      case SIMULATED_CARDS.declined:
        return { status: 'declined', declineCode: 'card_declined', reference };
      default:
        return { status: 'declined', declineCode: 'unknown_payment_method', reference: null };
    }
  }
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 24);
}
