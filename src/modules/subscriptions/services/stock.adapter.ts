import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StockAllocationService } from '../../inventory/index.js';
import type { PlanItem } from '../entities/plan.entity.js';

/**
 * The one place this module touches inventory: through the inventory module's exported
 * StockAllocationService, never its tables.
 */
@Injectable()
export class StockAdapter {
  constructor(private readonly allocation: StockAllocationService) {}

  /** Takes the items from on-hand in the caller's transaction; 409 `out_of_stock` (with `items`) when short. */
  async allocate(
    manager: EntityManager,
    items: readonly PlanItem[],
    reference: { type: string; id: string },
  ): Promise<void> {
    if (items.length === 0) return;
    await this.allocation.allocate(
      manager,
      items.map((item) => ({ productId: item.productId, quantity: item.quantity })),
      reference,
    );
  }

  /** After commit: drops cached stock of the products touched (on every instance). */
  async invalidate(productIds: readonly string[]): Promise<void> {
    if (productIds.length > 0) await this.allocation.invalidate([...new Set(productIds)]);
  }

  /** 404 `product_not_found` naming the unknown ids. */
  async assertProductsExist(productIds: readonly string[]): Promise<void> {
    if (productIds.length > 0) await this.allocation.assertProductsExist([...productIds]);
  }
}
