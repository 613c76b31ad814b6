import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { effectiveStatus } from '../dto/reservation.dto.js';
import type { ReservationStatus } from '../entities/reservation.entity.js';
import { ProductRepository } from '../repositories/product.repository.js';
import { ReservationRepository } from '../repositories/reservation.repository.js';
import { StockRepository } from '../repositories/stock.repository.js';
import { CatalogCacheService } from './catalog-cache.service.js';
import { ReservationService } from './reservation.service.js';
import { normalizeItems, type StockItem } from './stock-items.js';

export interface CheckoutReservation {
  id: string;
  userId: string;
  /** As a client sees it: a pending reservation past its expiry is `expired`. */
  status: ReservationStatus;
  /** The order paying for it right now, if any. */
  checkoutOrderId: string | null;
  items: StockItem[];
}

export interface PricedProduct {
  productId: string;
  priceCents: number;
  currency: string;
}

/**
 * Exported to the orders module: what a checkout needs from inventory. The hold makes an order and
 * the reservation's other endings (expiry, release, staff commit) mutually exclusive: the order takes
 * the hold in its first transaction (only on a pending, unexpired reservation), charges outside any
 * transaction, then either commits the held reservation or lets go of the hold. Methods taking a
 * manager run inside the caller's transaction; call `invalidate()` after it commits.
 */
@Injectable()
export class ReservationCheckoutService {
  constructor(
    private readonly reservations: ReservationRepository,
    private readonly reservationService: ReservationService,
    private readonly products: ProductRepository,
    private readonly stock: StockRepository,
    private readonly catalog: CatalogCacheService,
  ) {}

  async find(id: string, manager?: EntityManager, now = new Date()): Promise<CheckoutReservation | undefined> {
    const reservation = await this.reservations.findById(id, manager);
    if (!reservation) return undefined;
    const items = await this.reservations.items(id, manager);
    return {
      id,
      userId: reservation.userId,
      status: effectiveStatus(reservation, now),
      checkoutOrderId: reservation.checkoutOrderId,
      items: items.map((item) => ({ productId: item.productId, quantity: item.quantity })),
    };
  }

  /** Current list prices of those of `productIds` that exist. */
  async prices(productIds: readonly string[]): Promise<PricedProduct[]> {
    const rows = await this.products.rowsByIds(productIds);
    return rows.map((row) => ({ productId: row.id, priceCents: Number(row.price_cents), currency: row.currency }));
  }

  /** True when the hold was taken (the owner's reservation, pending, unexpired, not held by another order). */
  hold(manager: EntityManager, id: string, userId: string, orderId: string, now: Date): Promise<boolean> {
    return this.reservations.hold(manager, id, userId, orderId, now);
  }

  /** The payment failed: the reservation is pending again, its stock still reserved (it may now expire). */
  unhold(manager: EntityManager, id: string, orderId: string, now: Date): Promise<boolean> {
    return this.reservations.unhold(manager, id, orderId, now);
  }

  /** The payment succeeded: the held reservation is committed (stock leaves on-hand, ledger, audit). */
  async commitHeld(manager: EntityManager, id: string, orderId: string, now: Date): Promise<StockItem[]> {
    const items = await this.reservationService.commitHeld(manager, id, orderId, now);
    return items.map((item) => ({ productId: item.productId, quantity: item.quantity }));
  }

  /** Refunded items back on hand: on_hand += qty with `return` movements referencing the order. */
  async restock(manager: EntityManager, items: readonly StockItem[], orderId: string, now: Date): Promise<void> {
    const lines = normalizeItems(items);
    for (const line of lines) {
      if (!(await this.stock.adjust(manager, line.productId, line.quantity))) {
        throw new Error(`could not return ${line.quantity} of product ${line.productId}`);
      }
    }
    await this.stock.appendMovements(
      manager,
      lines.map((line) => ({
        productId: line.productId,
        kind: 'return' as const,
        deltaOnHand: line.quantity,
        deltaReserved: 0,
        referenceType: 'order',
        referenceId: orderId,
      })),
      now,
    );
  }

  /** After the caller's transaction commits: catalogue reads show the new stock on every instance. */
  invalidate(productIds: readonly string[]): Promise<void> {
    return this.catalog.invalidate(productIds);
  }
}
