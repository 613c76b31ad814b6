import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { badRequest } from '../../../common/errors/domain-error.js';
import type { PlanItem } from '../entities/plan.entity.js';

/**
 * The one place this module touches inventory: through the inventory module's exported
 * StockAllocationService, never its tables.
 */
@Injectable()
export class StockAdapter {
  /** Takes the items from on-hand in the caller's transaction; 409 `out_of_stock` when short. */
  async allocate(
    _manager: EntityManager,
    items: readonly PlanItem[],
    _reference: { type: string; id: string },
  ): Promise<void> {
    if (items.length > 0) throw itemsUnsupported();
  }

  /** After commit: drops cached stock of the products touched. */
  async invalidate(_productIds: readonly string[]): Promise<void> {}

  async assertProductsExist(productIds: readonly string[]): Promise<void> {
    if (productIds.length > 0) throw itemsUnsupported();
  }
}

function itemsUnsupported() {
  return badRequest('plan_items_unavailable', 'Plans with items need the inventory module, which is not installed', [
    { field: 'items', message: 'plan items are not available in this build' },
  ]);
}
