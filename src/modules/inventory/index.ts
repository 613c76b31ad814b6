/** The inventory module's public API: what other modules and the composition root may import. */
export { InventoryModule } from './inventory.module.js';
export { inventorySchema } from './inventory.schema.js';
export { StockAllocationService } from './services/stock-allocation.service.js';
