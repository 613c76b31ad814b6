/** The auth module's public API: what other modules and the composition root may import. */
export { AuthModule } from './auth.module.js';
export { authSchema } from './auth.schema.js';
