import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { badRequest } from '../../../common/errors/domain-error.js';
import { InventoryErrors, type ShortItem } from '../inventory.errors.js';
import { ProductRepository } from '../repositories/product.repository.js';
import { StockRepository } from '../repositories/stock.repository.js';
import { CatalogCacheService } from './catalog-cache.service.js';
import { normalizeItems, type StockItem } from './stock-items.js';

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
    await this.takeAll(manager, lines, (productId, quantity) => this.stock.allocate(manager, productId, quantity));
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

  /**
   * Holds stock for a sale whose payment is still to come (reserved += quantity, all or nothing; 409
   * `out_of_stock` when short), in the caller's transaction: the charge then runs outside any
   * transaction, and `settleHold` turns the hold into an `allocation` (paid) or releases it.
   */
  async hold(
    manager: EntityManager,
    items: { productId: string; quantity: number }[],
    reference: { type: string; id: string },
  ): Promise<void> {
    const lines = normalizeItems(items);
    await this.takeAll(manager, lines, (productId, quantity) => this.stock.reserve(manager, productId, quantity));
    await this.appendHoldMovements(manager, lines, reference, 'reservation');
  }

  /** Ends a hold: `paid` ships it (on_hand and reserved drop: an `allocation` movement), else it is released. */
  async settleHold(
    manager: EntityManager,
    items: { productId: string; quantity: number }[],
    reference: { type: string; id: string },
    paid: boolean,
  ): Promise<void> {
    const lines = normalizeItems(items);
    for (const line of lines) {
      const done = paid
        ? await this.stock.commitReserved(manager, line.productId, line.quantity)
        : await this.stock.unreserve(manager, line.productId, line.quantity);
      if (!done) throw new Error(`stock hold of ${line.productId} for ${reference.type} ${reference.id} is missing`);
    }
    await this.appendHoldMovements(manager, lines, reference, paid ? 'allocation' : 'release');
  }

  private async appendHoldMovements(
    manager: EntityManager,
    lines: { productId: string; quantity: number }[],
    reference: { type: string; id: string },
    kind: 'reservation' | 'allocation' | 'release',
  ): Promise<void> {
    await this.stock.appendMovements(
      manager,
      lines.map((line) => ({
        productId: line.productId,
        kind,
        deltaOnHand: kind === 'allocation' ? -line.quantity : 0,
        deltaReserved: kind === 'reservation' ? line.quantity : -line.quantity,
        referenceType: reference.type,
        referenceId: reference.id,
      })),
      new Date(),
    );
  }

  /**
   * Takes every line with `take` (one conditional UPDATE each), all or nothing: 404 naming unknown products,
   * else 409 `out_of_stock` with what each short line could have had (the caller's transaction rolls back).
   */
  private async takeAll(
    manager: EntityManager,
    lines: readonly StockItem[],
    take: (productId: string, quantity: number) => Promise<boolean>,
  ): Promise<void> {
    const short: ShortItem[] = [];
    const unknown: string[] = [];
    for (const line of lines) {
      if (await take(line.productId, line.quantity)) continue;
      const level = await this.stock.level(line.productId, manager);
      if (!level) unknown.push(line.productId);
      else
        short.push({ productId: line.productId, requested: line.quantity, available: level.onHand - level.reserved });
    }
    if (unknown.length > 0) throw InventoryErrors.unknownProducts(unknown);
    if (short.length > 0) throw InventoryErrors.outOfStock(short);
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
