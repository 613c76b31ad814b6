import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { newId } from '../src/common/ids.js';
import { AuditService } from '../src/modules/audit/services/audit.service.js';
import {
  type CreateIntentInput,
  PAYMENT_GATEWAY,
  PaymentFaults,
  PaymentIntents,
  PaymentRevenue,
  type SimulatedPaymentGateway,
} from '../src/modules/payments/index.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The payment-intent seam on its own: an "order" applier that writes an audit event stands in for
 * the owning module, so what the applier did is visible only when its transaction committed.
 */
describe('payments: intents, reconcile, refunds', () => {
  let t: TestApp;
  let intents: PaymentIntents;
  let faults: PaymentFaults;
  let gateway: SimulatedPaymentGateway;

  beforeAll(async () => {
    t = await startTestApp('payments');
    intents = t.app.get(PaymentIntents);
    faults = t.app.get(PaymentFaults);
    gateway = t.app.get(PAYMENT_GATEWAY);
    const audit = t.app.get(AuditService);
    intents.registerApplier('order', (manager, intent) =>
      audit.record(manager, {
        action: 'order.paid_probe',
        entityType: 'order',
        entityId: intent.referenceId,
        changes: { status: intent.status },
      }),
    );
  });
  afterAll(() => t.close());

  const create = (input: Partial<CreateIntentInput> = {}) => {
    const referenceId = newId();
    return t.dataSource.transaction((manager) =>
      intents.create(manager, {
        purpose: 'order',
        referenceId,
        userId: newId(),
        amountCents: 1000,
        currency: 'EUR',
        paymentMethod: 'pm_card_ok',
        reason: 'one_off',
        idempotencyKey: `test:${referenceId}`,
        ...input,
      }),
    );
  };
  const applied = (referenceId: string) =>
    t.dataSource
      .query('SELECT COUNT(*) AS n FROM audit_events WHERE entity_id = ?', [referenceId])
      .then(([row]: { n: string }[]) => Number(row.n));
  const statusOf = (id: string) =>
    t.dataSource
      .query('SELECT status FROM payment_intents WHERE id = ?', [id])
      .then(([row]: { status: string }[]) => row.status);

  it('charges once and applies the outcome in a second transaction', async () => {
    const intent = await create();
    expect(intent.status).toBe('pending');
    const before = gateway.charges;
    const settled = await intents.execute(intent.id);
    expect(settled.status).toBe('succeeded');
    expect(gateway.charges).toBe(before + 1);
    expect(await applied(intent.referenceId)).toBe(1);
    // A retry finds it settled: nothing charged, nothing applied again.
    expect((await intents.execute(intent.id)).status).toBe('succeeded');
    expect(gateway.charges).toBe(before + 1);
    expect(await applied(intent.referenceId)).toBe(1);
  });

  it('a key already stored returns the same intent', async () => {
    const first = await create();
    const again = await create({ idempotencyKey: first.idempotencyKey, referenceId: first.referenceId });
    expect(again.id).toBe(first.id);
    await intents.execute(first.id); // leaves nothing pending for the reconcile tests below
  });

  it('a failed second transaction loses nothing and charges nothing twice: reconcile applies it', async () => {
    const intent = await create();
    const before = gateway.charges;
    faults.failNextApplies = 1;
    await expect(intents.execute(intent.id)).rejects.toThrow('injected fault');
    expect(gateway.charges).toBe(before + 1); // the money was taken …
    expect(await statusOf(intent.id)).toBe('pending'); // … but its record rolled back with the applier's work
    expect(await applied(intent.referenceId)).toBe(0);

    expect(await intents.reconcile(0)).toBeGreaterThanOrEqual(1);
    expect(await statusOf(intent.id)).toBe('succeeded');
    expect(await applied(intent.referenceId)).toBe(1);
    expect(gateway.charges).toBe(before + 1);

    // A client retry after that: no second charge, no second application.
    expect((await intents.execute(intent.id)).status).toBe('succeeded');
    expect(gateway.charges).toBe(before + 1);
    expect(await applied(intent.referenceId)).toBe(1);
  });

  it('an intent whose charge never reached the gateway is charged by reconcile, once', async () => {
    const intent = await create();
    const before = gateway.charges;
    await intents.reconcile(0);
    expect(await statusOf(intent.id)).toBe('succeeded');
    expect(gateway.charges).toBe(before + 1);
    await intents.reconcile(0);
    expect(gateway.charges).toBe(before + 1);
  });

  it('a decline is recorded and applied with its code', async () => {
    const intent = await create({ paymentMethod: 'pm_card_declined' });
    const settled = await intents.execute(intent.id);
    expect(settled).toMatchObject({ status: 'declined', declineCode: 'card_declined' });
    expect(await applied(intent.referenceId)).toBe(1);
  });

  it('10 concurrent executions of one intent: one charge, one application', async () => {
    const intent = await create();
    const before = gateway.charges;
    const results = await Promise.all(Array.from({ length: 10 }, () => intents.execute(intent.id)));
    expect(results.every((result) => result.status === 'succeeded')).toBe(true);
    expect(gateway.charges).toBe(before + 1);
    expect(await applied(intent.referenceId)).toBe(1);
  });

  it('refunds up to what was paid; the same key is the same refund; two racing refunds cannot over-refund', async () => {
    const intent = await create({ amountCents: 1000 });
    await intents.execute(intent.id);
    const key = `refund:${randomUUID()}`;
    const first = await intents.refund({ intentId: intent.id, amountCents: 600, idempotencyKey: key });
    expect(first).toMatchObject({ status: 'succeeded', amountCents: 600 });
    expect((await intents.refund({ intentId: intent.id, amountCents: 600, idempotencyKey: key })).id).toBe(first.id);
    await expect(
      intents.refund({ intentId: intent.id, amountCents: 500, idempotencyKey: randomUUID() }),
    ).rejects.toMatchObject({ code: 'refund_exceeds_payment' });
    const race = await Promise.allSettled(
      [1, 2].map(() => intents.refund({ intentId: intent.id, amountCents: 400, idempotencyKey: randomUUID() })),
    );
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [row] = await t.dataSource.query('SELECT refunded_cents AS r FROM payment_intents WHERE id = ?', [intent.id]);
    expect(Number(row.r)).toBe(1000);
  });

  it('a declined intent is not refundable', async () => {
    const intent = await create({ paymentMethod: 'pm_card_declined' });
    await intents.execute(intent.id);
    await expect(
      intents.refund({ intentId: intent.id, amountCents: 1, idempotencyKey: randomUUID() }),
    ).rejects.toMatchObject({ code: 'not_refundable' });
  });

  it('revenue: collected, refunded, paid and failed counts per day bucket and currency', async () => {
    const currency = 'SEK';
    const paid = await create({ amountCents: 700, currency });
    await intents.execute(paid.id);
    await intents.execute((await create({ amountCents: 300, currency, paymentMethod: 'pm_card_declined' })).id);
    await intents.refund({ intentId: paid.id, amountCents: 200, idempotencyKey: randomUUID() });
    const now = new Date();
    const from = new Date(now.getTime() - 86_400_000);
    const to = new Date(now.getTime() + 86_400_000);
    const buckets = await t.app.get(PaymentRevenue).revenue({ from, to, interval: 'day', currency });
    expect(buckets.length).toBeGreaterThanOrEqual(2);
    const today = buckets.find((b) => b.periodStart.toISOString().slice(0, 10) === now.toISOString().slice(0, 10));
    expect(today).toMatchObject({ collectedCents: 700, refundedCents: 200, paidInvoices: 1, failedPayments: 1 });
    expect(buckets.reduce((sum, b) => sum + b.collectedCents, 0)).toBe(700);
  });
});
