import { Global, Module } from '@nestjs/common';
import { AuditEventsController } from './controllers/audit-events.controller.js';
import { AuditSealJob } from './jobs/audit-seal.job.js';
import { AuditChainRepository } from './repositories/audit-chain.repository.js';
import { AuditEventRepository } from './repositories/audit-event.repository.js';
import { AuditQueryService } from './services/audit-query.service.js';
import { AuditSealerService } from './services/audit-sealer.service.js';
import { AuditService } from './services/audit.service.js';
import { AuditVerifierService } from './services/audit-verifier.service.js';

/** Global: every module records through AuditService. */
@Global()
@Module({
  controllers: [AuditEventsController],
  providers: [
    AuditService,
    AuditEventRepository,
    AuditChainRepository,
    AuditQueryService,
    AuditSealerService,
    AuditVerifierService,
    AuditSealJob,
  ],
  exports: [AuditService],
})
export class AuditModule {}
