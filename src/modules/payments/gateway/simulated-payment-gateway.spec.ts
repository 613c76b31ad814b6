import { describe, expect, it } from '@jest/globals';
import type { ChargeRequest } from './payment-gateway.js';
import { SimulatedPaymentGateway } from './simulated-payment-gateway.js';

const base: ChargeRequest = {
  idempotencyKey: 'invoice:1:attempt:1',
  amountCents: 1000,
  currency: 'EUR',
  paymentMethod: 'pm_card_ok',
  billingReason: 'subscription_create',
  description: 'test',
};

describe(SimulatedPaymentGateway.name, () => {
  it.each([
    ['pm_card_ok', 'subscription_create', 'succeeded'],
    ['pm_card_ok', 'subscription_cycle', 'succeeded'],
    ['pm_card_declined', 'subscription_create', 'declined'],
    ['pm_card_declined', 'subscription_cycle', 'declined'],
    ['pm_card_fail_next', 'subscription_create', 'succeeded'],
    ['pm_card_fail_next', 'subscription_update', 'succeeded'],
    ['pm_card_fail_next', 'subscription_cycle', 'declined'],
    ['pm_other', 'subscription_create', 'declined'],
  ] as const)('%s (%s) → %s', async (paymentMethod, billingReason, status) => {
    const sut = new SimulatedPaymentGateway();
    expect((await sut.charge({ ...base, paymentMethod, billingReason })).status).toBe(status);
  });

  it('answers a repeated idempotency key with the first result', async () => {
    const sut = new SimulatedPaymentGateway();
    const first = await sut.charge(base);
    const again = await sut.charge({ ...base, billingReason: 'subscription_cycle', paymentMethod: 'pm_card_declined' });
    expect(again).toEqual(first);
    const other = await sut.charge({ ...base, idempotencyKey: 'invoice:1:attempt:2' });
    expect(other.status).toBe('succeeded');
    expect(other.reference).not.toBe(first.reference);
  });

  it('tells the outcome of a key it received, and `unknown` for one it never did', async () => {
    const sut = new SimulatedPaymentGateway();
    const result = await sut.charge(base);
    expect(await sut.outcome(base.idempotencyKey)).toEqual({ kind: 'charge', result });
    expect(await sut.outcome('never-sent')).toEqual({ kind: 'unknown' });
    expect(sut.charges).toBe(1);
  });
});
