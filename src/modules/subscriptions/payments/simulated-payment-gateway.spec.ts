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
    ['pm_card_fail_next', 'order', 'succeeded'],
    ['pm_card_declined', 'order', 'declined'],
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

  it('refunds its own charges with a reference stable per idempotency key', async () => {
    const sut = new SimulatedPaymentGateway();
    const charge = await sut.charge(base);
    const request = {
      idempotencyKey: 'refund:1',
      chargeReference: charge.reference ?? '',
      amountCents: 500,
      currency: 'EUR',
    };
    const first = await sut.refund(request);
    expect(first.status).toBe('succeeded');
    expect(await sut.refund(request)).toEqual(first);
    expect((await sut.refund({ ...request, chargeReference: 'ch_elsewhere' })).status).toBe('failed');
  });
});
