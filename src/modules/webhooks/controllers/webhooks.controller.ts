import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { RequirePermission } from '../../../common/auth/require-permission.decorator.js';
import { uuidParam } from '../../../common/errors/validation.js';
import type { Page } from '../../../common/pagination/pagination.js';
import {
  CreatedWebhookEndpointResponse,
  CreateWebhookEndpointDto,
  UpdateWebhookEndpointDto,
  WebhookDeliveryPage,
  type WebhookDeliveryResponse,
  WebhookEndpointPage,
  WebhookEndpointResponse,
  WebhookListQuery,
} from '../dto/webhook.dto.js';
import { WebhookEndpointsService } from '../services/webhook-endpoints.service.js';

@ApiTags('webhooks')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'Not authenticated' })
@ApiResponse({ status: 403, description: 'Not an admin' })
@RequirePermission('webhooks:manage')
@Controller('api/v1')
export class WebhooksController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post('webhook-endpoints')
  @Header('cache-control', 'no-store') // carries the signing secret
  @ApiOperation({ summary: 'Subscribe a URL to events; the signing secret is returned only here' })
  @ApiCreatedResponse({ type: CreatedWebhookEndpointResponse })
  @ApiBadRequestResponse({ description: 'Invalid url or events; a private address in production' })
  create(@Body() body: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointResponse> {
    return this.endpoints.create(body);
  }

  @Get('webhook-endpoints')
  @ApiOperation({ summary: 'Endpoints (never their secrets)' })
  @ApiOkResponse({ type: WebhookEndpointPage })
  list(@Query() query: WebhookListQuery): Promise<Page<WebhookEndpointResponse>> {
    return this.endpoints.list(query);
  }

  @Patch('webhook-endpoints/:id')
  @ApiOperation({ summary: 'Change the url, events or enabled flag' })
  @ApiOkResponse({ type: WebhookEndpointResponse })
  @ApiNotFoundResponse({ description: 'No such endpoint' })
  update(@Param('id', uuidParam) id: string, @Body() body: UpdateWebhookEndpointDto): Promise<WebhookEndpointResponse> {
    return this.endpoints.update(id, body);
  }

  @Delete('webhook-endpoints/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an endpoint and its pending deliveries' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'No such endpoint' })
  remove(@Param('id', uuidParam) id: string): Promise<void> {
    return this.endpoints.remove(id);
  }

  @Get('webhook-endpoints/:id/deliveries')
  @ApiOperation({ summary: "The endpoint's deliveries, newest first" })
  @ApiOkResponse({ type: WebhookDeliveryPage })
  @ApiNotFoundResponse({ description: 'No such endpoint' })
  deliveries(
    @Param('id', uuidParam) id: string,
    @Query() query: WebhookListQuery,
  ): Promise<Page<WebhookDeliveryResponse>> {
    return this.endpoints.deliveries(id, query);
  }

  @Post('webhook-deliveries/:id/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'One more attempt soon, with the same event id' })
  @ApiAcceptedResponse({ description: 'Scheduled' })
  @ApiNotFoundResponse({ description: 'No such delivery' })
  redeliver(@Param('id', uuidParam) id: string): Promise<void> {
    return this.endpoints.redeliver(id);
  }
}
