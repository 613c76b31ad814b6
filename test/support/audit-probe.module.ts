import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { IsBoolean, IsObject, IsOptional, IsString } from 'class-validator';
import { badRequest } from '../../src/common/errors/domain-error.js';
import { TransactionService } from '../../src/infrastructure/database/transaction.service.js';
import { AuditService } from '../../src/modules/audit/index.js';

export class AuditProbeBody {
  @IsString()
  action: string;

  @IsString()
  entityId: string;

  @IsOptional()
  @IsObject()
  changes?: Record<string, unknown>;

  /** Throw after recording, inside the transaction: the event must roll back with it. */
  @IsOptional()
  @IsBoolean()
  fail?: boolean;

  /** Run the same transaction without recording (a baseline for query counts). */
  @IsOptional()
  @IsBoolean()
  skipAudit?: boolean;
}

/** Test-only: an authenticated state change that records one audit event through the real pipeline. */
@Controller('probe/audit')
export class AuditProbeController {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
  ) {}

  @Post()
  @HttpCode(201)
  async record(@Body() body: AuditProbeBody): Promise<{ recorded: true }> {
    await this.tx.run(async (manager) => {
      if (body.skipAudit) return;
      await this.audit.record(manager, {
        action: body.action,
        entityType: 'probe',
        entityId: body.entityId,
        changes: body.changes,
      });
      if (body.fail) throw badRequest('probe_failed', 'failed on purpose');
    });
    return { recorded: true };
  }
}

@Module({ controllers: [AuditProbeController] })
export class AuditProbeModule {}
