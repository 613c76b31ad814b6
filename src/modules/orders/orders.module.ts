import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/index.js';
import { RecommendationsModule } from '../recommendations/index.js';
import { PaymentsModule } from '../payments/index.js';
import { OrdersController } from './controllers/orders.controller.js';
import { OrderRepository } from './repositories/order.repository.js';
import { OrderCheckoutService } from './services/order-checkout.service.js';
import { OrderQueryService } from './services/order-query.service.js';
import { OrderRefundService } from './services/order-refund.service.js';

/**
 * One-off purchases: a reservation paid for (payment intent through the payments module, commit through
 * inventory), refunds with restock. Exports nothing: its revenue is the payments module's (purpose `order`).
 */
@Module({
  imports: [InventoryModule, PaymentsModule, RecommendationsModule],
  controllers: [OrdersController],
  providers: [OrderRepository, OrderCheckoutService, OrderQueryService, OrderRefundService],
})
export class OrdersModule {}
