/** The audit module's public API: what other modules and the composition root may import. */
export { AuditModule } from './audit.module.js';
export { auditSchema } from './audit.schema.js';
export { AuditService, type AuditEntry, type AuditedChange, type AuditListener } from './services/audit.service.js';
export { diffChanges } from './services/redact.js';
