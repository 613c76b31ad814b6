/** Every cache key and tag of the subscriptions module (keys are prefixed globally by AppCacheService). */
export const SubscriptionCacheKeys = {
  /** `{features}` of one user's live subscriptions, under the user's current generation. */
  entitlements: (userId: string, generation: string) => `subs:entitlements:${userId}:${generation}`,
  /** A user's entitlements generation: replaced after every change of their subscriptions. */
  entitlementsGeneration: (userId: string) => `subs:entitlements-gen:${userId}`,
  /** Tag on every entitlements entry that includes a plan: a plan's feature change drops them all. */
  planTag: (planId: string) => `subs:plan:${planId}`,
  /** InvalidationBus namespace of the in-process entitlements cache (keyed by user id). */
  nearEntitlements: () => 'subs:entitlements',
  /** One page of the plan catalogue (raw query values; `all` only for callers who may see deactivated plans). */
  planPage: (query: { limit?: unknown; cursor?: unknown }, withInactive: boolean) =>
    `subs:plans:${withInactive ? 'all' : 'active'}:${String(query.limit ?? '')}:${String(query.cursor ?? '')}`,
  /** Tag on every plan catalogue page: any plan created or changed drops them all. */
  plansTag: () => 'subs:plans',
  /** The admin billing summary, under the current summary generation. */
  summary: (generation: string) => `subs:billing-summary:${generation}`,
  summaryGeneration: () => 'subs:billing-summary-gen',
} as const;
