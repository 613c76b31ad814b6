import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../../common/auth/require-permission.decorator.js';
import type { Page } from '../../../common/pagination/pagination.js';
import { AuditEventResponse, AuditEventPage, AuditEventQuery, VerifyResponse } from '../dto/audit-event.dto.js';
import { AuditQueryService } from '../services/audit-query.service.js';
import { AuditVerifierService } from '../services/audit-verifier.service.js';

@ApiTags('audit')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'Not authenticated' })
@ApiResponse({ status: 403, description: 'Not an admin' })
@RequirePermission('audit:read')
@Controller('api/v1/audit-events')
export class AuditEventsController {
  constructor(
    private readonly query: AuditQueryService,
    private readonly verifier: AuditVerifierService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Recorded events, newest first; every filter is served by an index' })
  @ApiOkResponse({ type: AuditEventPage })
  @ApiResponse({ status: 400, description: 'Invalid filter (e.g. from/to not ISO 8601) or cursor' })
  list(@Query() query: AuditEventQuery): Promise<Page<AuditEventResponse>> {
    return this.query.list(query);
  }

  @Get('verify')
  @ApiOperation({
    summary: 'Seal pending events, then recompute the whole hash chain in batches',
    description: 'ok:false names the first event whose link does not verify (changed, deleted or reordered).',
  })
  @ApiOkResponse({ type: VerifyResponse })
  verify(): Promise<VerifyResponse> {
    return this.verifier.verify();
  }
}
