import { MrrMovements1796172968861 } from '../../../migrations/1796172968861-MrrMovements.js';
import type { ModuleSchema } from '../../infrastructure/database/module-schema.js';
import { MrrMovement } from './entities/mrr-movement.entity.js';

/** The analytics module's persistence: its entities and migrations (the composition root concatenates them). */
export const ANALYTICS_ENTITIES = [MrrMovement];
export const ANALYTICS_MIGRATIONS = [MrrMovements1796172968861];
export const analyticsSchema: ModuleSchema = { entities: ANALYTICS_ENTITIES, migrations: ANALYTICS_MIGRATIONS };
