import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../../common/auth/authenticated.decorator.js';
import { CurrentActor } from '../../../common/auth/current-actor.decorator.js';
import { uuidParam } from '../../../common/errors/validation.js';
import { Idempotent } from '../../../common/idempotency/idempotency.interceptor.js';
import { PageQuery } from '../../../common/pagination/pagination.js';
import { ServeDirect } from '../../../infrastructure/http/direct-route.js';
import type { AuthenticatedActor } from '../../../infrastructure/http/request-context.js';
import {
  CancelSubscriptionBody,
  ChangePlanBody,
  ChangePlanResponse,
  EntitlementsResponse,
  InvoicePage,
  PauseSubscriptionBody,
  PaymentMethodBody,
  SubscribeBody,
  SubscriptionListQuery,
  SubscriptionPage,
  SubscriptionResponse,
} from '../dto/subscription.dto.js';
import { EntitlementService } from '../services/entitlement.service.js';
import { SubscriptionLifecycleService } from '../services/subscription-lifecycle.service.js';
import { SubscriptionService } from '../services/subscription.service.js';

@ApiTags('subscriptions')
@Authenticated()
@Controller('api/v1/subscriptions')
export class SubscriptionsController {
  constructor(
    private readonly subscriptions: SubscriptionService,
    private readonly lifecycle: SubscriptionLifecycleService,
    private readonly entitlements: EntitlementService,
  ) {}

  /** Declared before `:id` (a static route wins in Fastify anyway). */
  @Get('me/entitlements')
  @ServeDirect((req) => [req.context.actor])
  @ApiOkResponse({ type: EntitlementsResponse })
  entitlementsOfCaller(
    @CurrentActor() actor: AuthenticatedActor,
  ): EntitlementsResponse | Promise<EntitlementsResponse> {
    return this.entitlements.forUser(actor.id);
  }

  @Post()
  @Idempotent()
  @ApiResponse({
    status: 201,
    type: SubscriptionResponse,
    description: '`active` after the first charge, or `trialing`',
  })
  @ApiResponse({ status: 402, description: 'Payment declined: the subscription stays `incomplete`, nothing shipped' })
  @ApiResponse({ status: 404, description: 'No such plan' })
  @ApiResponse({ status: 409, description: 'Already subscribed to this plan, plan inactive, or out of stock' })
  subscribe(@CurrentActor() actor: AuthenticatedActor, @Body() body: SubscribeBody): Promise<SubscriptionResponse> {
    return this.subscriptions.subscribe(actor, body);
  }

  @Get()
  @ApiOkResponse({
    type: SubscriptionPage,
    description: 'Own subscriptions (admin/staff: all, filters userId, status)',
  })
  list(@CurrentActor() actor: AuthenticatedActor, @Query() query: SubscriptionListQuery): Promise<SubscriptionPage> {
    return this.subscriptions.list(actor, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiResponse({ status: 404, description: 'No such subscription (or someone else’s)' })
  get(@CurrentActor() actor: AuthenticatedActor, @Param('id', uuidParam) id: string): Promise<SubscriptionResponse> {
    return this.subscriptions.get(actor, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiResponse({ status: 403, description: 'Staff may see but not cancel someone else’s subscription' })
  @ApiResponse({ status: 404, description: 'No such subscription' })
  @ApiResponse({ status: 409, description: 'Illegal transition (already canceled)' })
  cancel(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', uuidParam) id: string,
    @Body() body: CancelSubscriptionBody,
  ): Promise<SubscriptionResponse> {
    return this.lifecycle.cancel(actor, id, body);
  }

  @Put(':id/payment-method')
  @ApiOkResponse({ type: SubscriptionResponse, description: 'Later charges (and dunning retries) use the new card' })
  @ApiResponse({ status: 404, description: 'No such subscription' })
  @ApiResponse({ status: 409, description: 'Canceled or incomplete subscription' })
  paymentMethod(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', uuidParam) id: string,
    @Body() body: PaymentMethodBody,
  ): Promise<SubscriptionResponse> {
    return this.lifecycle.paymentMethod(actor, id, body);
  }

  @Post(':id/pay')
  @HttpCode(200)
  @Idempotent()
  @ApiOkResponse({
    type: SubscriptionResponse,
    description: '`active`: the open invoice of a past_due subscription paid',
  })
  @ApiResponse({ status: 402, description: 'Payment declined: it stays past_due' })
  @ApiResponse({ status: 409, description: 'Nothing due' })
  pay(@CurrentActor() actor: AuthenticatedActor, @Param('id', uuidParam) id: string): Promise<SubscriptionResponse> {
    return this.lifecycle.pay(actor, id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOkResponse({ type: SubscriptionResponse, description: '`paused`: no entitlements, renewals, items or MRR' })
  @ApiResponse({ status: 409, description: 'Only an active subscription can be paused' })
  pause(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', uuidParam) id: string,
    @Body() body: PauseSubscriptionBody,
  ): Promise<SubscriptionResponse> {
    return this.lifecycle.pause(actor, id, body);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @Idempotent()
  @ApiOkResponse({ type: SubscriptionResponse, description: '`active`: a new period starts now and is charged' })
  @ApiResponse({ status: 402, description: 'Payment declined: it stays paused' })
  @ApiResponse({ status: 409, description: 'Not paused' })
  resume(@CurrentActor() actor: AuthenticatedActor, @Param('id', uuidParam) id: string): Promise<SubscriptionResponse> {
    return this.lifecycle.resume(actor, id);
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @ApiOkResponse({ type: SubscriptionResponse, description: '`cancelAtPeriodEnd` cleared' })
  @ApiResponse({ status: 409, description: 'Already canceled' })
  reactivate(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', uuidParam) id: string,
  ): Promise<SubscriptionResponse> {
    return this.lifecycle.reactivate(actor, id);
  }

  @Post(':id/change-plan')
  @HttpCode(200)
  @Idempotent()
  @ApiOkResponse({
    type: ChangePlanResponse,
    description: 'The subscription on its new plan, with the prorated invoice',
  })
  @ApiResponse({ status: 402, description: 'Payment of the prorated invoice declined: nothing changed' })
  @ApiResponse({ status: 404, description: 'No such subscription or plan' })
  @ApiResponse({
    status: 409,
    description: 'Illegal transition, same plan, inactive plan, currency mismatch, already subscribed',
  })
  changePlan(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', uuidParam) id: string,
    @Body() body: ChangePlanBody,
  ): Promise<ChangePlanResponse> {
    return this.subscriptions.changePlan(actor, id, body);
  }

  @Get(':id/invoices')
  @ApiOkResponse({ type: InvoicePage, description: 'Newest first' })
  @ApiResponse({ status: 404, description: 'No such subscription' })
  invoices(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', uuidParam) id: string,
    @Query() query: PageQuery,
  ): Promise<InvoicePage> {
    return this.subscriptions.invoicesOf(actor, id, query);
  }
}
