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
  >
>;

/** A transition computed in memory for a claimed row: applied in bulk, still conditional per row. */
export interface BulkTransition {
  id: string;
  fromStatus: SubscriptionStatus;
  fromVersion: number;
  after: Subscription;
}

export interface PlanStatusAggregate {
  planId: string;
  status: SubscriptionStatus;
  currency: string;
  subscriptions: number;
  /** Σ monthly-normalised price (yearly / 12), unrounded. */
  monthlyCents: number;
}

const LIVE_SQL = LIVE_STATUSES.map((status) => `'${status}'`).join(', ');

/** The entitlements read (exported for the EXPLAIN test). */
export const LIVE_FEATURES_SQL = `SELECT s.plan_id AS planId, p.features AS features
  FROM subscriptions s JOIN plans p ON p.id = s.plan_id
  WHERE s.user_id = ? AND s.status IN (${LIVE_SQL})`;

/** A plan's live subscribers, through idx_subscriptions_plan. */
export const LIVE_USERS_OF_PLAN_SQL = `SELECT DISTINCT user_id AS userId FROM subscriptions WHERE plan_id = ? AND status IN (${LIVE_SQL})`;

/** One UPDATE for a batch of transitions, each row conditional on its claimed status and version. */
export const BULK_TRANSITION_SQL = `UPDATE subscriptions s
   JOIN JSON_TABLE(?, '$[*]' COLUMNS (
     id CHAR(36) COLLATE utf8mb4_unicode_ci PATH '$.id',
     from_status VARCHAR(16) COLLATE utf8mb4_unicode_ci PATH '$.fromStatus',
     from_version INT PATH '$.fromVersion',
     status VARCHAR(16) COLLATE utf8mb4_unicode_ci PATH '$.status',
     plan_id CHAR(36) COLLATE utf8mb4_unicode_ci PATH '$.planId',
     price_cents INT PATH '$.priceCents',
     current_period_start DATETIME(3) PATH '$.currentPeriodStart',
     current_period_end DATETIME(3) PATH '$.currentPeriodEnd',
     cancel_at_period_end TINYINT PATH '$.cancelAtPeriodEnd',
     canceled_at DATETIME(3) PATH '$.canceledAt',
     activated_at DATETIME(3) PATH '$.activatedAt',
     failed_attempts INT PATH '$.failedAttempts',
     next_retry_at DATETIME(3) PATH '$.nextRetryAt',
     pending_invoice_id CHAR(36) COLLATE utf8mb4_unicode_ci PATH '$.pendingInvoiceId',
     credit_cents INT PATH '$.creditCents',
     live_key VARCHAR(80) COLLATE utf8mb4_unicode_ci PATH '$.liveKey'
   )) u ON u.id = s.id AND s.status = u.from_status AND s.version = u.from_version
   SET s.status = u.status, s.plan_id = u.plan_id, s.price_cents = u.price_cents,
       s.current_period_start = u.current_period_start, s.current_period_end = u.current_period_end,
       s.cancel_at_period_end = u.cancel_at_period_end, s.canceled_at = u.canceled_at,
       s.activated_at = u.activated_at, s.failed_attempts = u.failed_attempts,
       s.next_retry_at = u.next_retry_at, s.pending_invoice_id = u.pending_invoice_id,
       s.credit_cents = u.credit_cents, s.live_key = u.live_key,
       s.version = s.version + 1, s.updated_at = ?
   WHERE s.id IN (?)`;

const sqlDate = (date: Date | null): string | null =>
  date === null ? null : date.toISOString().replace('T', ' ').replace('Z', '');

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

  /**
   * Claims up to `limit` subscriptions due by `asOf` — a period ended (renewal, trial end, end of
   * term) or a dunning retry is due — locking them FOR UPDATE SKIP LOCKED: concurrent runs, on any
   * instance, take disjoint rows and never bill one period twice. Range scan on
   * idx_subscriptions_due (status, current_period_end); no ORDER BY, so only the rows returned are locked.
   */
  claimDue(manager: EntityManager, asOf: Date, limit: number): Promise<Subscription[]> {
    return this.claimDueQuery(manager, asOf, limit).getMany();
  }

  /** The claim query (exposed for the EXPLAIN test). */
  claimDueQuery(manager: EntityManager, asOf: Date, limit: number) {
    return manager
      .createQueryBuilder(Subscription, 's')
      .where(`s.status IN (${LIVE_SQL})`)
      .andWhere('s.current_period_end <= :asOf', { asOf })
      .andWhere('(s.next_retry_at IS NULL OR s.next_retry_at <= :asOf)', { asOf })
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked');
  }

  /**
   * Writes a batch of transitions in ONE statement, each row still conditional on the status and
   * version it was claimed with. Returns the number of rows changed (the caller checks all were).
   */
  async applyBulk(manager: EntityManager, transitions: readonly BulkTransition[], now: Date): Promise<number> {
    if (transitions.length === 0) return 0;
    const rows = transitions.map(({ id, fromStatus, fromVersion, after }) => ({
      id,
      fromStatus,
      fromVersion,
      status: after.status,
      planId: after.planId,
      priceCents: after.priceCents,
      currentPeriodStart: sqlDate(after.currentPeriodStart),
      currentPeriodEnd: sqlDate(after.currentPeriodEnd),
      cancelAtPeriodEnd: after.cancelAtPeriodEnd ? 1 : 0,
      canceledAt: sqlDate(after.canceledAt),
      activatedAt: sqlDate(after.activatedAt),
      failedAttempts: after.failedAttempts,
      nextRetryAt: sqlDate(after.nextRetryAt),
      pendingInvoiceId: after.pendingInvoiceId,
      creditCents: after.creditCents,
      liveKey: after.liveKey,
    }));
    const result: unknown = await manager.query(BULK_TRANSITION_SQL, [
      JSON.stringify(rows),
      now,
      transitions.map((row) => row.id),
    ]);
    return affectedRows(result);
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
                SUM(CASE p.billing_interval WHEN 'year' THEN s.price_cents / 12 ELSE s.price_cents END) AS monthlyCents
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
