/** The operations module's public API: health probes and the metrics scrape, for the composition root. */
export { OperationsModule } from './operations.module.js';
