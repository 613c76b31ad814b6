import { Global, Module } from '@nestjs/common';
import { AuditService } from './services/audit.service.js';

/** Global: every module records through AuditService. */
@Global()
@Module({
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
