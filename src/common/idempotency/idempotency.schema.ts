import { Foundation1764320000000 } from '../../../migrations/1764320000000-Foundation.js';
import { IdempotencyLease1796174933406 } from '../../../migrations/1796174933406-IdempotencyLease.js';
import type { ModuleSchema } from '../../infrastructure/database/module-schema.js';
import { IdempotencyRecord } from './idempotency-record.entity.js';

export const idempotencySchema: ModuleSchema = {
  entities: [IdempotencyRecord],
  migrations: [Foundation1764320000000, IdempotencyLease1796174933406],
};
