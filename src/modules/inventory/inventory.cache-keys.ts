import { createHash } from 'node:crypto';

/**
 * Every cache key and TTL of the inventory module. Values are stored under a *generation*: a random
 * token per product (and one for all list pages) that writers replace after they commit. Readers read
 * the generation before they load from MySQL, so a value loaded before a write is stored under the old
 * generation, which nobody reads any more (see docs/inventory.md, "Caching").
 */
export const InventoryCacheKeys = {
  productGeneration: (productId: string) => `inv:gen:product:${productId}`,
  listGeneration: () => 'inv:gen:products',
  product: (productId: string, generation: string) => `inv:product:${productId}:${generation}`,
  productList: (generation: string, query: Record<string, unknown>) =>
    `inv:products:${generation}:${createHash('sha1').update(JSON.stringify(query)).digest('base64url')}`,
  /** Near-cache (in-process) namespace for products by id. */
  nearProducts: 'inventory.products',
} as const;

export const InventoryCacheTtl = {
  productMs: 60_000,
  listMs: 30_000,
  /** Generations outlive every value stored under them. */
  generationMs: 86_400_000,
} as const;
