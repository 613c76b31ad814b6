import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../../../common/ids.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import type { AuthenticatedActor } from '../../../infrastructure/http/request-context.js';
import { AuditService } from '../../audit/index.js';
import { addInterval } from '../domain/billing-period.js';
import { planInvoiceLines } from '../domain/invoice-lines.js';
import { prorate } from '../domain/proration.js';
import { type SubscriptionEvent, transition } from '../domain/subscription-state-machine.js';
import {
  type CancelSubscriptionBody,
  mapSubscription,
  type PauseSubscriptionBody,
  type PaymentMethodBody,
  type SubscriptionResponse,
} from '../dto/subscription.dto.js';
import type { Subscription } from '../entities/subscription.entity.js';
import { InvoiceRepository } from '../repositories/invoice.repository.js';
import { PlanRepository } from '../repositories/plan.repository.js';
import { type SubscriptionChanges, SubscriptionRepository } from '../repositories/subscription.repository.js';
import { SubscriptionErrors } from '../subscriptions.errors.js';
import { BillingCacheService } from './billing-cache.service.js';
import { BillingChargeService } from './billing-charge.service.js';
import { monthlyCents, MrrMovements } from './mrr-movements.service.js';
import { StockAdapter } from './stock.adapter.js';
import { SubscriptionAccess } from './subscription-access.service.js';

interface Step {
  action: string;
  changes: SubscriptionChanges;
  audit: Record<string, unknown>;
}

/**
 * The customer's lifecycle calls: cancel, pause, resume, reactivate, pay now, payment-method update.
 * Each is one transition of the state machine, audited, in one transaction. A call is judged against
 * the subscription as the caller last saw it: of two racing calls (pause vs cancel) the second finds
 * the row changed and gets 409 `concurrent_update`: one wins. Pay and resume move money through
 * BillingChargeService (intent committed, charge outside the transaction, outcome applied).
 */
@Injectable()
export class SubscriptionLifecycleService {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly plans: PlanRepository,
    private readonly invoices: InvoiceRepository,
    private readonly charges: BillingChargeService,
    private readonly stock: StockAdapter,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly cache: BillingCacheService,
    private readonly mrr: MrrMovements,
    private readonly access: SubscriptionAccess,
  ) {}

  /** `atPeriodEnd`: keep it live until the period ends; otherwise cancel now (open invoices are voided). */
  cancel(actor: AuthenticatedActor, id: string, dto: CancelSubscriptionBody): Promise<SubscriptionResponse> {
    return this.step(actor, id, dto.atPeriodEnd ? 'schedule_cancel' : 'cancel', async (manager, current, now) => {
      if (dto.atPeriodEnd) {
        return {
          action: 'subscription.cancel',
          changes: { cancelAtPeriodEnd: true },
          audit: { atPeriodEnd: true },
        };
      }
      await this.invoices.voidOpen(manager, id, now);
      await this.recordChurn(manager, current, now);
      return {
        action: 'subscription.cancel',
        changes: { canceledAt: now, liveKey: null, nextRetryAt: null, pendingInvoiceId: null, resumesAt: null },
        audit: { atPeriodEnd: false },
      };
    });
  }

  /**
   * active → paused: no entitlements, renewals, items or MRR until resumed (by `resumesAt` or `resume`).
   * The unused part of what was paid for the period becomes credit for the resumed period.
   */
  pause(actor: AuthenticatedActor, id: string, dto: PauseSubscriptionBody): Promise<SubscriptionResponse> {
    const resumesAt = dto.resumesAt ? new Date(dto.resumesAt) : null;
    if (resumesAt && resumesAt.getTime() <= Date.now()) throw SubscriptionErrors.resumesAtInPast();
    return this.step(actor, id, 'pause', async (manager, current, now) => {
      const plan = await this.plans.findById(current.planId, manager);
      const unused = prorate({
        periodStart: current.currentPeriodStart as Date,
        periodEnd: current.currentPeriodEnd as Date,
        at: now,
        paidCents: current.periodPaidCents,
        paidFrom: current.periodPaidFrom ?? undefined,
        oldInterval: plan?.interval ?? 'month',
        newPriceCents: 0,
        newInterval: plan?.interval ?? 'month',
      }).creditCents;
      if (current.status === 'active') await this.recordChurn(manager, current, now);
      return {
        action: 'subscription.pause',
        changes: { resumesAt, creditCents: current.creditCents + unused, periodPaidCents: 0, periodPaidFrom: now },
        audit: { resumesAt: resumesAt?.toISOString() ?? null, creditCents: unused },
      };
    });
  }

  /** Clears `cancelAtPeriodEnd` before the period ends; 409 once canceled. */
  reactivate(actor: AuthenticatedActor, id: string): Promise<SubscriptionResponse> {
    return this.step(actor, id, 'reactivate', async () => ({
      action: 'subscription.reactivate',
      changes: { cancelAtPeriodEnd: false },
      audit: { cancelAtPeriodEnd: { from: true, to: false } },
    }));
  }

  /** Later charges use the new card; a past_due one whose retries had stopped (hard decline) is retried at the next run. */
  paymentMethod(actor: AuthenticatedActor, id: string, dto: PaymentMethodBody): Promise<SubscriptionResponse> {
    return this.step(actor, id, 'update_payment_method', async (_manager, current, now) => ({
      action: 'subscription.payment_method_change',
      changes: {
        paymentMethod: dto.paymentMethod,
        hardDeclined: false,
        ...(current.status === 'past_due' && current.nextRetryAt === null ? { nextRetryAt: now } : {}),
      },
      // The token itself is a reference, but it is never logged or returned.
      audit: { paymentMethodChanged: true },
    }));
  }

  /** past_due → active now: the open invoice charged with the current card. Concurrent calls share one charge. */
  async pay(actor: AuthenticatedActor, id: string): Promise<SubscriptionResponse> {
    await this.access.manageable(actor, id);
    const intentId = await this.tx.run(async (manager) => {
      const current = await this.access.locked(manager, id);
      if (current.chargeIntentId) return current.chargeIntentId; // join the charge in flight
      if (current.status !== 'past_due' || !current.pendingInvoiceId) throw SubscriptionErrors.nothingDue();
      const invoice = (await this.invoices.findByIds(manager, [current.pendingInvoiceId])).get(
        current.pendingInvoiceId,
      );
      const plan = invoice ? await this.plans.findById(invoice.planId, manager) : null;
      if (!invoice || !plan || invoice.status !== 'open') throw SubscriptionErrors.nothingDue();
      return this.charges.open(manager, {
        subscription: current,
        invoice,
        plan,
        newInvoice: false,
        origin: 'pay',
        attempt: newId(),
      });
    });
    return this.settle(id, intentId);
  }

  /** paused → active: a new period starts now and is charged (402: it stays paused). */
  async resume(actor: AuthenticatedActor, id: string): Promise<SubscriptionResponse> {
    await this.access.manageable(actor, id);
    const intentId = await this.tx.run((manager) => this.openResume(manager, id, new Date()));
    return this.settle(id, intentId);
  }

  /** The resume charge (also the renewal run's, for `resumesAt`), in the caller's transaction. */
  async openResume(manager: EntityManager, id: string, now: Date): Promise<string> {
    const current = await this.access.locked(manager, id);
    if (current.chargeIntentId) return current.chargeIntentId;
    transition(current.status, 'resume');
    const plan = await this.plans.findById(current.planId, manager);
    if (!plan) throw SubscriptionErrors.planNotFound();
    const periodEnd = addInterval(now, plan.interval);
    const { lines, amountCents, creditLeft } = planInvoiceLines(plan, now, periodEnd, current.creditCents);
    if (!(await this.subscriptions.transition(manager, current, { creditCents: creditLeft }, now))) {
      throw SubscriptionErrors.concurrentUpdate();
    }
    const invoiceId = newId();
    return this.charges.open(manager, {
      subscription: current,
      invoice: {
        id: invoiceId,
        subscriptionId: current.id,
        userId: current.userId,
        planId: plan.id,
        amountCents,
        currency: plan.currency,
        status: 'open',
        billingReason: 'subscription_cycle',
        periodStart: now,
        periodEnd,
        lines,
        paidAt: null,
        createdAt: now,
        updatedAt: now,
      },
      plan,
      newInvoice: true,
      origin: 'attempt',
      attempt: 1,
    });
  }

  private async settle(id: string, intentId: string): Promise<SubscriptionResponse> {
    const settled = await this.charges.collect(intentId);
    const subscription = (await this.subscriptions.findById(id)) as Subscription;
    await this.cache.subscriptionsChanged([subscription.userId]);
    if (settled.status !== 'succeeded') {
      throw SubscriptionErrors.paymentDeclined(id, settled.referenceId, settled.declineCode ?? 'payment_failed');
    }
    const plan = await this.plans.findById(subscription.planId);
    if (plan && plan.items.length > 0) await this.stock.invalidate(plan.items.map((item) => item.productId));
    return mapSubscription(subscription);
  }

  /**
   * One transition without money: the row locked, checked against the version the caller saw (a race
   * is 409), the step's changes applied conditionally, audited.
   */
  private async step(
    actor: AuthenticatedActor,
    id: string,
    event: SubscriptionEvent,
    decide: (manager: EntityManager, current: Subscription, now: Date) => Promise<Step>,
  ): Promise<SubscriptionResponse> {
    const seen = await this.access.manageable(actor, id);
    const updated = await this.tx.run(async (manager) => {
      const current = await this.access.locked(manager, id);
      if (current.version !== seen.version) throw SubscriptionErrors.concurrentUpdate();
      const status = transition(current.status, event);
      if (current.chargeIntentId && event !== 'update_payment_method') throw SubscriptionErrors.paymentInProgress();
      const now = new Date();
      const step = await decide(manager, current, now);
      const changes = { ...step.changes, status };
      if (!(await this.subscriptions.transition(manager, current, changes, now))) {
        throw SubscriptionErrors.concurrentUpdate();
      }
      await this.audit.record(manager, {
        action: step.action,
        entityType: 'subscription',
        entityId: id,
        changes: { ...step.audit, status: { from: current.status, to: status } },
      });
      return { ...current, ...changes, version: current.version + 1, updatedAt: now };
    });
    await this.cache.subscriptionsChanged([updated.userId]);
    return mapSubscription(updated);
  }

  /** Leaving MRR (cancel, pause): churn of what an active or past_due subscription counted. */
  private async recordChurn(manager: EntityManager, s: Subscription, now: Date): Promise<void> {
    if (s.status !== 'active' && s.status !== 'past_due') return;
    const plan = await this.plans.findById(s.planId, manager);
    await this.mrr.record(
      manager,
      { subscriptionId: s.id, userId: s.userId, currency: s.currency, occurredAt: now },
      'churn',
      monthlyCents(s.priceCents, plan?.interval ?? 'month'),
    );
  }
}
