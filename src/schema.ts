import { idempotencySchema } from './common/idempotency/idempotency.schema.js';
import { mergeSchemas } from './infrastructure/database/module-schema.js';
import { auditSchema } from './modules/audit/index.js';
import { authSchema } from './modules/auth/index.js';
import { inventorySchema } from './modules/inventory/index.js';
import { ordersSchema } from './modules/orders/index.js';
import { paymentsSchema } from './modules/payments/index.js';
import { recommendationsSchema } from './modules/recommendations/index.js';
import { subscriptionsSchema } from './modules/subscriptions/index.js';
import { webhooksSchema } from './modules/webhooks/index.js';

/**
 * Composition root of the database: every module's entities and migrations, listed explicitly
 * (TypeORM's glob loading uses dynamic import(), which jest's ESM runtime cannot serve from a
 * second test file). A new module adds one line here.
 */
export const APP_SCHEMA = mergeSchemas([
  idempotencySchema,
  auditSchema,
  authSchema,
  inventorySchema,
  subscriptionsSchema,
  paymentsSchema,
  ordersSchema,
  recommendationsSchema,
  webhooksSchema,
]);
