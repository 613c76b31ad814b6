import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { assertOwnerOr, ownerScope } from '../../../common/auth/ownership.js';
import { hasPermission } from '../../../common/auth/permissions.js';
import { forbidden, notFound } from '../../../common/errors/domain-error.js';
import { newId } from '../../../common/ids.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../../common/pagination/pagination.js';
import { isDuplicateKey } from '../../../infrastructure/database/mysql-errors.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import type { AuthenticatedActor } from '../../../infrastructure/http/request-context.js';
import { AuditService } from '../../audit/index.js';
import { addDays, addInterval } from '../domain/billing-period.js';
import { prorate } from '../domain/proration.js';
import { transition } from '../domain/subscription-state-machine.js';
import {
  type CancelSubscriptionDto,
  type ChangePlanDto,
  type ChangePlanResponse,
  type InvoiceResponse,
  mapInvoice,
  mapSubscription,
  type SubscribeDto,
  type SubscriptionListQuery,
  type SubscriptionResponse,
} from '../dto/subscription.dto.js';
import type { Invoice, InvoiceLine } from '../entities/invoice.entity.js';
import type { Plan } from '../entities/plan.entity.js';
import type { Subscription } from '../entities/subscription.entity.js';
import { InvoiceRepository } from '../repositories/invoice.repository.js';
import { PlanRepository } from '../repositories/plan.repository.js';
import { type SubscriptionChanges, SubscriptionRepository } from '../repositories/subscription.repository.js';
import { SubscriptionErrors } from '../subscriptions.errors.js';
import { BillingCacheService } from './billing-cache.service.js';
import { PaymentService } from './payment.service.js';
import { StockAdapter } from './stock.adapter.js';

const ENTITY = 'Subscription';

export const liveKeyOf = (userId: string, planId: string) => `${userId}:${planId}`;

/** The lines of a full-period plan invoice, with any carried credit taken off. */
export function planInvoiceLines(plan: Plan, periodStart: Date, periodEnd: Date, creditCents: number) {
  const applied = Math.min(creditCents, plan.priceCents);
  const lines: InvoiceLine[] = [
    {
      kind: 'plan',
      description: `${plan.name} (${plan.interval}ly)`,
      amountCents: plan.priceCents,
      planId: plan.id,
      periodStart: periodStart.toISOString(),
      periodEnd: periodEnd.toISOString(),
    },
  ];
  if (applied > 0) lines.push({ kind: 'credit_applied', description: 'Credit applied', amountCents: -applied });
  return { lines, amountCents: plan.priceCents - applied, creditLeft: creditCents - applied };
}

type SubscribeOutcome =
  | { kind: 'created'; subscription: Subscription }
  | { kind: 'declined'; subscription: Subscription; invoiceId: string; declineCode: string };

@Injectable()
export class SubscriptionService {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly plans: PlanRepository,
    private readonly invoices: InvoiceRepository,
    private readonly payments: PaymentService,
    private readonly stock: StockAdapter,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly cache: BillingCacheService,
  ) {}

  /**
   * Subscribe, all-or-nothing. One transaction: the subscription row is inserted first with its
   * `live_key` (the UNIQUE slot for user+plan: a concurrent duplicate waits on it and then fails → 409,
   * before anything is charged); then the invoice; then, inside a savepoint, the plan's items are
   * allocated (short stock → 409 and the whole transaction rolls back: nothing charged, nothing kept)
   * and the first charge is made. A decline rolls back to the savepoint (no stock taken) and commits
   * what did happen: the `incomplete` subscription (slot released), the void invoice, the declined
   * payment attempt and a failed `subscription.create` audit event; then the caller gets 402.
   * With trial days, nothing is charged or shipped now: the first charge (and first shipment) is at
   * trial end, by the renewal runner.
   */
  async subscribe(actor: AuthenticatedActor, dto: SubscribeDto): Promise<SubscriptionResponse> {
    const plan = await this.plans.findById(dto.planId);
    if (!plan) throw SubscriptionErrors.planNotFound();
    if (!plan.active) throw SubscriptionErrors.planInactive();
    // Generated outside the transaction: a deadlock retry reuses them, so the charge's idempotency key is stable.
    const subscriptionId = newId();
    const invoiceId = newId();
    const createdAt = new Date();

    let outcome: SubscribeOutcome;
    try {
      outcome = await this.tx.run((manager) =>
        this.subscribeInTransaction(manager, actor, plan, dto.paymentMethod, subscriptionId, invoiceId, createdAt),
      );
    } catch (error) {
      if (isDuplicateKey(error)) throw SubscriptionErrors.alreadySubscribed();
      throw error;
    }
    await this.cache.subscriptionsChanged([actor.id]);
    if (outcome.kind === 'declined') {
      throw SubscriptionErrors.paymentDeclined(outcome.subscription.id, outcome.invoiceId, outcome.declineCode);
    }
    if (plan.items.length > 0 && plan.trialDays === 0) {
      await this.stock.invalidate(plan.items.map((item) => item.productId));
    }
    return mapSubscription(outcome.subscription);
  }

  private async subscribeInTransaction(
    manager: EntityManager,
    actor: AuthenticatedActor,
    plan: Plan,
    paymentMethod: string,
    subscriptionId: string,
    invoiceId: string,
    createdAt: Date,
  ): Promise<SubscribeOutcome> {
    const now = new Date();
    const base: Subscription = {
      id: subscriptionId,
      userId: actor.id,
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
      liveKey: liveKeyOf(actor.id, plan.id),
      version: 1,
      createdAt,
      updatedAt: now,
    };

    if (plan.trialDays > 0) {
      const trialEnd = addDays(now, plan.trialDays);
      const subscription: Subscription = {
        ...base,
        status: transition('incomplete', 'start_trial'),
        currentPeriodStart: now,
        currentPeriodEnd: trialEnd,
        trialEnd,
      };
      await this.subscriptions.insert(manager, subscription);
      await this.audit.record(manager, {
        action: 'subscription.create',
        entityType: 'subscription',
        entityId: subscription.id,
        changes: { planId: plan.id, status: subscription.status, trialEnd: trialEnd.toISOString() },
      });
      return { kind: 'created', subscription };
    }

    await this.subscriptions.insert(manager, base);
    const periodEnd = addInterval(now, plan.interval);
    const { lines, amountCents } = planInvoiceLines(plan, now, periodEnd, 0);
    const invoice: Invoice = {
      id: invoiceId,
      subscriptionId,
      userId: actor.id,
      planId: plan.id,
      amountCents,
      currency: plan.currency,
      status: 'open',
      billingReason: 'subscription_create',
      periodStart: now,
      periodEnd,
      lines,
      paidAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.invoices.insertMany(manager, [invoice]);
    const { result, attempt } = await this.payments.collect(manager, {
      invoice,
      attempt: 1,
      paymentMethod,
      beforeCharge:
        plan.items.length > 0
          ? () => this.stock.allocate(manager, plan.items, { type: 'subscription', id: subscriptionId })
          : undefined,
    });
    if (attempt) await this.invoices.insertAttempts(manager, [attempt]);

    if (result.status === 'declined') {
      await this.invoices.setStatus(manager, invoiceId, 'open', 'void', now);
      const changes: SubscriptionChanges = { liveKey: null };
      await this.apply(manager, base, changes, now);
      await this.audit.record(manager, {
        action: 'subscription.create',
        entityType: 'subscription',
        entityId: subscriptionId,
        outcome: 'failure',
        changes: { planId: plan.id, status: 'incomplete', reason: 'payment_declined', declineCode: result.declineCode },
      });
      return {
        kind: 'declined',
        subscription: { ...base, ...changes, version: base.version + 1 },
        invoiceId,
        declineCode: result.declineCode,
      };
    }

    await this.invoices.setStatus(manager, invoiceId, 'open', 'paid', now);
    const changes: SubscriptionChanges = {
      status: transition(base.status, 'activate'),
      currentPeriodStart: now,
      currentPeriodEnd: periodEnd,
      activatedAt: now,
    };
    await this.apply(manager, base, changes, now);
    await this.audit.record(manager, {
      action: 'subscription.create',
      entityType: 'subscription',
      entityId: subscriptionId,
      changes: { planId: plan.id, status: changes.status, invoiceId, amountCents },
    });
    return { kind: 'created', subscription: { ...base, ...changes, version: base.version + 1, updatedAt: now } };
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
    return mapSubscription(await this.visible(actor, id));
  }

  async invoicesOf(
    actor: AuthenticatedActor,
    id: string,
    query: { limit?: number; cursor?: string },
  ): Promise<Page<InvoiceResponse>> {
    await this.visible(actor, id);
    const limit = pageSize(query);
    const before = decodeCursor(query.cursor, 1);
    const rows = await this.invoices.list(id, limit, before?.[0] as string | undefined);
    return toPage(rows, limit, (row) => [row.id], mapInvoice);
  }

  /** `atPeriodEnd`: keep it live until the period ends; otherwise cancel now (open invoices are voided). */
  async cancel(actor: AuthenticatedActor, id: string, dto: CancelSubscriptionDto): Promise<SubscriptionResponse> {
    await this.manageable(actor, id);
    const updated = await this.tx.run(async (manager) => {
      const current = await this.subscriptions.findForUpdate(manager, id);
      if (!current) throw notFound(ENTITY);
      const now = new Date();
      let changes: SubscriptionChanges;
      if (dto.atPeriodEnd) {
        transition(current.status, 'schedule_cancel');
        changes = { cancelAtPeriodEnd: true };
      } else {
        changes = {
          status: transition(current.status, 'cancel'),
          canceledAt: now,
          liveKey: null,
          nextRetryAt: null,
          pendingInvoiceId: null,
        };
        await this.invoices.voidOpen(manager, id, now);
      }
      await this.apply(manager, current, changes, now);
      await this.audit.record(manager, {
        action: 'subscription.cancel',
        entityType: 'subscription',
        entityId: id,
        changes: {
          atPeriodEnd: dto.atPeriodEnd,
          status: { from: current.status, to: changes.status ?? current.status },
        },
      });
      return { ...current, ...changes, version: current.version + 1, updatedAt: now };
    });
    await this.cache.subscriptionsChanged([updated.userId]);
    return mapSubscription(updated);
  }

  /**
   * Immediate plan change with a prorated invoice (see domain/proration.ts for the rounding rule).
   * During a trial the plan is switched with no invoice (the trial carries on). The plan switch and
   * any items run inside the charge's savepoint, so a decline (402) leaves the subscription as it was
   * and keeps only the void invoice and the declined attempt.
   * Items of the new plan ship at its first period start: now when the interval changes (a new cycle
   * starts), otherwise at the next renewal.
   */
  async changePlan(actor: AuthenticatedActor, id: string, dto: ChangePlanDto): Promise<ChangePlanResponse> {
    await this.manageable(actor, id);
    const plan = await this.plans.findById(dto.planId);
    if (!plan) throw SubscriptionErrors.planNotFound();
    if (!plan.active) throw SubscriptionErrors.planInactive();
    const invoiceId = newId();

    let outcome: { subscription: Subscription; invoice: Invoice | null; declineCode?: string };
    try {
      outcome = await this.tx.run(async (manager) => {
        const current = await this.subscriptions.findForUpdate(manager, id);
        if (!current) throw notFound(ENTITY);
        if (current.planId === plan.id) throw SubscriptionErrors.samePlan();
        const nextStatus = transition(current.status, 'change_plan');
        if (plan.currency !== current.currency) throw SubscriptionErrors.currencyMismatch();
        const now = new Date();
        const switchPlan: SubscriptionChanges = {
          status: nextStatus,
          planId: plan.id,
          priceCents: plan.priceCents,
          liveKey: liveKeyOf(current.userId, plan.id),
        };

        if (current.status === 'trialing') {
          await this.apply(manager, current, switchPlan, now);
          await this.recordChange(manager, current, plan, null);
          return {
            subscription: { ...current, ...switchPlan, version: current.version + 1, updatedAt: now },
            invoice: null,
          };
        }

        const oldPlan = await this.plans.findById(current.planId, manager);
        const proration = prorate({
          periodStart: current.currentPeriodStart as Date,
          periodEnd: current.currentPeriodEnd as Date,
          at: now,
          oldPriceCents: current.priceCents,
          oldInterval: oldPlan?.interval ?? plan.interval,
          newPriceCents: plan.priceCents,
          newInterval: plan.interval,
        });
        const applied = proration.netCents > 0 ? Math.min(current.creditCents, proration.netCents) : 0;
        const amountCents = Math.max(0, proration.netCents) - applied;
        const creditCents = current.creditCents - applied + Math.max(0, -proration.netCents);
        const period = {
          periodStart: proration.periodStart.toISOString(),
          periodEnd: proration.periodEnd.toISOString(),
        };
        const lines: InvoiceLine[] = [
          {
            kind: 'proration_credit',
            description: `Unused time on ${oldPlan?.name ?? 'previous plan'}`,
            amountCents: -proration.creditCents,
            planId: current.planId,
          },
          {
            kind: 'proration_charge',
            description: `Remaining time on ${plan.name}`,
            amountCents: proration.chargeCents,
            planId: plan.id,
            ...period,
          },
        ];
        if (applied > 0) lines.push({ kind: 'credit_applied', description: 'Credit applied', amountCents: -applied });
        const invoice: Invoice = {
          id: invoiceId,
          subscriptionId: current.id,
          userId: current.userId,
          planId: plan.id,
          amountCents,
          currency: plan.currency,
          status: 'open',
          billingReason: 'subscription_update',
          periodStart: proration.periodStart,
          periodEnd: proration.periodEnd,
          lines,
          paidAt: null,
          createdAt: now,
          updatedAt: now,
        };
        await this.invoices.insertMany(manager, [invoice]);
        const changes: SubscriptionChanges = {
          ...switchPlan,
          currentPeriodStart: proration.periodStart,
          currentPeriodEnd: proration.periodEnd,
          creditCents,
        };
        const newCycle = proration.periodStart.getTime() !== (current.currentPeriodStart as Date).getTime();
        const { result, attempt } = await this.payments.collect(manager, {
          invoice,
          attempt: 1,
          paymentMethod: current.paymentMethod,
          beforeCharge: async () => {
            await this.apply(manager, current, changes, now);
            if (newCycle && plan.items.length > 0) {
              await this.stock.allocate(manager, plan.items, { type: 'subscription', id: current.id });
            }
          },
        });
        if (attempt) await this.invoices.insertAttempts(manager, [attempt]);
        if (result.status === 'declined') {
          await this.invoices.setStatus(manager, invoiceId, 'open', 'void', now);
          await this.audit.record(manager, {
            action: 'subscription.change_plan',
            entityType: 'subscription',
            entityId: current.id,
            outcome: 'failure',
            changes: { planId: { from: current.planId, to: plan.id }, invoiceId, reason: 'payment_declined' },
          });
          return {
            subscription: current,
            invoice: { ...invoice, status: 'void' as const },
            declineCode: result.declineCode,
          };
        }
        await this.invoices.setStatus(manager, invoiceId, 'open', 'paid', now);
        await this.recordChange(manager, current, plan, invoice);
        return {
          subscription: { ...current, ...changes, version: current.version + 1, updatedAt: now },
          invoice: { ...invoice, status: 'paid' as const, paidAt: now },
        };
      });
    } catch (error) {
      if (isDuplicateKey(error)) throw SubscriptionErrors.alreadySubscribed();
      throw error;
    }
    if (outcome.declineCode !== undefined) {
      throw SubscriptionErrors.paymentDeclined(id, invoiceId, outcome.declineCode);
    }
    await this.cache.subscriptionsChanged([outcome.subscription.userId]);
    if (plan.items.length > 0) await this.stock.invalidate(plan.items.map((item) => item.productId));
    return { ...mapSubscription(outcome.subscription), invoice: outcome.invoice ? mapInvoice(outcome.invoice) : null };
  }

  private recordChange(manager: EntityManager, current: Subscription, plan: Plan, invoice: Invoice | null) {
    return this.audit.record(manager, {
      action: 'subscription.change_plan',
      entityType: 'subscription',
      entityId: current.id,
      changes: {
        planId: { from: current.planId, to: plan.id },
        invoiceId: invoice?.id ?? null,
        amountCents: invoice?.amountCents ?? 0,
      },
    });
  }

  /** The conditional UPDATE of a transition; a lost race is a 409. */
  private async apply(
    manager: EntityManager,
    current: Subscription,
    changes: SubscriptionChanges,
    now: Date,
  ): Promise<void> {
    if (!(await this.subscriptions.transition(manager, current, changes, now))) {
      throw SubscriptionErrors.concurrentUpdate();
    }
  }

  /** Owner, or anyone who may read all subscriptions; others get 404. */
  private async visible(actor: AuthenticatedActor, id: string): Promise<Subscription> {
    const subscription = await this.subscriptions.findById(id);
    if (!subscription) throw notFound(ENTITY);
    assertOwnerOr(actor, subscription.userId, 'subscriptions:read-all', ENTITY);
    return subscription;
  }

  /** Owner or `subscriptions:manage-all`; staff may see but not change someone else's (403). */
  private async manageable(actor: AuthenticatedActor, id: string): Promise<Subscription> {
    const subscription = await this.visible(actor, id);
    if (subscription.userId !== actor.id && !hasPermission(actor.roles, 'subscriptions:manage-all')) throw forbidden();
    return subscription;
  }
}
