import { PaymentIntents1796173004298 } from '../../../migrations/1796173004298-PaymentIntents.js';
import type { ModuleSchema } from '../../infrastructure/database/module-schema.js';
import { PaymentIntent } from './entities/payment-intent.entity.js';
import { PaymentRefund } from './entities/payment-refund.entity.js';

/** What the payments module persists; the composition root concatenates every module's lists. */
export const PAYMENTS_ENTITIES = [PaymentIntent, PaymentRefund];
export const PAYMENTS_MIGRATIONS = [PaymentIntents1796173004298];

export const paymentsSchema: ModuleSchema = { entities: PAYMENTS_ENTITIES, migrations: PAYMENTS_MIGRATIONS };
