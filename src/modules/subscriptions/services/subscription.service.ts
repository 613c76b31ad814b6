import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ownerScope } from '../../../common/auth/ownership.js';
import { newId } from '../../../common/ids.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../../common/pagination/pagination.js';
import { isDuplicateKey } from '../../../infrastructure/database/mysql-errors.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import type { AuthenticatedActor } from '../../../infrastructure/http/request-context.js';
import { AuditService } from '../../audit/index.js';
import { addDays, addInterval } from '../domain/billing-period.js';
import { planChangeLines, planInvoiceLines } from '../domain/invoice-lines.js';
import { prorate } from '../domain/proration.js';
import { transition } from '../domain/subscription-state-machine.js';
import {
  type ChangePlanBody,
  type ChangePlanResponse,
  type InvoiceResponse,
  mapInvoice,
  mapSubscription,
  type SubscribeBody,
  type SubscriptionListQuery,
  type SubscriptionResponse,
} from '../dto/subscription.dto.js';
import type { Invoice } from '../entities/invoice.entity.js';
import type { Plan } from '../entities/plan.entity.js';
import type { Subscription } from '../entities/subscription.entity.js';
import { InvoiceRepository } from '../repositories/invoice.repository.js';
import { PlanRepository } from '../repositories/plan.repository.js';
import { SubscriptionRepository } from '../repositories/subscription.repository.js';
import { SubscriptionErrors } from '../subscriptions.errors.js';
import { BillingCacheService } from './billing-cache.service.js';
import { BillingChargeService } from './billing-charge.service.js';
import { StockAdapter } from './stock.adapter.js';
import { SubscriptionAccess } from './subscription-access.service.js';

export const liveKeyOf = (userId: string, planId: string) => `${userId}:${planId}`;

interface Opened {
  subscription: Subscription;
  /** The payment intent to collect after commit (none for a trial or a trial-time plan switch). */
  intentId?: string;
}

/** A fresh subscription row; `status` and periods are set by the caller. */
function newSubscription(id: string, userId: string, plan: Plan, paymentMethod: string, at: Date): Subscription {
  return {
    id,
    userId,
    planId: plan.id,
    status: 'incomplete',
    paymentMethod,
    priceCents: plan.priceCents,
    currency: plan.currency,
    currentPeriodStart: null,
    currentPeriodEnd: null,
    trialEnd: null,
    cancelAtPeriodEnd: false,
    canceledAt: null,
    activatedAt: null,
    failedAttempts: 0,
    nextRetryAt: null,
    pendingInvoiceId: null,
    creditCents: 0,
    liveKey: liveKeyOf(userId, plan.id),
    billingAnchor: null,
    periodPaidCents: 0,
    periodPaidFrom: null,
    chargeIntentId: null,
    awaitingStockAt: null,
    hardDeclined: false,
    resumesAt: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

/** Subscribe, read, and change plan. Money moves through BillingChargeService (intent, charge, apply). */
@Injectable()
export class SubscriptionService {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly plans: PlanRepository,
    private readonly invoices: InvoiceRepository,
    private readonly charges: BillingChargeService,
    private readonly stock: StockAdapter,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly cache: BillingCacheService,
    private readonly access: SubscriptionAccess,
  ) {}

  /**
   * Subscribe. First transaction: the row with its `live_key` (the UNIQUE user+plan slot: a concurrent
   * duplicate fails → 409 before anything is charged), the invoice, the items held (short → 409, all
   * rolled back) and the payment intent. Then the charge, outside any transaction, and its outcome
   * applied (active, items shipped; or incomplete, items released, slot freed → 402).
   * A plan's trial is given once per customer: a second subscription to it is charged at once.
   */
  async subscribe(actor: AuthenticatedActor, dto: SubscribeBody): Promise<SubscriptionResponse> {
    const plan = await this.plans.findById(dto.planId);
    if (!plan) throw SubscriptionErrors.planNotFound();
    if (!plan.active) throw SubscriptionErrors.planInactive();
    const trial = plan.trialDays > 0 && !(await this.subscriptions.hadTrial(actor.id, plan.id));
    const subscriptionId = newId();
    const invoiceId = newId();
    let opened: Opened;
    try {
      opened = await this.tx.run((manager) =>
        this.open(manager, newSubscription(subscriptionId, actor.id, plan, dto.paymentMethod, new Date()), plan, {
          trial,
          invoiceId,
        }),
      );
    } catch (error) {
      if (isDuplicateKey(error)) throw SubscriptionErrors.alreadySubscribed();
      throw error;
    }
    if (opened.intentId) {
      const settled = await this.charges.collect(opened.intentId);
      await this.cache.subscriptionsChanged([actor.id]);
      if (settled.status !== 'succeeded') {
        throw SubscriptionErrors.paymentDeclined(subscriptionId, invoiceId, settled.declineCode ?? 'payment_failed');
      }
      if (plan.items.length > 0) await this.stock.invalidate(plan.items.map((item) => item.productId));
    } else {
      await this.cache.subscriptionsChanged([actor.id]);
    }
    return mapSubscription((await this.subscriptions.findById(subscriptionId)) ?? opened.subscription);
  }

  private async open(
    manager: EntityManager,
    base: Subscription,
    plan: Plan,
    options: { trial: boolean; invoiceId: string },
  ): Promise<Opened> {
    const now = base.createdAt;
    if (options.trial) {
      const trialEnd = addDays(now, plan.trialDays);
      const subscription: Subscription = {
        ...base,
        status: transition('incomplete', 'start_trial'),
        currentPeriodStart: now,
        currentPeriodEnd: trialEnd,
        trialEnd,
        // The paid cycle starts when the trial ends.
        billingAnchor: trialEnd,
      };
      await this.subscriptions.insert(manager, subscription);
      await this.audit.record(manager, {
        action: 'subscription.create',
        entityType: 'subscription',
        entityId: subscription.id,
        changes: { planId: plan.id, status: subscription.status, trialEnd: trialEnd.toISOString() },
      });
      return { subscription };
    }
    await this.subscriptions.insert(manager, base);
    const periodEnd = addInterval(now, plan.interval);
    const { lines, amountCents } = planInvoiceLines(plan, now, periodEnd, 0);
    const invoice = newInvoice(options.invoiceId, base, plan, {
      amountCents,
      lines,
      billingReason: 'subscription_create',
      periodStart: now,
      periodEnd,
      at: now,
    });
    const intentId = await this.charges.open(manager, {
      subscription: base,
      invoice,
      plan,
      newInvoice: true,
      origin: 'attempt',
      attempt: 1,
    });
    return { subscription: base, intentId };
  }

  async list(actor: AuthenticatedActor, query: SubscriptionListQuery): Promise<Page<SubscriptionResponse>> {
    const scope = ownerScope(actor, 'subscriptions:read-all');
    const limit = pageSize(query);
    const before = decodeCursor(query.cursor, 1);
    const rows = await this.subscriptions.list({
      userId: scope ?? query.userId,
      status: query.status,
      beforeId: before?.[0] as string | undefined,
      limit,
    });
    return toPage(rows, limit, (row) => [row.id], mapSubscription);
  }

  async get(actor: AuthenticatedActor, id: string): Promise<SubscriptionResponse> {
    return mapSubscription(await this.access.visible(actor, id));
  }

  async invoicesOf(
    actor: AuthenticatedActor,
    id: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<InvoiceResponse>> {
    await this.access.visible(actor, id);
    const limit = pageSize(query);
    const before = decodeCursor(query.cursor, 1);
    const rows = await this.invoices.list(id, limit, before?.[0] as string | undefined);
    return toPage(rows, limit, (row) => [row.id], mapInvoice);
  }

  /**
   * Immediate plan change with a prorated invoice (domain/proration.ts): the credit is for the unused
   * part of what was really paid for the period. A plan change never ships items (the new plan's
   * ship from its next renewal). During a trial the plan is switched with no invoice. A decline (402)
   * leaves the subscription as it was and keeps only the void invoice and the declined attempt.
   */
  async changePlan(actor: AuthenticatedActor, id: string, dto: ChangePlanBody): Promise<ChangePlanResponse> {
    await this.access.manageable(actor, id);
    const plan = await this.plans.findById(dto.planId);
    if (!plan) throw SubscriptionErrors.planNotFound();
    if (!plan.active) throw SubscriptionErrors.planInactive();
    const invoiceId = newId();
    let opened: Opened;
    try {
      opened = await this.tx.run((manager) => this.openPlanChange(manager, id, plan, invoiceId));
    } catch (error) {
      if (isDuplicateKey(error)) throw SubscriptionErrors.alreadySubscribed();
      throw error;
    }
    let invoice: Invoice | null = null;
    if (opened.intentId) {
      const settled = await this.charges.collect(opened.intentId);
      if (settled.status !== 'succeeded') {
        throw SubscriptionErrors.paymentDeclined(id, invoiceId, settled.declineCode ?? 'payment_failed');
      }
      invoice = (await this.invoices.findByIds(this.subscriptions.manager, [invoiceId])).get(invoiceId) ?? null;
    }
    const subscription = (await this.subscriptions.findById(id)) ?? opened.subscription;
    await this.cache.subscriptionsChanged([subscription.userId]);
    return { ...mapSubscription(subscription), invoice: invoice ? mapInvoice(invoice) : null };
  }

  private async openPlanChange(manager: EntityManager, id: string, plan: Plan, invoiceId: string): Promise<Opened> {
    const current = await this.access.locked(manager, id);
    if (current.planId === plan.id) throw SubscriptionErrors.samePlan();
    const status = transition(current.status, 'change_plan');
    if (plan.currency !== current.currency) throw SubscriptionErrors.currencyMismatch();
    if (current.chargeIntentId) throw SubscriptionErrors.paymentInProgress();
    const now = new Date();
    if (current.status === 'trialing') {
      const changes = {
        status,
        planId: plan.id,
        priceCents: plan.priceCents,
        liveKey: liveKeyOf(current.userId, plan.id),
      };
      if (!(await this.subscriptions.transition(manager, current, changes, now))) {
        throw SubscriptionErrors.concurrentUpdate();
      }
      await this.audit.record(manager, {
        action: 'subscription.change_plan',
        entityType: 'subscription',
        entityId: current.id,
        changes: { planId: { from: current.planId, to: plan.id }, invoiceId: null, amountCents: 0 },
      });
      return { subscription: { ...current, ...changes, version: current.version + 1, updatedAt: now } };
    }
    if (await this.subscriptions.liveKeyTaken(manager, liveKeyOf(current.userId, plan.id))) {
      throw SubscriptionErrors.alreadySubscribed();
    }
    const oldPlan = await this.plans.findById(current.planId, manager);
    const proration = prorate({
      periodStart: current.currentPeriodStart as Date,
      periodEnd: current.currentPeriodEnd as Date,
      at: now,
      paidCents: current.periodPaidCents,
      paidFrom: current.periodPaidFrom ?? undefined,
      oldInterval: oldPlan?.interval ?? plan.interval,
      newPriceCents: plan.priceCents,
      newInterval: plan.interval,
    });
    const { lines, amountCents } = planChangeLines(
      { id: current.planId, name: oldPlan?.name ?? 'previous plan' },
      plan,
      proration,
      current.creditCents,
    );
    const invoice = newInvoice(invoiceId, current, plan, {
      amountCents,
      lines,
      billingReason: 'subscription_update',
      periodStart: proration.periodStart,
      periodEnd: proration.periodEnd,
      at: now,
    });
    const intentId = await this.charges.open(manager, {
      subscription: current,
      invoice,
      plan,
      newInvoice: true,
      origin: 'attempt',
      attempt: 1,
    });
    return { subscription: current, intentId };
  }
}

/** An open invoice of `subscription` for `plan`. */
export function newInvoice(
  id: string,
  subscription: Pick<Subscription, 'id' | 'userId'>,
  plan: Plan,
  fields: Pick<Invoice, 'amountCents' | 'lines' | 'billingReason' | 'periodStart' | 'periodEnd'> & { at: Date },
): Invoice {
  const { at, ...rest } = fields;
  return {
    id,
    subscriptionId: subscription.id,
    userId: subscription.userId,
    planId: plan.id,
    currency: plan.currency,
    status: 'open',
    paidAt: null,
    createdAt: at,
    updatedAt: at,
    ...rest,
  };
}
