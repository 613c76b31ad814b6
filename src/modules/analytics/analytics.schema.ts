import { MrrMovements1796172968861 } from '../../../migrations/1796172968861-MrrMovements.js';
import { MrrDailyTotals1796174889059 } from '../../../migrations/1796174889059-MrrDailyTotals.js';
import type { ModuleSchema } from '../../infrastructure/database/module-schema.js';
import { MrrDailyTotal } from './entities/mrr-daily-total.entity.js';
import { MrrMovement } from './entities/mrr-movement.entity.js';

/** The analytics module's persistence: its entities and migrations (the composition root concatenates them). */
export const analyticsSchema: ModuleSchema = {
  entities: [MrrMovement, MrrDailyTotal],
  migrations: [MrrMovements1796172968861, MrrDailyTotals1796174889059],
};
