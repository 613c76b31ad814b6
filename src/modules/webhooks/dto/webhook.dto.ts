import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { PageQuery } from '../../../common/pagination/pagination.js';
import type { DeliveryStatus, WebhookDelivery } from '../entities/webhook-delivery.entity.js';
import type { WebhookEndpoint } from '../entities/webhook-endpoint.entity.js';

/** An event type (`<module>.<verb>`, e.g. `order.create`) or `*` for every event. */
const EVENT_TYPE = /^(\*|[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)$/;
const EVENT_TYPE_MESSAGE = 'each event must be an event type like "order.create", or "*"';
const URL_MESSAGE = 'url must be an absolute http or https URL';
const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;

export class CreateWebhookEndpointDto {
  @ApiProperty({ example: 'https://example.com/hooks/mainspring', description: 'http or https' })
  @IsString()
  @MaxLength(2048)
  @Matches(HTTP_URL, { message: URL_MESSAGE })
  url: string;

  @ApiProperty({ type: [String], example: ['subscription.create', 'order.create'], description: 'or ["*"]' })
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(EVENT_TYPE, { each: true, message: EVENT_TYPE_MESSAGE })
  events: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class UpdateWebhookEndpointDto {
  @ApiPropertyOptional({ description: 'http or https' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @Matches(HTTP_URL, { message: URL_MESSAGE })
  url?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(EVENT_TYPE, { each: true, message: EVENT_TYPE_MESSAGE })
  events?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookEndpointResponse {
  @ApiProperty() id: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: [String] }) events: string[];
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class CreatedWebhookEndpointResponse extends WebhookEndpointResponse {
  @ApiProperty({ description: 'The signing secret: shown only in this response' })
  secret: string;
}

export class WebhookEndpointPage {
  @ApiProperty({ type: [WebhookEndpointResponse] }) data: WebhookEndpointResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class WebhookDeliveryResponse {
  @ApiProperty() id: string;
  @ApiProperty() eventId: string;
  @ApiProperty() eventType: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status: DeliveryStatus;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: Number, nullable: true }) lastStatusCode: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextAttemptAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class WebhookDeliveryPage {
  @ApiProperty({ type: [WebhookDeliveryResponse] }) data: WebhookDeliveryResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class WebhookListQuery extends PageQuery {}

export function mapEndpoint(endpoint: WebhookEndpoint): WebhookEndpointResponse {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    description: endpoint.description,
    enabled: endpoint.enabled,
    createdAt: endpoint.createdAt.toISOString(),
  };
}

export function mapDelivery(delivery: WebhookDelivery): WebhookDeliveryResponse {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    // While in flight the column holds the lease; still the earliest the next attempt can be.
    nextAttemptAt: delivery.status === 'pending' ? (delivery.nextAttemptAt?.toISOString() ?? null) : null,
    createdAt: delivery.createdAt.toISOString(),
  };
}
