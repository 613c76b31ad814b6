import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import { type AuditEntry, AuditService } from '../../audit/index.js';
import { nextPeriodEnd } from '../domain/billing-period.js';
import { derivedId } from '../domain/derived-id.js';
import { planInvoiceLines } from '../domain/invoice-lines.js';
import { transition } from '../domain/subscription-state-machine.js';
import type { Invoice } from '../entities/invoice.entity.js';
import type { Plan } from '../entities/plan.entity.js';
import type { Subscription } from '../entities/subscription.entity.js';
import { InvoiceRepository } from '../repositories/invoice.repository.js';
import { PlanRepository } from '../repositories/plan.repository.js';
import { SubscriptionRepository } from '../repositories/subscription.repository.js';
import { SubscriptionErrors } from '../subscriptions.errors.js';
import { BillingCacheService } from './billing-cache.service.js';
import { BillingChargeService, type OpenCharge } from './billing-charge.service.js';
import { businessTime } from './business-time.js';
import { monthlyCents, MrrMovements } from './mrr-movements.service.js';
import { StockAdapter } from './stock.adapter.js';
import { SubscriptionLifecycleService } from './subscription-lifecycle.service.js';
import { newInvoice } from './subscription.service.js';

export interface RenewalRunResult {
  processed: number;
  renewed: number;
  failed: number;
  ended: number;
}

/** A bound on one run's work per subscription (catch-up periods and retries). */
const MAX_STEPS_PER_SUBSCRIPTION = 120;
const ASOF_LEEWAY_MS = 5 * 60_000;

interface Prepared {
  claimed: number;
  intents: string[];
  ended: number;
  userIds: string[];
  productIds: string[];
  exhausted: boolean;
}

/**
 * Renewals and dunning. A run bills everything due by `asOf`, batch by batch:
 * 1. one transaction claims due rows (SELECT … FOR UPDATE SKIP LOCKED: concurrent runs on any
 *    instance take disjoint rows), ends `cancelAtPeriodEnd` ones (their audit events in one INSERT),
 *    and opens the charges of the others (BillingChargeService: items held per row, then the renewal
 *    invoices, payment intents and charging marks in one statement each, so no run claims them again);
 *    short stock is not a payment failure: the row is marked awaiting stock and retried next run;
 * 2. after commit the charges are made outside any transaction, then the batch's outcomes are applied
 *    in one transaction (renewed, or past_due on the dunning schedule, or canceled after the last retry).
 * Rows still due (several periods behind, a retry already due) are claimed again by the next batch.
 * Period ends follow the billing anchor, so they keep their day of month.
 */
@Injectable()
export class RenewalService {
  private readonly logger = new Logger(RenewalService.name);

  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly plans: PlanRepository,
    private readonly invoices: InvoiceRepository,
    private readonly charges: BillingChargeService,
    private readonly lifecycle: SubscriptionLifecycleService,
    private readonly stock: StockAdapter,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly cache: BillingCacheService,
    private readonly mrr: MrrMovements,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 400 for an `asOf` beyond now + 5 minutes unless BILLING_TEST_CLOCK: nobody bills the future. */
  assertAsOfAllowed(asOf: Date): void {
    if (!this.config.billing.testClock && asOf.getTime() > Date.now() + ASOF_LEEWAY_MS) {
      throw SubscriptionErrors.asOfTooLate();
    }
  }

  /** MRR movements of the run, its settlements included, are dated `asOf` (see businessTime). */
  run(asOf: Date = new Date()): Promise<RenewalRunResult> {
    return businessTime.run(asOf, () => this.runAsOf(asOf));
  }

  private async runAsOf(asOf: Date): Promise<RenewalRunResult> {
    const totals: RenewalRunResult = { processed: 0, renewed: 0, failed: 0, ended: 0 };
    const steps = new Map<string, number>();
    const runStartedAt = new Date();
    const batchSize = this.config.billing.renewalBatchSize;
    for (;;) {
      const batch = await this.tx.run((manager) => this.prepareBatch(manager, asOf, batchSize, runStartedAt, steps));
      totals.ended += batch.ended;
      totals.processed += batch.ended;
      await this.collectAll(batch.intents, totals);
      if (batch.claimed > 0) {
        await this.cache.subscriptionsChanged(batch.userIds);
        if (batch.productIds.length > 0) await this.stock.invalidate(batch.productIds);
      }
      // Rows still due after their outcome (periods behind, a retry due) are claimed again; a run ends
      // when nothing claimable is left (rows with a charge in flight or short of stock are not).
      if (batch.claimed === 0 || batch.exhausted) break;
    }
    await this.resumeDue(asOf, totals);
    if (totals.processed > 0) this.logger.log(`renewals as of ${asOf.toISOString()}: ${JSON.stringify(totals)}`);
    return totals;
  }

  private async prepareBatch(
    manager: EntityManager,
    asOf: Date,
    batchSize: number,
    runStartedAt: Date,
    steps: Map<string, number>,
  ): Promise<Prepared> {
    const claimed = await this.subscriptions.claimDue(manager, asOf, batchSize, runStartedAt);
    const prepared: Prepared = {
      claimed: claimed.length,
      intents: [],
      ended: 0,
      userIds: [],
      productIds: [],
      exhausted: false,
    };
    if (claimed.length === 0) return prepared;
    const plans = await this.plans.findByIds(
      claimed.map((row) => row.planId),
      manager,
    );
    const pending = await this.invoices.findByIds(
      manager,
      claimed.flatMap((row) => (row.pendingInvoiceId ? [row.pendingInvoiceId] : [])),
    );
    const endEvents: AuditEntry[] = [];
    const charges: OpenCharge[] = [];
    const now = new Date();
    for (const row of claimed) {
      const count = (steps.get(row.id) ?? 0) + 1;
      steps.set(row.id, count);
      if (count > MAX_STEPS_PER_SUBSCRIPTION) {
        prepared.exhausted = true;
        continue;
      }
      const plan = plans.get(row.planId);
      if (!plan) {
        this.logger.error(`subscription ${row.id} refers to a missing plan ${row.planId}; skipped`);
        continue;
      }
      prepared.userIds.push(row.userId);
      if (row.cancelAtPeriodEnd) {
        endEvents.push(await this.endOfTerm(manager, row, plan, now));
        prepared.ended++;
        continue;
      }
      const charge = await this.chargeOf(manager, row, plan, pending.get(row.pendingInvoiceId ?? ''), now);
      if (charge) charges.push(charge);
      for (const item of plan.items) prepared.productIds.push(item.productId);
    }
    prepared.intents = await this.charges.openMany(manager, charges);
    await this.audit.recordMany(manager, endEvents);
    return prepared;
  }

  /** `cancelAtPeriodEnd` reached: canceled, what it still owed voided. */
  private async endOfTerm(manager: EntityManager, row: Subscription, plan: Plan, now: Date): Promise<AuditEntry> {
    const status = transition(row.status, 'end_of_term');
    if (row.pendingInvoiceId) await this.invoices.setStatus(manager, row.pendingInvoiceId, 'open', 'void', now);
    const changes = { status, canceledAt: now, liveKey: null, nextRetryAt: null, pendingInvoiceId: null };
    if (!(await this.subscriptions.transition(manager, row, changes, now))) throw SubscriptionErrors.concurrentUpdate();
    if (row.status === 'active' || row.status === 'past_due') {
      const change = {
        subscriptionId: row.id,
        userId: row.userId,
        currency: row.currency,
        occurredAt: businessTime.now(),
      };
      await this.mrr.record(manager, change, 'churn', monthlyCents(row.priceCents, plan.interval));
    }
    return {
      action: 'subscription.cancel',
      entityType: 'subscription',
      entityId: row.id,
      changes: {
        reason: 'period_end',
        status: { from: row.status, to: status },
        periodEnd: row.currentPeriodEnd?.toISOString() ?? null,
      },
    };
  }

  /**
   * The charge of the period after the current one (or the next dunning try of the pending invoice),
   * its items held. A plan with items works inside a savepoint: short stock rolls just this row back
   * and marks it awaiting stock (not charged, not dunned; the next run tries again): null.
   */
  private async chargeOf(
    manager: EntityManager,
    row: Subscription,
    plan: Plan,
    pendingInvoice: Invoice | undefined,
    now: Date,
  ): Promise<OpenCharge | null> {
    const build = () =>
      pendingInvoice?.status === 'open'
        ? Promise.resolve(this.retryOf(row, plan, pendingInvoice))
        : this.nextPeriod(manager, row, plan, now);
    if (plan.items.length === 0) return build();
    await manager.query('SAVEPOINT renewal_row');
    try {
      const charge = await build();
      await this.charges.hold(manager, charge);
      await manager.query('RELEASE SAVEPOINT renewal_row');
      return charge;
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      await manager.query('ROLLBACK TO SAVEPOINT renewal_row');
      await manager.query('RELEASE SAVEPOINT renewal_row');
      await this.subscriptions.markAwaitingStock(manager, row.id, now);
      return null;
    }
  }

  private retryOf(row: Subscription, plan: Plan, invoice: Invoice): OpenCharge {
    return {
      subscription: row,
      invoice,
      plan,
      newInvoice: false,
      origin: 'attempt',
      attempt: row.failedAttempts + 1,
    };
  }

  /** The next period's invoice, carried credit taken off (the credit is consumed now, in this transaction). */
  private async nextPeriod(manager: EntityManager, row: Subscription, plan: Plan, now: Date): Promise<OpenCharge> {
    const periodStart = row.currentPeriodEnd as Date;
    const periodEnd = nextPeriodEnd(row.billingAnchor ?? periodStart, plan.interval, periodStart);
    const { lines, amountCents, creditLeft } = planInvoiceLines(plan, periodStart, periodEnd, row.creditCents);
    let subscription = row;
    if (creditLeft !== row.creditCents) {
      if (!(await this.subscriptions.transition(manager, row, { creditCents: creditLeft }, now))) {
        throw SubscriptionErrors.concurrentUpdate();
      }
      subscription = { ...row, creditCents: creditLeft, version: row.version + 1 };
    }
    const invoice = newInvoice(
      derivedId(periodStart.getTime(), `renewal:${row.id}:${periodStart.toISOString()}`),
      row,
      plan,
      {
        amountCents,
        lines,
        billingReason: row.activatedAt === null ? 'subscription_create' : 'subscription_cycle',
        periodStart,
        periodEnd,
        at: now,
      },
    );
    return { subscription, invoice, plan, newInvoice: true, origin: 'attempt', attempt: 1 };
  }

  /** Collects the batch's charges; one that can't be collected now is left to the reconcile job (counted failed). */
  private async collectAll(intentIds: string[], totals: RenewalRunResult): Promise<void> {
    if (intentIds.length === 0) return;
    const settled = await this.charges.collectMany(intentIds);
    const renewed = settled.filter((intent) => intent.status === 'succeeded').length;
    totals.processed += intentIds.length;
    totals.renewed += renewed;
    totals.failed += intentIds.length - renewed;
  }

  /** Paused subscriptions whose `resumesAt` has come resume (and are charged) by themselves. */
  private async resumeDue(asOf: Date, totals: RenewalRunResult): Promise<void> {
    const batchSize = this.config.billing.renewalBatchSize;
    for (;;) {
      const { intents, userIds } = await this.tx.run(async (manager) => {
        const rows = await this.subscriptions.claimResumable(manager, asOf, batchSize);
        const opened: string[] = [];
        for (const row of rows) opened.push(await this.lifecycle.openResume(manager, row.id, new Date()));
        return { intents: opened, userIds: rows.map((row) => row.userId) };
      });
      await this.collectAll(intents, totals);
      if (userIds.length > 0) await this.cache.subscriptionsChanged(userIds);
      if (userIds.length < batchSize) break;
    }
  }
}
