import { Module } from '@nestjs/common';
import { PAYMENT_GATEWAY } from './gateway/payment-gateway.js';
import { SimulatedPaymentGateway } from './gateway/simulated-payment-gateway.js';
import { PaymentReconcileJob } from './jobs/payment-reconcile.job.js';
import { PaymentIntentRepository } from './repositories/payment-intent.repository.js';
import { PaymentFaults } from './services/payment-faults.js';
import { PaymentIntents } from './services/payment-intents.service.js';
import { PaymentRevenue } from './services/payment-revenue.service.js';

/**
 * Payment intents (charge and refund through the gateway, outside any transaction, reconciled when
 * interrupted) and the revenue read. The gateway is bound here: swap SimulatedPaymentGateway for a
 * real adapter behind PAYMENT_GATEWAY (docs/subscriptions.md says what it must implement).
 */
@Module({
  providers: [
    { provide: PAYMENT_GATEWAY, useClass: SimulatedPaymentGateway },
    PaymentIntentRepository,
    PaymentFaults,
    PaymentIntents,
    PaymentRevenue,
    PaymentReconcileJob,
  ],
  exports: [PaymentIntents, PaymentRevenue, PAYMENT_GATEWAY, PaymentFaults, PaymentReconcileJob],
})
export class PaymentsModule {}
