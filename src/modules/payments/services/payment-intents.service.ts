import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../../../common/ids.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import type { PaymentIntent, PaymentPurpose } from '../entities/payment-intent.entity.js';
import type { PaymentRefund } from '../entities/payment-refund.entity.js';
import {
  type ChargeReason,
  type ChargeResult,
  PAYMENT_GATEWAY,
  type PaymentGateway,
  type RefundResult,
} from '../gateway/payment-gateway.js';
import { PaymentErrors } from '../payments.errors.js';
import { PaymentIntentRepository } from '../repositories/payment-intent.repository.js';
import { PaymentFaults } from './payment-faults.js';

/** Gateway calls in flight at once for a batch: a real gateway is network-bound. */
const CHARGE_CONCURRENCY = 8;

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export interface CreateIntentInput {
  purpose: PaymentPurpose;
  /** The invoice id (subscription_invoice) or the order id (order). */
  referenceId: string;
  userId: string;
  amountCents: number;
  currency: string;
  paymentMethod: string;
  reason: ChargeReason;
  /** Sent to the gateway; the same key never charges twice. Derive it from what is being paid (invoice + attempt). */
  idempotencyKey: string;
}

/**
 * Applies a settled intent (status `succeeded`, `declined` or `failed`) to the owner's state, inside
 * the transaction that records the outcome: both commit or neither. Must be derivable from the
 * intent and the stored state alone, since the reconcile job calls it for an interrupted flow.
 */
export type IntentApplier = (manager: EntityManager, intent: PaymentIntent) => Promise<void>;
/** Same for a settled refund (status `succeeded` or `failed`). */
export type RefundApplier = (manager: EntityManager, refund: PaymentRefund, intent: PaymentIntent) => Promise<void>;

export interface RefundInput {
  intentId: string;
  amountCents: number;
  idempotencyKey: string;
}

/**
 * The payment-intent flow (docs/subscriptions.md has the sequence diagram):
 * 1. `create(manager, …)` in the caller's business transaction: the intent row (`pending`, with the
 *    idempotency key) commits with whatever the charge is for (an invoice, an order).
 * 2. `execute(id)` OUTSIDE any transaction: the gateway charge, with the intent's key.
 * 3. In a second transaction the outcome is recorded (conditional on `pending`: recorded once) and
 *    the purpose's registered applier changes the owner's state.
 * A crash or failure between 2 and 3 leaves the intent `pending`; `reconcile` (a job) asks the
 * gateway for the outcome of that key and finishes step 3. Nothing is charged twice, nothing lost.
 */
@Injectable()
export class PaymentIntents {
  private readonly logger = new Logger(PaymentIntents.name);
  private readonly appliers = new Map<PaymentPurpose, IntentApplier>();
  private readonly refundAppliers = new Map<PaymentPurpose, RefundApplier>();

  constructor(
    private readonly intents: PaymentIntentRepository,
    private readonly tx: TransactionService,
    @Inject(PAYMENT_GATEWAY) private readonly gateway: PaymentGateway,
    private readonly faults: PaymentFaults,
  ) {}

  /** One applier per purpose, registered by the owning module at start (`onModuleInit`). */
  registerApplier(purpose: PaymentPurpose, applier: IntentApplier): void {
    this.appliers.set(purpose, applier);
  }

  registerRefundApplier(purpose: PaymentPurpose, applier: RefundApplier): void {
    this.refundAppliers.set(purpose, applier);
  }

  /** The row `create` and `createMany` insert: a new, pending intent for this gateway. */
  private pendingRow(input: CreateIntentInput, now: Date): PaymentIntent {
    return {
      id: newId(),
      ...input,
      status: 'pending',
      gateway: this.gateway.name,
      gatewayReference: null,
      declineCode: null,
      refundedCents: 0,
      createdAt: now,
      updatedAt: now,
      settledAt: null,
    };
  }

  /** Step 1, in the caller's transaction. A key already stored returns that intent (nothing new). */
  async create(manager: EntityManager, input: CreateIntentInput): Promise<PaymentIntent> {
    return this.intents.insertOnce(manager, this.pendingRow(input, new Date()));
  }

  /**
   * `create` for a batch (renewals), in ONE multi-row INSERT. The keys must be new (a repeated key
   * fails the caller's transaction); returns the intents in the order given.
   */
  async createMany(manager: EntityManager, inputs: readonly CreateIntentInput[]): Promise<PaymentIntent[]> {
    const now = new Date();
    const rows = inputs.map((input) => this.pendingRow(input, now));
    await this.intents.insertMany(manager, rows);
    return rows;
  }

  /**
   * Steps 2 and 3: charges (never inside a transaction) and applies the outcome. Returns the settled
   * intent; an intent already settled is returned as it is (a retry charges nothing). A gateway that
   * does not answer is a 503 and the intent stays `pending` for the reconcile job.
   */
  async execute(intentId: string): Promise<PaymentIntent> {
    const intent = await this.intents.findById(intentId);
    if (!intent) throw PaymentErrors.intentNotFound();
    if (intent.status !== 'pending') return intent;
    return this.settle(intent, await this.charge(intent));
  }

  /**
   * `execute` for a batch (renewals): the charges (a few at a time, outside any transaction), then
   * every outcome recorded and applied in ONE transaction (one commit for the batch, not one per
   * charge). If that transaction fails, each outcome is applied on its own, so one bad row does not
   * hold the others back; a charge that could not be made or applied stays `pending` for `reconcile`.
   * Returns the intents settled now or before (missing: still pending).
   */
  async executeMany(intentIds: readonly string[]): Promise<PaymentIntent[]> {
    const intents = await this.intents.findByIds(intentIds);
    const done = intents.filter((intent) => intent.status !== 'pending');
    const charged: { intent: PaymentIntent; result: ChargeResult }[] = [];
    await inParallel(
      intents.filter((intent) => intent.status === 'pending'),
      CHARGE_CONCURRENCY,
      async (intent) => {
        try {
          charged.push({ intent, result: await this.charge(intent) });
        } catch {
          // Left pending: the reconcile job asks the gateway later.
        }
      },
    );
    try {
      const settled = await this.tx.run(async (manager) => {
        const out: PaymentIntent[] = [];
        for (const { intent, result } of charged) {
          const after = await this.settleIn(manager, intent, result);
          if (after) out.push(after);
        }
        return out;
      });
      return [...done, ...settled];
    } catch (error) {
      this.logger.warn(
        `batch of ${charged.length} outcomes not applied together, one by one: ${(error as Error).message}`,
      );
      const settled: PaymentIntent[] = [];
      for (const { intent, result } of charged) {
        try {
          settled.push(await this.settle(intent, result));
        } catch (single) {
          this.logger.error(`payment intent ${intent.id} left pending: ${(single as Error).message}`);
        }
      }
      return [...done, ...settled];
    }
  }

  /**
   * Finishes intents left `pending` longer than `olderThanSeconds` (a crash or a failed second
   * transaction): the gateway is asked for the outcome of the key; a key it never received is
   * charged now (the decision to charge had committed). Returns how many were settled.
   */
  async reconcile(olderThanSeconds: number, limit = 100): Promise<number> {
    const cutoff = new Date(Date.now() - olderThanSeconds * 1000);
    let settled = 0;
    for (const id of await this.intents.stuckPending(cutoff, limit)) {
      try {
        const intent = await this.intents.findById(id);
        if (!intent || intent.status !== 'pending') continue;
        const known = await this.gateway.outcome(intent.idempotencyKey);
        const result = known.kind === 'charge' ? known.result : await this.charge(intent);
        await this.settle(intent, result);
        settled++;
      } catch (error) {
        this.logger.error(`payment intent ${id} not reconciled: ${(error as Error).message}`);
      }
    }
    for (const refund of await this.intents.stuckRefunds(cutoff, limit)) {
      try {
        const known = await this.gateway.outcome(refund.idempotencyKey);
        const result = known.kind === 'refund' ? known.result : await this.refundAtGateway(refund);
        await this.settleRefund(refund, result);
        settled++;
      } catch (error) {
        this.logger.error(`payment refund ${refund.id} not reconciled: ${(error as Error).message}`);
      }
    }
    return settled;
  }

  /**
   * Gives back `amountCents` of a succeeded intent, with the same two steps as a charge: the refund row
   * (and the refunded amount, under the intent's row lock: two refunds can't both take the last cent)
   * commits first, then the gateway, then the outcome and the purpose's refund applier in a second
   * transaction. 409 `not_refundable` / `refund_exceeds_payment`; the same key returns the same refund.
   */
  async refund(input: RefundInput): Promise<PaymentRefund> {
    const refund = await this.tx.run(async (manager) => {
      const existing = await this.intents.findRefundByKey(input.idempotencyKey, manager);
      if (existing) return existing;
      const intent = await this.intents.findForUpdate(manager, input.intentId);
      if (!intent) throw PaymentErrors.intentNotFound();
      if (intent.status !== 'succeeded') throw PaymentErrors.notRefundable();
      const refundable = intent.amountCents - intent.refundedCents;
      if (input.amountCents < 1 || input.amountCents > refundable) throw PaymentErrors.refundExceedsPayment(refundable);
      const now = new Date();
      const row: PaymentRefund = {
        id: newId(),
        intentId: intent.id,
        amountCents: input.amountCents,
        currency: intent.currency,
        idempotencyKey: input.idempotencyKey,
        status: 'pending',
        gatewayReference: null,
        createdAt: now,
        updatedAt: now,
        settledAt: null,
      };
      await this.intents.insertRefund(manager, row);
      await this.intents.addRefunded(manager, intent.id, input.amountCents, now);
      return row;
    });
    if (refund.status !== 'pending') return refund;
    return this.settleRefund(refund, await this.refundAtGateway(refund));
  }

  private async charge(intent: PaymentIntent): Promise<ChargeResult> {
    if (intent.amountCents === 0) return { status: 'succeeded', reference: 'no_charge' };
    try {
      return await this.gateway.charge({
        idempotencyKey: intent.idempotencyKey,
        amountCents: intent.amountCents,
        currency: intent.currency,
        paymentMethod: intent.paymentMethod,
        billingReason: intent.reason,
        description: `${intent.purpose} ${intent.referenceId}`,
      });
    } catch (error) {
      this.logger.warn(`gateway charge for intent ${intent.id} failed: ${(error as Error).message}`);
      throw PaymentErrors.gatewayUnavailable();
    }
  }

  private async refundAtGateway(refund: PaymentRefund): Promise<RefundResult> {
    const intent = await this.intents.findById(refund.intentId);
    try {
      return await this.gateway.refund({
        idempotencyKey: refund.idempotencyKey,
        chargeReference: intent?.gatewayReference ?? '',
        amountCents: refund.amountCents,
        currency: refund.currency,
      });
    } catch (error) {
      this.logger.warn(`gateway refund ${refund.id} failed: ${(error as Error).message}`);
      throw PaymentErrors.gatewayUnavailable();
    }
  }

  /** Step 3: records the outcome once and applies it, in one transaction. */
  private async settle(intent: PaymentIntent, result: ChargeResult): Promise<PaymentIntent> {
    const settled = await this.tx.run((manager) => this.settleIn(manager, intent, result));
    // Someone else (the reconcile job, a concurrent retry) recorded it first: theirs stands.
    return settled ?? ((await this.intents.findById(intent.id)) as PaymentIntent);
  }

  /** The outcome recorded (only if still pending) and applied on `manager`; null when already recorded. */
  private async settleIn(manager: EntityManager, intent: PaymentIntent, result: ChargeResult) {
    const now = new Date();
    if (!(await this.intents.settle(manager, intent.id, result, now))) return null;
    const after: PaymentIntent = {
      ...intent,
      status: result.status,
      gatewayReference: result.reference,
      declineCode: result.status === 'declined' ? result.declineCode : null,
      settledAt: now,
      updatedAt: now,
    };
    const applier = this.appliers.get(intent.purpose);
    if (applier) await applier(manager, after);
    this.faults.afterApply(after);
    return after;
  }

  private async settleRefund(refund: PaymentRefund, result: RefundResult): Promise<PaymentRefund> {
    const settled = await this.tx.run(async (manager) => {
      const now = new Date();
      if (!(await this.intents.settleRefund(manager, refund.id, result, now))) return null;
      if (result.status === 'failed')
        await this.intents.addRefunded(manager, refund.intentId, -refund.amountCents, now);
      const after: PaymentRefund = {
        ...refund,
        status: result.status,
        gatewayReference: result.status === 'succeeded' ? result.reference : null,
        settledAt: now,
        updatedAt: now,
      };
      const intent = await this.intents.findById(refund.intentId, manager);
      const applier = intent ? this.refundAppliers.get(intent.purpose) : undefined;
      if (applier && intent) await applier(manager, after, intent);
      return after;
    });
    return settled ?? ((await this.intents.findRefundByKey(refund.idempotencyKey)) as PaymentRefund);
  }
}
