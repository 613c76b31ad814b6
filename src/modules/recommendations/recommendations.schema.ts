import { Recommendations1796173534953 } from '../../../migrations/1796173534953-Recommendations.js';
import { CoPurchase } from './entities/co-purchase.entity.js';
import { UserPurchase } from './entities/user-purchase.entity.js';

/** The recommendations module's tables: the composition root concatenates every module's lists. */
export const RECOMMENDATIONS_ENTITIES = [CoPurchase, UserPurchase];
export const RECOMMENDATIONS_MIGRATIONS = [Recommendations1796173534953];
