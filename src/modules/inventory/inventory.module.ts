import { Module } from '@nestjs/common';
import { InventoryController } from './controllers/inventory.controller.js';
import { ProductsController } from './controllers/products.controller.js';
import { ReservationsController } from './controllers/reservations.controller.js';
import { ProductRepository } from './repositories/product.repository.js';
import { ReservationRepository } from './repositories/reservation.repository.js';
import { StockRepository } from './repositories/stock.repository.js';
import { CatalogCacheService } from './services/catalog-cache.service.js';
import { ProductService } from './services/product.service.js';
import { ReservationExpiryJob } from './jobs/reservation-expiry.job.js';
import { ReservationCheckoutService } from './services/reservation-checkout.service.js';
import { ReservationService } from './services/reservation.service.js';
import { StockAllocationService } from './services/stock-allocation.service.js';
import { StockLedgerService } from './services/stock-ledger.service.js';

/**
 * Products, stock, reservations and the stock ledger. Exports StockAllocationService (subscriptions),
 * ReservationCheckoutService (orders) and ProductService (catalogue reads, recommendations).
 */
@Module({
  controllers: [ProductsController, InventoryController, ReservationsController],
  providers: [
    ProductRepository,
    StockRepository,
    ReservationRepository,
    CatalogCacheService,
    ProductService,
    StockLedgerService,
    ReservationService,
    ReservationExpiryJob,
    StockAllocationService,
    ReservationCheckoutService,
  ],
  exports: [StockAllocationService, ReservationCheckoutService, ProductService],
})
export class InventoryModule {}
