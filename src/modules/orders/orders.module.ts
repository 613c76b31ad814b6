import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module.js';
import { RecommendationsModule } from '../recommendations/index.js';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module.js';
import { OrdersController } from './controllers/orders.controller.js';
import { OrderRepository } from './repositories/order.repository.js';
import { OrderCheckoutService } from './services/order-checkout.service.js';
import { OrderQueryService } from './services/order-query.service.js';
import { OrderReconcileJob } from './services/order-reconcile.job.js';
import { OrderRefundService } from './services/order-refund.service.js';

/**
 * One-off purchases: a reservation paid for (charge through the payment gateway, commit through
 * inventory), refunds with restock. Exports nothing yet: revenue is read from its tables (see index.ts).
 */
@Module({
  imports: [InventoryModule, SubscriptionsModule, RecommendationsModule],
  controllers: [OrdersController],
  providers: [OrderRepository, OrderCheckoutService, OrderQueryService, OrderRefundService, OrderReconcileJob],
})
export class OrdersModule {}
