/** Every cache key, tag and TTL of the recommendations module (prefixed globally by AppCacheService). */
export const RecommendationCacheKeys = {
  /** A product's longest recommendation list (every `limit` is a prefix of it). */
  forProduct: (productId: string) => `rec:product:${productId}`,
  /** Dropped when an order containing the product is paid or fully refunded. */
  productTag: (productId: string) => `rec:product:${productId}`,
  /** Near-cache (in-process) namespace for product lists, keyed by product id. */
  nearProducts: 'recommendations.products',
  /** `limit` is the raw query value: the handler validates it (an invalid one is a 400, never stored). */
  forUser: (userId: string, limit: unknown) => `rec:user:${userId}:${String(limit ?? '')}`,
  /** Dropped when the user's own order is paid or fully refunded. */
  userTag: (userId: string) => `rec:user:${userId}`,
} as const;

export const RecommendationCacheTtl = {
  /**
   * Redis entries. With the near cache's CACHE_LOCAL_TTL_MS (5 s) in front, a change that does not touch
   * the counts (a product deactivated or sold out, another customer's order in a /me list) shows within
   * 8 + 5 = 13 s: the contract allows 15 s.
   */
  ms: 8_000,
  /** The second invalidation after a change (see RecommendationCacheService.invalidate). */
  secondInvalidationMs: 1_000,
} as const;
