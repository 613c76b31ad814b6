/** Public entry point of the recommendations module. */
export { RecommendationsModule } from './recommendations.module.js';
export { recommendationsSchema } from './recommendations.schema.js';
export { CoPurchaseService } from './services/co-purchase.service.js';
