import { AuditEvents1764320000002 } from '../../../migrations/1764320000002-AuditEvents.js';
import { AuditChain1764320200000 } from '../../../migrations/1764320200000-AuditChain.js';
import type { ModuleSchema } from '../../infrastructure/database/module-schema.js';
import { AuditChainLink } from './entities/audit-chain-link.entity.js';
import { AuditEvent } from './entities/audit-event.entity.js';

export const auditSchema: ModuleSchema = {
  entities: [AuditEvent, AuditChainLink],
  migrations: [AuditEvents1764320000002, AuditChain1764320200000],
};
