import { Subscriptions1764320400000 } from '../../../migrations/1764320400000-Subscriptions.js';
import type { ModuleSchema } from '../../infrastructure/database/module-schema.js';
import { Invoice } from './entities/invoice.entity.js';
import { PaymentAttempt } from './entities/payment-attempt.entity.js';
import { Plan } from './entities/plan.entity.js';
import { Subscription } from './entities/subscription.entity.js';

export const subscriptionsSchema: ModuleSchema = {
  entities: [Plan, Subscription, Invoice, PaymentAttempt],
  migrations: [Subscriptions1764320400000],
};
