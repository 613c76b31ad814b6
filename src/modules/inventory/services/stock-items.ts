export interface StockItem {
  productId: string;
  quantity: number;
}

/**
 * Lines merged by product (quantities summed) and sorted by product id: every multi-row stock change
 * locks rows in this one global order, so two of them can never wait on each other in a cycle.
 */
export function normalizeItems(items: readonly StockItem[]): StockItem[] {
  const merged = new Map<string, number>();
  for (const item of items) merged.set(item.productId, (merged.get(item.productId) ?? 0) + item.quantity);
  return [...merged.entries()]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
}
