import { Foundation1764320000000 } from '../../../migrations/1764320000000-Foundation.js';
import { IdempotencyRecord } from '../../common/idempotency/idempotency-record.entity.js';

/**
 * Every entity and migration, listed explicitly: TypeORM's glob loading uses dynamic import(),
 * which jest's ESM runtime cannot serve from a second test file. Add new ones at the end.
 */
export const ENTITIES = [IdempotencyRecord];

export const MIGRATIONS = [Foundation1764320000000];
