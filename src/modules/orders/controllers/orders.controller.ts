import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../../common/auth/authenticated.decorator.js';
import { CurrentActor } from '../../../common/auth/current-actor.decorator.js';
import { RequirePermission } from '../../../common/auth/require-permission.decorator.js';
import { uuidParam } from '../../../common/errors/validation.js';
import { Idempotent } from '../../../common/idempotency/idempotency.interceptor.js';
import type { AuthenticatedActor } from '../../../infrastructure/http/request-context.js';
import { CreateOrderBody, OrderListQuery, OrderPage, OrderResponse, RefundOrderBody } from '../dto/order.dto.js';
import { OrderCheckoutService } from '../services/order-checkout.service.js';
import { OrderQueryService } from '../services/order-query.service.js';
import { OrderRefundService } from '../services/order-refund.service.js';

@ApiTags('orders')
@Authenticated()
@Controller('api/v1/orders')
export class OrdersController {
  constructor(
    private readonly checkout: OrderCheckoutService,
    private readonly query: OrderQueryService,
    private readonly refunds: OrderRefundService,
  ) {}

  @Post()
  @Idempotent()
  @ApiResponse({ status: 201, type: OrderResponse, description: 'Charged and committed: `paid`' })
  @ApiResponse({ status: 402, description: 'Payment declined: the reservation stays pending, nothing taken' })
  @ApiResponse({ status: 404, description: "Unknown reservation, or someone else's" })
  @ApiResponse({ status: 409, description: 'Reservation not pending (expired, released, committed) or being paid' })
  create(@CurrentActor() actor: AuthenticatedActor, @Body() body: CreateOrderBody): Promise<OrderResponse> {
    return this.checkout.create(actor, body);
  }

  @Get()
  @Header('cache-control', 'private, no-store')
  @ApiOkResponse({ type: OrderPage, description: 'Own orders, newest first (admin/staff: all, filter userId)' })
  list(@CurrentActor() actor: AuthenticatedActor, @Query() query: OrderListQuery): Promise<OrderPage> {
    return this.query.list(actor, query);
  }

  @Get(':id')
  @Header('cache-control', 'private, no-store')
  @ApiOkResponse({ type: OrderResponse })
  @ApiResponse({ status: 404, description: "Unknown, or someone else's" })
  get(@CurrentActor() actor: AuthenticatedActor, @Param('id', uuidParam) id: string): Promise<OrderResponse> {
    return this.query.get(actor, id);
  }

  @Post(':id/refund')
  @HttpCode(200)
  @RequirePermission('orders:refund')
  @Idempotent()
  @ApiOkResponse({ type: OrderResponse })
  @ApiResponse({ status: 404, description: 'Unknown order' })
  @ApiResponse({ status: 409, description: 'More than what is left would be refunded' })
  refund(@Param('id', uuidParam) id: string, @Body() body: RefundOrderBody): Promise<OrderResponse> {
    return this.refunds.refund(id, body);
  }
}
