import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { LIVE_STATUSES, type SubscriptionStatus } from '../domain/subscription-state-machine.js';
import { Subscription } from '../entities/subscription.entity.js';
import { affectedRows } from '../../../infrastructure/database/sql.js';

export interface SubscriptionListFilter {
  userId?: string;
  status?: SubscriptionStatus;
  /** Keyset: rows with id < beforeId (newest first). */
  beforeId?: string;
  limit: number;
}

/** The columns a transition may change (anything else stays as it is). */
export type SubscriptionChanges = Partial<
  Pick<
    Subscription,
    | 'status'
    | 'planId'
    | 'priceCents'
    | 'currentPeriodStart'
    | 'currentPeriodEnd'
    | 'trialEnd'
    | 'cancelAtPeriodEnd'
    | 'canceledAt'
    | 'activatedAt'
    | 'failedAttempts'
    | 'nextRetryAt'
    | 'pendingInvoiceId'
    | 'creditCents'
    | 'liveKey'
    | 'paymentMethod'
    | 'billingAnchor'
    | 'periodPaidCents'
    | 'periodPaidFrom'
    | 'chargeIntentId'
    | 'awaitingStockAt'
    | 'hardDeclined'
    | 'resumesAt'
  >
>;

export interface PlanStatusAggregate {
  planId: string;
  status: SubscriptionStatus;
  currency: string;
  subscriptions: number;
  /** Σ monthly-normalised price (yearly / 12, rounded per subscription). */
  monthlyCents: number;
}

const LIVE_SQL = LIVE_STATUSES.map((status) => `'${status}'`).join(', ');

/** The entitlements read (exported for the EXPLAIN test). */
export const LIVE_FEATURES_SQL = `SELECT s.plan_id AS planId, p.features AS features
  FROM subscriptions s JOIN plans p ON p.id = s.plan_id
  WHERE s.user_id = ? AND s.status IN (${LIVE_SQL})`;

/** A plan's live subscribers, through idx_subscriptions_plan. */
export const LIVE_USERS_OF_PLAN_SQL = `SELECT DISTINCT user_id AS userId FROM subscriptions WHERE plan_id = ? AND status IN (${LIVE_SQL})`;

/** Every query on `subscriptions`. */
@Injectable()
export class SubscriptionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, subscription: Subscription): Promise<void> {
    await manager.insert(Subscription, subscription);
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<Subscription | null> {
    return manager.findOneBy(Subscription, { id });
  }

  /**
   * The current row, locked FOR UPDATE until the caller's transaction ends: a request that changes a
   * subscription waits for a renewal batch holding it, then sees (and conditionally updates) its new state.
   */
  findForUpdate(manager: EntityManager, id: string): Promise<Subscription | null> {
    return manager.findOne(Subscription, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Newest first; by user through idx_subscriptions_user, by status through idx_subscriptions_status. */
  list(filter: SubscriptionListFilter): Promise<Subscription[]> {
    return this.listQuery(filter).getMany();
  }

  /** The list query (exposed for the EXPLAIN test). */
  listQuery(filter: SubscriptionListFilter) {
    const query = this.dataSource.manager
      .createQueryBuilder(Subscription, 's')
      .orderBy('s.id', 'DESC')
      .limit(filter.limit + 1);
    if (filter.userId) query.andWhere('s.user_id = :userId', { userId: filter.userId });
    if (filter.status) query.andWhere('s.status = :status', { status: filter.status });
    if (filter.beforeId) query.andWhere('s.id < :beforeId', { beforeId: filter.beforeId });
    return query;
  }

  /**
   * Applies one transition: `UPDATE … WHERE id = ? AND status = ? AND version = ?`. Returns false when
   * the row was changed in between (another request or a renewal run got there first).
   */
  async transition(
    manager: EntityManager,
    current: Pick<Subscription, 'id' | 'status' | 'version'>,
    changes: SubscriptionChanges,
    now: Date,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Subscription)
      .set({ ...changes, updatedAt: now, version: () => 'version + 1' })
      .where('id = :id AND status = :status AND version = :version', current)
      .execute();
    return affectedRows(result) === 1;
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** Is this user+plan slot held by a live (or paused) subscription? */
  async liveKeyTaken(manager: EntityManager, liveKey: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM subscriptions WHERE live_key = ? LIMIT 1', [liveKey]);
    return rows.length > 0;
  }

  /** Marks the payment intent in flight (the row is locked by the caller's transaction). */
  async setChargeIntent(manager: EntityManager, id: string, intentId: string | null): Promise<void> {
    await manager.query('UPDATE subscriptions SET charge_intent_id = ? WHERE id = ?', [intentId, id]);
  }

  /** A renewal whose items are short: not charged, retried by the next run (one that starts after `at`). */
  async markAwaitingStock(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.query('UPDATE subscriptions SET awaiting_stock_at = ? WHERE id = ?', [at, id]);
  }

  /** Paused subscriptions whose `resumesAt` has come, locked like `claimDue`. */
  claimResumable(manager: EntityManager, asOf: Date, limit: number): Promise<Subscription[]> {
    return manager
      .createQueryBuilder(Subscription, 's')
      .where("s.status = 'paused' AND s.resumes_at <= :asOf AND s.charge_intent_id IS NULL", { asOf })
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  /** Had this customer a trial of this plan already (any subscription, live or not)? */
  async hadTrial(userId: string, planId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      'SELECT 1 FROM subscriptions WHERE user_id = ? AND plan_id = ? AND trial_end IS NOT NULL LIMIT 1',
      [userId, planId],
    );
    return rows.length > 0;
  }

  async countPaused(): Promise<number> {
    const [row]: { n: string | number }[] = await this.dataSource.query(
      "SELECT COUNT(*) AS n FROM subscriptions WHERE status = 'paused'",
    );
    return Number(row.n);
  }

  /** Renewals skipped for want of stock (`awaitingStockSubscriptions` of the summary). */
  async countAwaitingStock(): Promise<number> {
    const [row]: { n: string | number }[] = await this.dataSource.query(
      `SELECT COUNT(*) AS n FROM subscriptions WHERE awaiting_stock_at IS NOT NULL AND status IN (${LIVE_SQL})`,
    );
    return Number(row.n);
  }

  /**
   * Claims up to `limit` subscriptions due by `asOf` — a period ended (renewal, trial end, end of
   * term) or a dunning retry is due — locking them FOR UPDATE SKIP LOCKED: concurrent runs, on any
   * instance, take disjoint rows and never bill one period twice. Range scan on
   * idx_subscriptions_due (status, current_period_end); no ORDER BY, so only the rows returned are locked.
   */
  claimDue(manager: EntityManager, asOf: Date, limit: number, runStartedAt = new Date()): Promise<Subscription[]> {
    return this.claimDueQuery(manager, asOf, limit, runStartedAt).getMany();
  }

  /**
   * The claim query (exposed for the EXPLAIN test). Skips a row with a charge in flight, a past_due
   * row whose retries stopped (hard decline: `pay` or a card update brings it back), and a row this
   * run already found short of stock (`runStartedAt`).
   */
  claimDueQuery(manager: EntityManager, asOf: Date, limit: number, runStartedAt = new Date()) {
    return manager
      .createQueryBuilder(Subscription, 's')
      .where(`s.status IN (${LIVE_SQL})`)
      .andWhere('s.current_period_end <= :asOf', { asOf })
      .andWhere("(s.next_retry_at <= :asOf OR (s.next_retry_at IS NULL AND s.status <> 'past_due'))", { asOf })
      .andWhere('s.charge_intent_id IS NULL')
      .andWhere('(s.awaiting_stock_at IS NULL OR s.awaiting_stock_at < :runStartedAt)', { runStartedAt })
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked');
  }

  /** The caller's live subscriptions with their plans' features (the entitlements read, idx_subscriptions_user). */
  async liveFeatures(userId: string): Promise<{ planId: string; features: string }[]> {
    return this.dataSource.query(LIVE_FEATURES_SQL, [userId]);
  }

  /** Users with a live subscription to a plan (whose cached entitlements a plan change affects). */
  async liveUserIdsOfPlan(planId: string): Promise<string[]> {
    const rows: { userId: string }[] = await this.dataSource.query(LIVE_USERS_OF_PLAN_SQL, [planId]);
    return rows.map((row) => row.userId);
  }

  /** Counts and monthly-normalised revenue of live subscriptions, per plan, status and currency. */
  async aggregateLive(): Promise<PlanStatusAggregate[]> {
    const rows: {
      planId: string;
      status: SubscriptionStatus;
      currency: string;
      subscriptions: string | number;
      monthlyCents: string | number;
    }[] = await this.dataSource.query(
      `SELECT s.plan_id AS planId, s.status AS status, s.currency AS currency, COUNT(*) AS subscriptions,
                SUM(CASE p.billing_interval WHEN 'year' THEN ROUND(s.price_cents / 12) ELSE s.price_cents END) AS monthlyCents
         FROM subscriptions s JOIN plans p ON p.id = s.plan_id
         WHERE s.status IN (${LIVE_SQL})
         GROUP BY s.plan_id, s.status, s.currency`,
    );
    return rows.map((row) => ({
      planId: row.planId,
      status: row.status,
      currency: row.currency,
      subscriptions: Number(row.subscriptions),
      monthlyCents: Number(row.monthlyCents),
    }));
  }

  /** Churn: subscriptions that had been paid for (activated) and were canceled since `since` (idx_subscriptions_canceled_at). */
  async countCanceledSince(since: Date): Promise<number> {
    const [row]: { n: string | number }[] = await this.dataSource.query(
      'SELECT COUNT(*) AS n FROM subscriptions WHERE canceled_at >= ? AND activated_at IS NOT NULL',
      [since],
    );
    return Number(row.n);
  }
}
