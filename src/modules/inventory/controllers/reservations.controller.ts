import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { uuidParam } from '../../../common/errors/validation.js';
import { Authenticated } from '../../../common/auth/authenticated.decorator.js';
import { RequirePermission } from '../../../common/auth/require-permission.decorator.js';
import { CurrentActor } from '../../../common/auth/current-actor.decorator.js';
import { Idempotent } from '../../../common/idempotency/idempotency.interceptor.js';
import type { AuthenticatedActor } from '../../../infrastructure/http/request-context.js';
import { CreateReservationBody, ReservationResponse } from '../dto/reservation.dto.js';
import { ReservationService } from '../services/reservation.service.js';

@ApiTags('inventory')
@Authenticated()
@Controller('api/v1/inventory/reservations')
export class ReservationsController {
  constructor(private readonly reservations: ReservationService) {}

  @Post()
  @Idempotent()
  @ApiCreatedResponse({ type: ReservationResponse })
  @ApiNotFoundResponse({ description: 'Unknown product' })
  @ApiConflictResponse({
    description:
      'Out of stock (`items` lists {productId, requested, available}), or `reservation_limit` for a customer beyond the limits',
  })
  create(@CurrentActor() actor: AuthenticatedActor, @Body() body: CreateReservationBody): Promise<ReservationResponse> {
    return this.reservations.create(actor, body);
  }

  @Get(':id')
  @ApiOkResponse({ type: ReservationResponse })
  @ApiNotFoundResponse({ description: "Unknown, or another customer's" })
  get(@CurrentActor() actor: AuthenticatedActor, @Param('id', uuidParam) id: string): Promise<ReservationResponse> {
    return this.reservations.get(actor, id);
  }

  /** Staff and admin only: customers get stock by paying for it (POST /orders). */
  @Post(':id/commit')
  @RequirePermission('inventory:write')
  @HttpCode(200)
  @Idempotent()
  @ApiOkResponse({ type: ReservationResponse })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Not pending (released, expired or already committed)' })
  commit(@CurrentActor() actor: AuthenticatedActor, @Param('id', uuidParam) id: string): Promise<ReservationResponse> {
    return this.reservations.commit(actor, id);
  }

  @Post(':id/release')
  @HttpCode(200)
  @Idempotent()
  @ApiOkResponse({ type: ReservationResponse })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'Not pending (committed, expired or already released)' })
  release(@CurrentActor() actor: AuthenticatedActor, @Param('id', uuidParam) id: string): Promise<ReservationResponse> {
    return this.reservations.release(actor, id);
  }
}
