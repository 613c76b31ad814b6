import { conflict, DomainError, notFound } from '../../common/errors/domain-error.js';

/** The inventory module's error codes (problem+json `code`). */
export const InventoryErrorCode = {
  duplicateSku: 'duplicate_sku',
  outOfStock: 'out_of_stock',
  belowReserved: 'stock_below_reserved',
  productInactive: 'product_inactive',
  reservationNotPending: 'reservation_not_pending',
  productNotFound: 'product_not_found',
  reservationLimit: 'reservation_limit',
  checkoutInProgress: 'checkout_in_progress',
} as const;

export interface ShortItem {
  productId: string;
  requested: number;
  available: number;
}

export const duplicateSku = (sku: string) =>
  conflict(InventoryErrorCode.duplicateSku, `A product with sku "${sku}" already exists`);

export const outOfStock = (items: ShortItem[]) =>
  conflict(InventoryErrorCode.outOfStock, 'Not enough stock for some items', { items });

export const belowReserved = (productId: string, onHand: number, reserved: number, delta: number) =>
  conflict(InventoryErrorCode.belowReserved, 'The adjustment would take on-hand stock below what is reserved', {
    productId,
    onHand,
    reserved,
    delta,
  });

export const productInactive = (productIds: string[]) =>
  conflict(InventoryErrorCode.productInactive, 'Some products are not active', { productIds });

export const reservationNotPending = (status: string) =>
  conflict(InventoryErrorCode.reservationNotPending, `The reservation is ${status}, not pending`, {
    reservationStatus: status,
  });

export const productNotFound = () => notFound('Product');

/** Unknown product ids given in a body (reservations, plan items): 404 naming them. */
export const unknownProducts = (productIds: string[]) =>
  new DomainError(404, InventoryErrorCode.productNotFound, 'Some products do not exist', { extra: { productIds } });

/** A customer's reservation beyond the limits (quantity per item, TTL, pending reservations at once). */
export const reservationLimit = (message: string, limit: Record<string, number>) =>
  conflict(InventoryErrorCode.reservationLimit, message, { limit });

/** An order is paying for the reservation right now: it cannot be ended or paid for twice meanwhile. */
export const checkoutInProgress = () =>
  conflict(InventoryErrorCode.checkoutInProgress, 'An order is paying for this reservation right now');
