/** The audit module's public API: what other modules and the composition root may import. */
export { AuditModule } from './audit.module.js';
export { auditSchema } from './audit.schema.js';
export { AuditService, type AuditEntry, type AuditedChange } from './services/audit.service.js';
export { AuditFeed, type SealedAuditEvent } from './services/audit-feed.service.js';
export { AuditQueryService } from './services/audit-query.service.js';
export { diffChanges } from './services/redact.js';
export type { StatusTransitionCount } from './repositories/audit-event.repository.js';
