/** The inventory module's public API: what other modules and the composition root may import. */
export { InventoryModule } from './inventory.module.js';
export { inventorySchema } from './inventory.schema.js';
export { StockAllocationService } from './services/stock-allocation.service.js';
export { InventoryErrors } from './inventory.errors.js';
export { ProductResponse } from './dto/product.dto.js';
export { ProductService } from './services/product.service.js';
export { SellableProducts, type SellableProductRow } from './repositories/sellable-products.js';
export {
  type CheckoutReservation,
  type PricedProduct,
  ReservationCheckoutService,
} from './services/reservation-checkout.service.js';
