import { Global, Module } from '@nestjs/common';
import { AuditEventsController } from './controllers/audit-events.controller.js';
import { AuditSealJob } from './jobs/audit-seal.job.js';
import { AuditChainRepository } from './repositories/audit-chain.repository.js';
import { AuditEventRepository } from './repositories/audit-event.repository.js';
import { AuditFeed } from './services/audit-feed.service.js';
import { AuditQueryService } from './services/audit-query.service.js';
import { AuditSealerService } from './services/audit-sealer.service.js';
import { AuditService } from './services/audit.service.js';
import { AuditVerifierService } from './services/audit-verifier.service.js';

/**
 * Global: every module records through AuditService; AuditQueryService also counts for analytics;
 * AuditFeed gives the committed changes in order (webhooks' relay).
 */
@Global()
@Module({
  controllers: [AuditEventsController],
  providers: [
    AuditService,
    AuditEventRepository,
    AuditChainRepository,
    AuditQueryService,
    AuditFeed,
    AuditSealerService,
    AuditVerifierService,
    AuditSealJob,
  ],
  exports: [AuditService, AuditQueryService, AuditFeed],
})
export class AuditModule {}
