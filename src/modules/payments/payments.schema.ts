import { PaymentIntents1796173004298 } from '../../../migrations/1796173004298-PaymentIntents.js';
import type { ModuleSchema } from '../../infrastructure/database/module-schema.js';
import { PaymentIntent } from './entities/payment-intent.entity.js';
import { PaymentRefund } from './entities/payment-refund.entity.js';

/** What the payments module persists; the composition root (src/schema.ts) concatenates every module's. */
export const paymentsSchema: ModuleSchema = {
  entities: [PaymentIntent, PaymentRefund],
  migrations: [PaymentIntents1796173004298],
};
