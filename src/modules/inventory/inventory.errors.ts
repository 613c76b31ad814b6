import { conflict, DomainError, notFound } from '../../common/errors/domain-error.js';

export interface ShortItem {
  productId: string;
  requested: number;
  available: number;
}

/** The inventory module's errors (problem+json `code`), one factory each. */
export const InventoryErrors = {
  duplicateSku: (sku: string) => conflict('duplicate_sku', `A product with sku "${sku}" already exists`),
  outOfStock: (items: ShortItem[]) => conflict('out_of_stock', 'Not enough stock for some items', { items }),
  belowReserved: (productId: string, onHand: number, reserved: number, delta: number) =>
    conflict('stock_below_reserved', 'The adjustment would take on-hand stock below what is reserved', {
      productId,
      onHand,
      reserved,
      delta,
    }),
  productInactive: (productIds: string[]) =>
    conflict('product_inactive', 'Some products are not active', { productIds }),
  reservationNotPending: (status: string) =>
    conflict('reservation_not_pending', `The reservation is ${status}, not pending`, { reservationStatus: status }),
  productNotFound: () => notFound('Product'),
  /** Unknown product ids given in a body (reservations, plan items): 404 naming them. */
  unknownProducts: (productIds: string[]) =>
    new DomainError(404, 'product_not_found', 'Some products do not exist', { extra: { productIds } }),
  /** If-Match named another version than the product's. */
  productVersionMismatch: (currentVersion: number) =>
    new DomainError(412, 'version_mismatch', 'The product has changed (If-Match does not match its version)', {
      extra: { currentVersion },
    }),
  /** A customer's reservation beyond the limits (quantity per item, TTL, pending reservations at once). */
  reservationLimit: (message: string, limit: Record<string, number>) =>
    conflict('reservation_limit', message, { limit }),
  /** An order is paying for the reservation right now: it cannot be ended or paid for twice meanwhile. */
  checkoutInProgress: () => conflict('checkout_in_progress', 'An order is paying for this reservation right now'),
} as const;
