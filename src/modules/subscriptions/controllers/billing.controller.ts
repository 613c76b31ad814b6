import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../../common/auth/require-permission.decorator.js';
import { Idempotent } from '../../../common/idempotency/idempotency.interceptor.js';
import { BillingSummaryResponse, RenewalRunResponse, RunRenewalsBody } from '../dto/subscription.dto.js';
import { BillingSummaryService } from '../services/billing-summary.service.js';
import { RenewalService } from '../services/renewal.service.js';

@ApiTags('billing')
@Controller('api/v1/billing')
export class BillingController {
  constructor(
    private readonly renewals: RenewalService,
    private readonly summaryService: BillingSummaryService,
  ) {}

  @Post('renewals/run')
  @HttpCode(200)
  @Idempotent()
  @RequirePermission('billing:run')
  @ApiOkResponse({ type: RenewalRunResponse })
  runRenewals(@Body() body: RunRenewalsBody): Promise<RenewalRunResponse> {
    return this.renewals.run(body.asOf ? new Date(body.asOf) : new Date());
  }

  @Get('summary')
  @RequirePermission('billing:read')
  @ApiOkResponse({ type: BillingSummaryResponse })
  summary(): Promise<BillingSummaryResponse> {
    return this.summaryService.summary();
  }
}
