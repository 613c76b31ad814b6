/** Every cache key, tag and TTL of the recommendations module (prefixed globally by AppCacheService). */
export const RecommendationCacheKeys = {
  /** `limit` is the raw query value: the handler validates it (an invalid one is a 400, never stored). */
  forProduct: (productId: string, limit: unknown) => `rec:product:${productId}:${String(limit ?? '')}`,
  /** Dropped when an order containing the product is paid or fully refunded. */
  productTag: (productId: string) => `rec:product:${productId}`,
  forUser: (userId: string, limit: unknown) => `rec:user:${userId}:${String(limit ?? '')}`,
  /** Dropped when the user's own order is paid or fully refunded. */
  userTag: (userId: string) => `rec:user:${userId}`,
} as const;

export const RecommendationCacheTtl = {
  /**
   * Bounds how long a change that does not touch the counts shows late (a product deactivated or sold
   * out, another customer's order in a /me list): the contract allows 15 s.
   */
  ms: 10_000,
} as const;
