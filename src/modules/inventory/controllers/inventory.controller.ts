import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { RequirePermission } from '../../../common/auth/require-permission.decorator.js';
import { Idempotent } from '../../../common/idempotency/idempotency.interceptor.js';
import {
  CreateAdjustmentBody,
  MovementPage,
  MovementQuery,
  MovementResponse,
  ReconcileReport,
} from '../dto/movement.dto.js';
import { StockLedgerService } from '../services/stock-ledger.service.js';

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('api/v1/inventory')
export class InventoryController {
  constructor(private readonly ledger: StockLedgerService) {}

  @Post('adjustments')
  @RequirePermission('inventory:write')
  @Idempotent()
  @ApiCreatedResponse({ type: MovementResponse })
  @ApiForbiddenResponse()
  @ApiNotFoundResponse({ description: 'Unknown product' })
  @ApiConflictResponse({ description: 'On-hand would go below what is reserved' })
  adjust(@Body() body: CreateAdjustmentBody): Promise<MovementResponse> {
    return this.ledger.adjust(body);
  }

  @Get('movements')
  @RequirePermission('inventory:read-all')
  @ApiOkResponse({ type: MovementPage, description: 'Newest first' })
  @ApiForbiddenResponse()
  movements(@Query() query: MovementQuery) {
    return this.ledger.movements(query);
  }

  @Get('reconcile')
  @RequirePermission('inventory:read-all')
  @ApiOkResponse({ type: ReconcileReport, description: 'Products whose ledger does not sum to their stock' })
  @ApiForbiddenResponse()
  reconcile(): Promise<ReconcileReport> {
    return this.ledger.reconcile();
  }
}
