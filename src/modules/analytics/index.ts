/** The analytics module's public API. */
export { AnalyticsModule } from './analytics.module.js';
export { analyticsSchema } from './analytics.schema.js';
export type { MrrMovementKind } from './entities/mrr-movement.entity.js';
export { type MrrMovementInput, MrrMovementRecorder } from './services/mrr-movement.recorder.js';
