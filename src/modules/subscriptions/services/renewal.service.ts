import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import { AuditService } from '../../audit/index.js';
import { addHours, addInterval } from '../domain/billing-period.js';
import { derivedId } from '../domain/derived-id.js';
import { type SubscriptionEvent, type SubscriptionStatus, transition } from '../domain/subscription-state-machine.js';
import type { Invoice } from '../entities/invoice.entity.js';
import type { PaymentAttempt } from '../entities/payment-attempt.entity.js';
import type { Plan } from '../entities/plan.entity.js';
import type { Subscription } from '../entities/subscription.entity.js';
import { InvoiceRepository } from '../repositories/invoice.repository.js';
import { PlanRepository } from '../repositories/plan.repository.js';
import { type BulkTransition, SubscriptionRepository } from '../repositories/subscription.repository.js';
import { SubscriptionErrors } from '../subscriptions.errors.js';
import { BillingCacheService } from './billing-cache.service.js';
import { PaymentService } from './payment.service.js';
import { StockAdapter } from './stock.adapter.js';
import { planInvoiceLines } from './subscription.service.js';

export interface RenewalRunResult {
  processed: number;
  renewed: number;
  failed: number;
  ended: number;
}

/** At most this many billing steps (periods or retries) per subscription per run: a bound on catch-up work. */
const MAX_STEPS_PER_SUBSCRIPTION = 120;

interface BatchResult extends RenewalRunResult {
  claimed: number;
  repeated: boolean;
  userIds: string[];
  productIds: string[];
}

type AuditDraft = Parameters<AuditService['record']>[1];

/**
 * Renewals and dunning. A run brings every subscription due by `asOf` up to date as of `asOf`:
 * ended periods are billed (each period once: a monthly subscription three periods behind gets three
 * invoices), trials convert, failed charges are retried on the dunning schedule (hours after the
 * missed renewal date), subscriptions past the last retry are canceled and `cancelAtPeriodEnd` ones
 * end. Running it again with the same `asOf` finds nothing to do.
 *
 * Work is claimed in batches with SELECT … FOR UPDATE SKIP LOCKED, one transaction per batch:
 * concurrent runs (any instance) take disjoint rows; a row is only released when its new state is
 * committed, and that state is no longer due, so nothing is billed twice. Per batch the database
 * work is a fixed number of statements (claim, plans, pending invoices, one multi-row INSERT of
 * invoices, one of payment attempts, one JSON_TABLE UPDATE of all subscriptions, still conditional
 * on each row's status and version) plus, per subscription, the charge itself, its audit event and
 * (plans with items) the allocation in a savepoint.
 */
@Injectable()
export class RenewalService {
  private readonly logger = new Logger(RenewalService.name);

  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly plans: PlanRepository,
    private readonly invoices: InvoiceRepository,
    private readonly payments: PaymentService,
    private readonly stock: StockAdapter,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly cache: BillingCacheService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(asOf: Date = new Date()): Promise<RenewalRunResult> {
    const totals: RenewalRunResult = { processed: 0, renewed: 0, failed: 0, ended: 0 };
    const seen = new Set<string>();
    const batchSize = this.config.billing.renewalBatchSize;
    for (;;) {
      const batch = await this.tx.run((manager) => this.processBatch(manager, asOf, batchSize, seen));
      totals.processed += batch.processed;
      totals.renewed += batch.renewed;
      totals.failed += batch.failed;
      totals.ended += batch.ended;
      if (batch.claimed > 0) {
        await this.cache.subscriptionsChanged(batch.userIds);
        if (batch.productIds.length > 0) await this.stock.invalidate(batch.productIds);
      }
      // A short batch means nothing more is due (or the rest is locked by a concurrent run, which bills it).
      if (batch.claimed < batchSize || batch.repeated) break;
    }
    if (totals.processed > 0) this.logger.log(`renewals as of ${asOf.toISOString()}: ${JSON.stringify(totals)}`);
    return totals;
  }

  private async processBatch(
    manager: EntityManager,
    asOf: Date,
    batchSize: number,
    seen: Set<string>,
  ): Promise<BatchResult> {
    const claimed = await this.subscriptions.claimDue(manager, asOf, batchSize);
    const result: BatchResult = {
      processed: 0,
      renewed: 0,
      failed: 0,
      ended: 0,
      claimed: claimed.length,
      repeated: false,
      userIds: [],
      productIds: [],
    };
    if (claimed.length === 0) return result;
    const plans = await this.plans.findByIds(
      claimed.map((row) => row.planId),
      manager,
    );
    const pending = await this.invoices.findByIds(
      manager,
      claimed.flatMap((row) => (row.pendingInvoiceId ? [row.pendingInvoiceId] : [])),
    );

    const now = new Date();
    const newInvoices: Invoice[] = [];
    const updatedInvoices: { id: string; from: Invoice['status']; to: Invoice['status'] }[] = [];
    const attempts: PaymentAttempt[] = [];
    const transitions: BulkTransition[] = [];
    const events: AuditDraft[] = [];
    const productIds = new Set<string>();

    for (const row of claimed) {
      if (seen.has(row.id)) {
        result.repeated = true;
        continue;
      }
      seen.add(row.id);
      const plan = plans.get(row.planId);
      if (!plan) {
        this.logger.error(`subscription ${row.id} refers to a missing plan ${row.planId}; skipped`);
        continue;
      }
      const outcome = await this.bringUpToDate(manager, row, plan, pending.get(row.pendingInvoiceId ?? ''), asOf, now);
      result.processed++;
      if (outcome.kind === 'renewed') result.renewed++;
      if (outcome.kind === 'failed') result.failed++;
      if (outcome.kind === 'ended') result.ended++;
      newInvoices.push(...outcome.newInvoices);
      updatedInvoices.push(...outcome.updatedInvoices);
      attempts.push(...outcome.attempts);
      events.push(...outcome.events);
      if (outcome.shipped) for (const item of plan.items) productIds.add(item.productId);
      transitions.push({ id: row.id, fromStatus: row.status, fromVersion: row.version, after: outcome.after });
      result.userIds.push(row.userId);
    }

    await this.invoices.insertMany(manager, newInvoices);
    for (const update of updatedInvoices) {
      await this.invoices.setStatus(manager, update.id, update.from, update.to, now);
    }
    await this.invoices.insertAttempts(manager, attempts);
    const changed = await this.subscriptions.applyBulk(manager, transitions, now);
    if (changed !== transitions.length) throw SubscriptionErrors.concurrentUpdate();
    for (const event of events) await this.audit.record(manager, event);
    result.productIds = [...productIds];
    return result;
  }

  /**
   * Replays, in memory, what the runner would have done had it run continuously until `asOf`.
   * Charges (and allocations) really happen here; the row writes are returned for the bulk statements.
   */
  private async bringUpToDate(
    manager: EntityManager,
    row: Subscription,
    plan: Plan,
    pendingInvoice: Invoice | undefined,
    asOf: Date,
    now: Date,
  ) {
    const retryHours = this.config.billing.dunningRetryHours;
    const s: Subscription = { ...row };
    const newInvoices: Invoice[] = [];
    const updatedInvoices: { id: string; from: Invoice['status']; to: Invoice['status'] }[] = [];
    const attempts: PaymentAttempt[] = [];
    const events: AuditDraft[] = [];
    let kind: 'renewed' | 'failed' | 'ended' | 'none' = 'none';
    let shipped = false;
    let pending = pendingInvoice ? { ...pendingInvoice } : undefined;
    const isNew = (invoice: Invoice) => newInvoices.includes(invoice);
    const setInvoiceStatus = (invoice: Invoice, to: Invoice['status']) => {
      if (!isNew(invoice)) updatedInvoices.push({ id: invoice.id, from: invoice.status, to });
      invoice.status = to;
      invoice.paidAt = to === 'paid' ? now : null;
      invoice.updatedAt = now;
    };
    const move = (event: SubscriptionEvent) => {
      s.status = transition(s.status, event);
    };

    for (let step = 0; step < MAX_STEPS_PER_SUBSCRIPTION; step++) {
      const periodEnd = s.currentPeriodEnd as Date;
      if (periodEnd > asOf) break;
      if (s.status === 'past_due' && s.nextRetryAt && s.nextRetryAt > asOf) break;
      if (s.status !== 'active' && s.status !== 'trialing' && s.status !== 'past_due') break;

      if (s.cancelAtPeriodEnd) {
        const from = s.status;
        move('end_of_term');
        if (pending) setInvoiceStatus(pending, 'void');
        Object.assign(s, { canceledAt: now, liveKey: null, nextRetryAt: null, pendingInvoiceId: null });
        events.push({
          action: 'subscription.cancel',
          entityType: 'subscription',
          entityId: s.id,
          changes: { reason: 'period_end', status: { from, to: s.status }, periodEnd: periodEnd.toISOString() },
        });
        kind = 'ended';
        break;
      }

      let invoice: Invoice;
      let attempt: number;
      if (s.status === 'past_due' && pending) {
        invoice = pending;
        attempt = s.failedAttempts + 1;
      } else {
        const nextEnd = addInterval(periodEnd, plan.interval);
        const { lines, amountCents, creditLeft } = planInvoiceLines(plan, periodEnd, nextEnd, s.creditCents);
        s.creditCents = creditLeft;
        invoice = {
          id: derivedId(periodEnd.getTime(), `renewal:${s.id}:${periodEnd.toISOString()}`),
          subscriptionId: s.id,
          userId: s.userId,
          planId: plan.id,
          amountCents,
          currency: plan.currency,
          status: 'open',
          billingReason: s.activatedAt === null ? 'subscription_create' : 'subscription_cycle',
          periodStart: periodEnd,
          periodEnd: nextEnd,
          lines,
          paidAt: null,
          createdAt: now,
          updatedAt: now,
        };
        newInvoices.push(invoice);
        attempt = 1;
      }

      let declineCode: string | null = null;
      try {
        const collected = await this.payments.collect(manager, {
          invoice,
          attempt,
          paymentMethod: s.paymentMethod,
          beforeCharge:
            plan.items.length > 0
              ? () => this.stock.allocate(manager, plan.items, { type: 'subscription_renewal', id: invoice.id })
              : undefined,
        });
        if (collected.attempt) attempts.push(collected.attempt);
        if (collected.result.status === 'declined') declineCode = collected.result.declineCode;
      } catch (error) {
        // The items could not be allocated (short stock, a product gone): nothing is charged, the
        // savepoint is rolled back, and it is dunned like a decline so one subscription cannot stall the run.
        if (!(error instanceof DomainError) || error.status >= 500) throw error;
        declineCode = error.code;
      }

      const from = s.status;
      if (declineCode === null) {
        setInvoiceStatus(invoice, 'paid');
        move(from === 'trialing' ? 'convert' : from === 'past_due' ? 'recover' : 'renew');
        Object.assign(s, {
          currentPeriodStart: invoice.periodStart,
          currentPeriodEnd: invoice.periodEnd,
          priceCents: plan.priceCents,
          activatedAt: s.activatedAt ?? now,
          failedAttempts: 0,
          nextRetryAt: null,
          pendingInvoiceId: null,
        });
        pending = undefined;
        shipped = shipped || plan.items.length > 0;
        kind = 'renewed';
        events.push({
          action: 'subscription.renew',
          entityType: 'subscription',
          entityId: s.id,
          changes: {
            status: { from, to: s.status },
            invoiceId: invoice.id,
            amountCents: invoice.amountCents,
            periodStart: invoice.periodStart.toISOString(),
            periodEnd: invoice.periodEnd.toISOString(),
          },
        });
        continue;
      }

      s.failedAttempts++;
      kind = 'failed';
      if (s.failedAttempts > retryHours.length) {
        move('dunning_exhausted');
        setInvoiceStatus(invoice, 'void');
        Object.assign(s, { canceledAt: now, liveKey: null, nextRetryAt: null, pendingInvoiceId: null });
        pending = undefined;
      } else {
        move(from === 'past_due' ? 'retry_failed' : 'renewal_failed');
        s.nextRetryAt = addHours(periodEnd, retryHours[s.failedAttempts - 1]);
        s.pendingInvoiceId = invoice.id;
        pending = invoice;
      }
      events.push({
        action: 'subscription.renew_failed',
        entityType: 'subscription',
        entityId: s.id,
        outcome: 'failure',
        changes: {
          status: { from, to: s.status },
          invoiceId: invoice.id,
          attempt,
          declineCode,
          nextRetryAt: s.nextRetryAt?.toISOString() ?? null,
        },
      });
      if ((s.status as SubscriptionStatus) === 'canceled') break;
    }
    return { kind, after: s, newInvoices, updatedInvoices, attempts, events, shipped };
  }
}
