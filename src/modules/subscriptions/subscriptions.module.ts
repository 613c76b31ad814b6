import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/index.js';
import { BillingController } from './controllers/billing.controller.js';
import { PlansController } from './controllers/plans.controller.js';
import { SubscriptionsController } from './controllers/subscriptions.controller.js';
import { PaymentsModule } from '../payments/index.js';
import { InvoiceRepository } from './repositories/invoice.repository.js';
import { PlanRepository } from './repositories/plan.repository.js';
import { SubscriptionRepository } from './repositories/subscription.repository.js';
import { BillingCacheService } from './services/billing-cache.service.js';
import { BillingSummaryService } from './services/billing-summary.service.js';
import { EntitlementService } from './services/entitlement.service.js';
import { PaymentService } from './services/payment.service.js';
import { PlanService } from './services/plan.service.js';
import { RenewalJob } from './jobs/renewal.job.js';
import { RenewalService } from './services/renewal.service.js';
import { StockAdapter } from './services/stock.adapter.js';
import { SubscriptionService } from './services/subscription.service.js';

/**
 * Plans, subscriptions, invoices, payments, renewals with dunning, entitlements, billing summary.
 * Money moves through the payments module's intents.
 */
@Module({
  imports: [InventoryModule, PaymentsModule],
  controllers: [PlansController, SubscriptionsController, BillingController],
  providers: [
    PlanRepository,
    SubscriptionRepository,
    InvoiceRepository,
    BillingCacheService,
    StockAdapter,
    PaymentService,
    PlanService,
    SubscriptionService,
    EntitlementService,
    BillingSummaryService,
    RenewalService,
    RenewalJob,
  ],
  exports: [EntitlementService, RenewalService],
})
export class SubscriptionsModule {}
