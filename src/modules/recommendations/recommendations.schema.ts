import { Recommendations1796173534953 } from '../../../migrations/1796173534953-Recommendations.js';
import type { ModuleSchema } from '../../infrastructure/database/module-schema.js';
import { CoPurchase } from './entities/co-purchase.entity.js';
import { UserPurchase } from './entities/user-purchase.entity.js';

export const recommendationsSchema: ModuleSchema = {
  entities: [CoPurchase, UserPurchase],
  migrations: [Recommendations1796173534953],
};
