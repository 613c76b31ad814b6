import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { badRequest } from '../../../common/errors/domain-error.js';
import { InventoryErrors, type ShortItem } from '../inventory.errors.js';
import { ProductRepository } from '../repositories/product.repository.js';
import { StockRepository } from '../repositories/stock.repository.js';
import { CatalogCacheService } from './catalog-cache.service.js';
import { normalizeItems } from './stock-items.js';

/**
 * Exported to other modules (subscriptions): takes stock for a sale inside the CALLER's transaction.
 * No transaction and no audit event of its own; the caller records its event and, after its
 * transaction commits, calls `invalidate()` with the same product ids.
 */
@Injectable()
export class StockAllocationService {
  constructor(
    private readonly stock: StockRepository,
    private readonly products: ProductRepository,
    private readonly catalog: CatalogCacheService,
  ) {}

  /**
   * on_hand −= quantity for every item, all or nothing, rows touched in product-id order; 409
   * `out_of_stock` with `extra.items` ({productId, requested, available}) when any is short.
   */
  async allocate(
    manager: EntityManager,
    items: { productId: string; quantity: number }[],
    reference: { type: string; id: string },
  ): Promise<void> {
    if (items.some((item) => !Number.isInteger(item.quantity) || item.quantity < 1)) {
      throw badRequest('invalid_quantity', 'Allocation quantities must be positive integers');
    }
    const lines = normalizeItems(items);
    const short: ShortItem[] = [];
    const unknown: string[] = [];
    for (const line of lines) {
      if (await this.stock.allocate(manager, line.productId, line.quantity)) continue;
      const level = await this.stock.level(line.productId, manager);
      if (!level) unknown.push(line.productId);
      else
        short.push({ productId: line.productId, requested: line.quantity, available: level.onHand - level.reserved });
    }
    if (unknown.length > 0) throw InventoryErrors.unknownProducts(unknown);
    if (short.length > 0) throw InventoryErrors.outOfStock(short);
    await this.stock.appendMovements(
      manager,
      lines.map((line) => ({
        productId: line.productId,
        kind: 'allocation' as const,
        deltaOnHand: -line.quantity,
        deltaReserved: 0,
        referenceType: reference.type,
        referenceId: reference.id,
      })),
      new Date(),
    );
  }

  /** Run after the caller's transaction commits: catalogue reads then show the new stock everywhere. */
  async invalidate(productIds: string[]): Promise<void> {
    await this.catalog.invalidate(productIds);
  }

  /** 404 `product_not_found` naming the unknown ids, if any of `productIds` does not exist. */
  async assertProductsExist(productIds: string[]): Promise<void> {
    const ids = [...new Set(productIds)];
    const found = new Set((await this.products.activeStates(ids)).map((product) => product.id));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) throw InventoryErrors.unknownProducts(missing);
  }
}
