import { Injectable } from '@nestjs/common';
import { AppCacheService } from '../../../infrastructure/cache/app-cache.service.js';
import type { BillingSummaryResponse, PlanSummaryResponse } from '../dto/subscription.dto.js';
import { PlanRepository } from '../repositories/plan.repository.js';
import { SubscriptionRepository } from '../repositories/subscription.repository.js';
import { BillingCacheService } from './billing-cache.service.js';

const DAY_MS = 86_400_000;

/**
 * Admin billing summary from SQL aggregates (GROUP BY plan, status, currency over live rows),
 * cached and dropped after every subscription or plan change commits.
 * MRR = Σ over active and past_due subscriptions of the rate of their current period, yearly
 * rates divided by 12 and rounded per subscription (as the MRR movements are).
 * `mrrCents` adds all currencies up (meaningful for a one-currency deployment); `mrrByCurrency`
 * and `byPlan` keep them apart.
 */
@Injectable()
export class BillingSummaryService {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly plans: PlanRepository,
    private readonly cache: AppCacheService,
    private readonly billingCache: BillingCacheService,
  ) {}

  async summary(): Promise<BillingSummaryResponse> {
    const key = await this.billingCache.summaryKey();
    if (key === undefined) return this.compute();
    return this.cache.getOrLoad(key, () => this.compute(), {
      // Churn is a sliding window: a short TTL keeps it honest even without writes.
      ttlMs: Math.min(this.billingCache.ttlMs, 60_000),
    });
  }

  private async compute(): Promise<BillingSummaryResponse> {
    const now = new Date();
    const [aggregates, churned, awaitingStock, paused] = await Promise.all([
      this.subscriptions.aggregateLive(),
      this.subscriptions.countCanceledSince(new Date(now.getTime() - 30 * DAY_MS)),
      this.subscriptions.countAwaitingStock(),
      this.subscriptions.countPaused(),
    ]);
    const plans = await this.plans.findByIds(aggregates.map((row) => row.planId));
    const byPlan = new Map<string, PlanSummaryResponse & { exact: number }>();
    const totals = { active: 0, trialing: 0, past_due: 0 };
    for (const row of aggregates) {
      const plan = plans.get(row.planId);
      const key = `${row.planId}:${row.currency}`;
      const entry = byPlan.get(key) ?? {
        planId: row.planId,
        code: plan?.code ?? '',
        name: plan?.name ?? '',
        currency: row.currency,
        interval: plan?.interval ?? 'month',
        activeSubscriptions: 0,
        trialingSubscriptions: 0,
        pastDueSubscriptions: 0,
        mrrCents: 0,
        exact: 0,
      };
      if (row.status === 'active') entry.activeSubscriptions += row.subscriptions;
      if (row.status === 'trialing') entry.trialingSubscriptions += row.subscriptions;
      if (row.status === 'past_due') entry.pastDueSubscriptions += row.subscriptions;
      if (row.status === 'active' || row.status === 'past_due') entry.exact += row.monthlyCents;
      if (row.status in totals) totals[row.status as keyof typeof totals] += row.subscriptions;
      byPlan.set(key, entry);
    }
    const mrrByCurrency = new Map<string, number>();
    const planRows = [...byPlan.values()]
      .map(({ exact, ...entry }) => ({ ...entry, mrrCents: Math.round(exact) }))
      .sort((a, b) => b.mrrCents - a.mrrCents || a.code.localeCompare(b.code));
    for (const row of planRows) mrrByCurrency.set(row.currency, (mrrByCurrency.get(row.currency) ?? 0) + row.mrrCents);
    return {
      mrrCents: [...mrrByCurrency.values()].reduce((sum, value) => sum + value, 0),
      mrrByCurrency: [...mrrByCurrency].map(([currency, mrrCents]) => ({ currency, mrrCents })),
      activeSubscriptions: totals.active,
      trialingSubscriptions: totals.trialing,
      pastDueSubscriptions: totals.past_due,
      pausedSubscriptions: paused,
      awaitingStockSubscriptions: awaitingStock,
      churnedLast30Days: churned,
      byPlan: planRows,
      generatedAt: now.toISOString(),
    };
  }
}
