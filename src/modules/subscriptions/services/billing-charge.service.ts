import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../../../common/ids.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { AuditService } from '../../audit/index.js';
import { type PaymentIntent, PaymentIntents } from '../../payments/index.js';
import { addHours } from '../domain/billing-period.js';
import { periodValue, readPlanChange } from '../domain/invoice-lines.js';
import { transition } from '../domain/subscription-state-machine.js';
import type { Invoice } from '../entities/invoice.entity.js';
import type { Plan } from '../entities/plan.entity.js';
import type { Subscription } from '../entities/subscription.entity.js';
import { InvoiceRepository } from '../repositories/invoice.repository.js';
import { PlanRepository } from '../repositories/plan.repository.js';
import { type SubscriptionChanges, SubscriptionRepository } from '../repositories/subscription.repository.js';
import { SubscriptionErrors } from '../subscriptions.errors.js';
import { monthlyCents, MrrMovements } from './mrr-movements.service.js';
import { StockAdapter } from './stock.adapter.js';
import { businessTime } from './business-time.js';

/** `attempt`: the n-th automatic try of an invoice (subscribe, renewal, dunning); `pay`: the customer's pay-now. */
export type ChargeOrigin = 'attempt' | 'pay';

export function chargeIdempotencyKey(invoiceId: string, origin: ChargeOrigin, n: number | string): string {
  return `invoice:${invoiceId}:${origin}:${n}`;
}

/** A hard decline: the card is refused for good, so automatic retries stop until the payment method changes. */
const HARD_DECLINES = new Set(['card_declined', 'unknown_payment_method']);

export interface OpenCharge {
  subscription: Subscription;
  invoice: Invoice;
  plan: Plan;
  /** Insert the invoice (false: a pending renewal invoice charged again). */
  newInvoice: boolean;
  origin: ChargeOrigin;
  attempt: number | string;
}

interface Settlement {
  manager: EntityManager;
  intent: PaymentIntent;
  invoice: Invoice;
  s: Subscription;
  plan: Plan;
  paid: boolean;
  now: Date;
  /** When the MRR moved: the renewal run's `asOf` during a run, else `now` (see businessTime). */
  movedAt: Date;
}

/**
 * The ONE charge-and-apply path of subscriptions (subscribe, renewals and dunning, plan changes, pay,
 * resume), on the payments module's intents:
 * 1. `open` — in the caller's transaction, with the subscription row locked: the invoice, the items
 *    held (only for a period that ships: never for a plan change), the payment intent, and the
 *    subscription marked as charging (renewals skip it, other changes wait for it);
 * 2. `collect` — after commit: the charge, outside any transaction;
 * 3. `apply` — the registered applier, in the transaction that records the outcome: the items ship
 *    or go back, the invoice is paid or voided, the subscription transitions, audited, with its MRR
 *    movement. The reconcile job runs the same `apply` for a flow that was interrupted.
 */
@Injectable()
export class BillingChargeService implements OnModuleInit {
  constructor(
    private readonly intents: PaymentIntents,
    private readonly subscriptions: SubscriptionRepository,
    private readonly invoices: InvoiceRepository,
    private readonly plans: PlanRepository,
    private readonly stock: StockAdapter,
    private readonly audit: AuditService,
    private readonly mrr: MrrMovements,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.intents.registerApplier('subscription_invoice', (manager, intent) => this.apply(manager, intent));
  }

  /** Step 1. 409 `out_of_stock` (from the hold) rolls the caller's transaction back: nothing charged. */
  async open(manager: EntityManager, c: OpenCharge): Promise<string> {
    await this.hold(manager, c);
    const [intentId] = await this.openMany(manager, [c]);
    return intentId;
  }

  /** The items of a period that ships, held (reserved) until the outcome; 409 `out_of_stock` when short. */
  async hold(manager: EntityManager, c: OpenCharge): Promise<void> {
    if (ships(c.invoice)) await this.stock.hold(manager, c.plan.items, holdReference(c.subscription, c.invoice));
  }

  /**
   * Step 1 for charges whose items are already held (`hold`): their new invoices, payment intents and
   * charging marks, in one statement each whatever the count (a renewal batch). Intent ids in order.
   */
  async openMany(manager: EntityManager, charges: readonly OpenCharge[]): Promise<string[]> {
    if (charges.length === 0) return [];
    await this.invoices.insertMany(
      manager,
      charges.filter((c) => c.newInvoice).map((c) => c.invoice),
    );
    const intents = await this.intents.createMany(
      manager,
      charges.map((c) => ({
        purpose: 'subscription_invoice' as const,
        referenceId: c.invoice.id,
        userId: c.subscription.userId,
        amountCents: c.invoice.amountCents,
        currency: c.invoice.currency,
        paymentMethod: c.subscription.paymentMethod,
        reason: c.invoice.billingReason,
        idempotencyKey: chargeIdempotencyKey(c.invoice.id, c.origin, c.attempt),
      })),
    );
    await this.subscriptions.setChargeIntents(
      manager,
      charges.map((c, i) => ({ id: c.subscription.id, intentId: intents[i].id })),
    );
    return intents.map((intent) => intent.id);
  }

  /** Steps 2 and 3; the settled intent (a retry of a settled one charges nothing). */
  collect(intentId: string): Promise<PaymentIntent> {
    return this.intents.execute(intentId);
  }

  /** Steps 2 and 3 for a renewal batch: outcomes applied in one transaction (see PaymentIntents.executeMany). */
  collectMany(intentIds: readonly string[]): Promise<PaymentIntent[]> {
    return this.intents.executeMany(intentIds);
  }

  private async apply(manager: EntityManager, intent: PaymentIntent): Promise<void> {
    const invoice = await this.invoices.findForUpdate(manager, intent.referenceId);
    if (!invoice) throw new Error(`payment intent ${intent.id}: invoice ${intent.referenceId} is missing`);
    const s = await this.subscriptions.findForUpdate(manager, invoice.subscriptionId);
    const plan = await this.plans.findById(invoice.planId, manager);
    if (!s || !plan) throw new Error(`payment intent ${intent.id}: subscription or plan is missing`);
    const ctx: Settlement = {
      manager,
      intent,
      invoice,
      s,
      plan,
      paid: intent.status === 'succeeded',
      now: new Date(),
      movedAt: businessTime.now(),
    };
    await this.recordAttempt(ctx);
    if (ships(invoice)) await this.stock.settleHold(manager, plan.items, holdReference(s, invoice), ctx.paid);
    if (ctx.paid) await this.invoices.setStatus(manager, invoice.id, 'open', 'paid', ctx.now);
    if (invoice.billingReason === 'subscription_update') return this.applyPlanChange(ctx);
    if (s.status === 'incomplete') return this.applySubscribe(ctx);
    if (s.status === 'paused') return this.applyResume(ctx);
    return this.applyRenewal(ctx);
  }

  private async applySubscribe({ manager, invoice, s, plan, paid, now, movedAt, intent }: Settlement): Promise<void> {
    if (!paid) {
      await this.invoices.setStatus(manager, invoice.id, 'open', 'void', now);
      await this.transition(manager, s, { liveKey: null, chargeIntentId: null }, now);
      await this.audit.record(manager, {
        action: 'subscription.create',
        entityType: 'subscription',
        entityId: s.id,
        outcome: 'failure',
        changes: { planId: plan.id, status: 'incomplete', reason: 'payment_declined', declineCode: intent.declineCode },
      });
      return;
    }
    const status = transition(s.status, 'activate');
    await this.transition(manager, s, { ...this.paidPeriod(invoice, s, plan, now), status }, now);
    await this.audit.record(manager, {
      action: 'subscription.create',
      entityType: 'subscription',
      entityId: s.id,
      changes: { planId: plan.id, status, invoiceId: invoice.id, amountCents: invoice.amountCents },
    });
    await this.mrr.record(manager, mrrChange(s, movedAt), 'new', monthlyCents(plan.priceCents, plan.interval));
  }

  private async applyResume({ manager, invoice, s, plan, paid, now, movedAt, intent }: Settlement): Promise<void> {
    if (!paid) {
      // The credit the void invoice had taken goes back.
      const applied = -invoice.lines.filter((l) => l.kind === 'credit_applied').reduce((t, l) => t + l.amountCents, 0);
      await this.invoices.setStatus(manager, invoice.id, 'open', 'void', now);
      // An automatic resume that failed is not tried again by itself: the customer resumes by hand.
      const changes = { chargeIntentId: null, creditCents: s.creditCents + applied, resumesAt: null };
      await this.transition(manager, s, changes, now);
    } else {
      const changes = {
        ...this.paidPeriod(invoice, s, plan, now),
        billingAnchor: invoice.periodStart,
        resumesAt: null,
      };
      await this.transition(manager, s, { ...changes, status: transition(s.status, 'resume') }, now);
      await this.mrr.record(
        manager,
        mrrChange(s, movedAt),
        'reactivation',
        monthlyCents(plan.priceCents, plan.interval),
      );
    }
    await this.audit.record(manager, {
      action: 'subscription.resume',
      entityType: 'subscription',
      entityId: s.id,
      outcome: paid ? 'success' : 'failure',
      changes: paid
        ? { status: { from: 'paused', to: 'active' }, invoiceId: invoice.id, amountCents: invoice.amountCents }
        : { invoiceId: invoice.id, reason: 'payment_declined', declineCode: intent.declineCode },
    });
  }

  private async applyPlanChange({ manager, invoice, s, plan, paid, now, movedAt, intent }: Settlement): Promise<void> {
    if (!paid) {
      // Nothing changed: the subscription keeps its version.
      await this.invoices.setStatus(manager, invoice.id, 'open', 'void', now);
      await this.subscriptions.setChargeIntent(manager, s.id, null);
      await this.audit.record(manager, {
        action: 'subscription.change_plan',
        entityType: 'subscription',
        entityId: s.id,
        outcome: 'failure',
        changes: {
          planId: { from: s.planId, to: plan.id },
          invoiceId: invoice.id,
          reason: 'payment_declined',
          declineCode: intent.declineCode,
        },
      });
      return;
    }
    const oldPlan = await this.plans.findById(s.planId, manager);
    const { paidForPeriod, creditLeft } = readPlanChange(invoice.lines, s.creditCents);
    const restarted = invoice.periodStart.getTime() !== s.currentPeriodStart?.getTime();
    const changes: SubscriptionChanges = {
      planId: plan.id,
      priceCents: plan.priceCents,
      liveKey: `${s.userId}:${plan.id}`,
      currentPeriodStart: invoice.periodStart,
      currentPeriodEnd: invoice.periodEnd,
      creditCents: creditLeft,
      periodPaidCents: paidForPeriod,
      periodPaidFrom: invoice.createdAt,
      chargeIntentId: null,
      ...(restarted ? { billingAnchor: invoice.periodStart } : {}),
    };
    await this.transition(manager, s, { ...changes, status: transition(s.status, 'change_plan') }, now);
    await this.audit.record(manager, {
      action: 'subscription.change_plan',
      entityType: 'subscription',
      entityId: s.id,
      changes: { planId: { from: s.planId, to: plan.id }, invoiceId: invoice.id, amountCents: invoice.amountCents },
    });
    if (s.status === 'active' || s.status === 'past_due') {
      const before = oldPlan ? monthlyCents(s.priceCents, oldPlan.interval) : 0;
      await this.mrr.recordDelta(manager, mrrChange(s, movedAt), before, monthlyCents(plan.priceCents, plan.interval));
    }
  }

  /** Trial conversion, renewal, dunning retry, pay-now: the invoice of the period that follows the current one. */
  private async applyRenewal(ctx: Settlement): Promise<void> {
    const { manager, invoice, s, plan, paid, now, movedAt } = ctx;
    const byCustomer = ctx.intent.idempotencyKey.includes(':pay:');
    if (!paid) return byCustomer ? this.payDeclined(ctx) : this.renewalDeclined(ctx);
    const from = s.status;
    const status = transition(from, from === 'trialing' ? 'convert' : from === 'past_due' ? 'recover' : 'renew');
    await this.transition(manager, s, { ...this.paidPeriod(invoice, s, plan, now), status }, now);
    await this.audit.record(manager, {
      action: byCustomer ? 'subscription.pay' : 'subscription.renew',
      entityType: 'subscription',
      entityId: s.id,
      changes: {
        status: { from, to: status },
        invoiceId: invoice.id,
        amountCents: invoice.amountCents,
        periodStart: invoice.periodStart.toISOString(),
        periodEnd: invoice.periodEnd.toISOString(),
      },
    });
    const change = mrrChange(s, movedAt);
    const monthly = monthlyCents(plan.priceCents, plan.interval);
    if (from === 'trialing') await this.mrr.record(manager, change, 'new', monthly);
    else await this.mrr.recordDelta(manager, change, monthlyCents(s.priceCents, plan.interval), monthly);
  }

  private async payDeclined({ manager, invoice, s, intent }: Settlement): Promise<void> {
    await this.subscriptions.setChargeIntent(manager, s.id, null);
    await this.audit.record(manager, {
      action: 'subscription.pay',
      entityType: 'subscription',
      entityId: s.id,
      outcome: 'failure',
      changes: { invoiceId: invoice.id, reason: 'payment_declined', declineCode: intent.declineCode },
    });
  }

  /** Dunning: past_due with a retry on the schedule, none after a hard decline, canceled after the last. */
  private async renewalDeclined({ manager, invoice, s, plan, now, movedAt, intent }: Settlement): Promise<void> {
    const retryHours = this.config.billing.dunningRetryHours;
    const failedAttempts = s.failedAttempts + 1;
    const hard = HARD_DECLINES.has(intent.declineCode ?? '');
    const from = s.status;
    const periodEnd = s.currentPeriodEnd as Date;
    let changes: SubscriptionChanges;
    if (!hard && failedAttempts > retryHours.length) {
      await this.invoices.setStatus(manager, invoice.id, 'open', 'void', now);
      const status = transition(from, 'dunning_exhausted');
      changes = { status, canceledAt: now, liveKey: null, nextRetryAt: null, pendingInvoiceId: null };
      await this.mrr.record(manager, mrrChange(s, movedAt), 'churn', monthlyCents(s.priceCents, plan.interval));
    } else {
      changes = {
        status: transition(from, from === 'past_due' ? 'retry_failed' : 'renewal_failed'),
        nextRetryAt: hard ? null : addHours(periodEnd, retryHours[failedAttempts - 1]),
        pendingInvoiceId: invoice.id,
        hardDeclined: hard,
      };
      // A trial whose first charge failed enters MRR as past_due.
      if (from === 'trialing') {
        await this.mrr.record(manager, mrrChange(s, movedAt), 'new', monthlyCents(plan.priceCents, plan.interval));
      }
    }
    await this.transition(manager, s, { ...changes, failedAttempts, chargeIntentId: null }, now);
    await this.audit.record(manager, {
      action: 'subscription.renew_failed',
      entityType: 'subscription',
      entityId: s.id,
      outcome: 'failure',
      changes: {
        status: { from, to: changes.status },
        invoiceId: invoice.id,
        attempt: failedAttempts,
        declineCode: intent.declineCode,
        nextRetryAt: changes.nextRetryAt?.toISOString() ?? null,
      },
    });
  }

  /** The columns of a subscription whose period `invoice` paid. */
  private paidPeriod(invoice: Invoice, s: Subscription, plan: Plan, now: Date): SubscriptionChanges {
    return {
      currentPeriodStart: invoice.periodStart,
      currentPeriodEnd: invoice.periodEnd,
      priceCents: plan.priceCents,
      activatedAt: s.activatedAt ?? now,
      billingAnchor: s.billingAnchor ?? invoice.periodStart,
      periodPaidCents: periodValue(invoice.lines),
      periodPaidFrom: invoice.periodStart,
      failedAttempts: 0,
      nextRetryAt: null,
      pendingInvoiceId: null,
      hardDeclined: false,
      awaitingStockAt: null,
      chargeIntentId: null,
    };
  }

  private async recordAttempt({ manager, intent, invoice, s }: Settlement): Promise<void> {
    if (intent.amountCents === 0) return;
    const n = Number(/:(\d+)$/.exec(intent.idempotencyKey)?.[1] ?? s.failedAttempts + 1);
    await this.invoices.insertAttempts(manager, [
      {
        id: newId(),
        invoiceId: invoice.id,
        subscriptionId: s.id,
        attempt: n,
        idempotencyKey: intent.idempotencyKey,
        amountCents: intent.amountCents,
        currency: intent.currency,
        status: intent.status === 'succeeded' ? 'succeeded' : 'declined',
        declineCode: intent.declineCode,
        gateway: intent.gateway,
        gatewayReference: intent.gatewayReference,
        createdAt: intent.settledAt ?? new Date(),
      },
    ]);
  }

  private async transition(manager: EntityManager, s: Subscription, changes: SubscriptionChanges, now: Date) {
    if (!(await this.subscriptions.transition(manager, s, changes, now))) throw SubscriptionErrors.concurrentUpdate();
  }
}

/** Only a period being paid ships items: subscribe, trial end, renewals, pay, resume; never a plan change. */
function ships(invoice: Invoice): boolean {
  return invoice.billingReason !== 'subscription_update';
}

/** The stock ledger names the subscription for its first shipment, the renewal invoice afterwards. */
function holdReference(s: Subscription, invoice: Invoice) {
  return s.status === 'incomplete'
    ? { type: 'subscription', id: s.id }
    : { type: 'subscription_renewal', id: invoice.id };
}

function mrrChange(s: Subscription, occurredAt: Date) {
  return { subscriptionId: s.id, userId: s.userId, currency: s.currency, occurredAt };
}
