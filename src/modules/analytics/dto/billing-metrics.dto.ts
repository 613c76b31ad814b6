import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { METRIC_INTERVALS, type MetricInterval } from '../domain/metric-buckets.js';

/** `?from&to` of every metric. */
export class MetricPeriodQuery {
  @ApiProperty({
    description: 'ISO 8601; the range starts with the bucket holding this instant',
    example: '2026-01-01',
  })
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or date-time' })
  from: string;

  @ApiProperty({
    description: 'ISO 8601; the range ends with the bucket holding this instant (inclusive)',
    example: '2026-12-31',
  })
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or date-time' })
  to: string;
}

/** `?from&to&currency` of the money metrics. */
export class MetricRangeQuery extends MetricPeriodQuery {
  @ApiPropertyOptional({ description: 'ISO 4217 code; default BILLING_DEFAULT_CURRENCY', example: 'USD' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a 3-letter ISO 4217 code' })
  currency?: string;
}

/** `?from&to&interval&currency` of the bucketed metrics. */
export class MetricSeriesQuery extends MetricRangeQuery {
  @ApiPropertyOptional({ enum: METRIC_INTERVALS, default: 'day' })
  @IsOptional()
  @IsIn(METRIC_INTERVALS, { message: 'interval must be day or month' })
  interval?: MetricInterval;
}

export class MrrBucketResponse {
  @ApiProperty({ format: 'date-time', description: 'UTC start of the bucket' }) periodStart: string;
  @ApiProperty() startingMrrCents: number;
  @ApiProperty() newCents: number;
  @ApiProperty() expansionCents: number;
  @ApiProperty() contractionCents: number;
  @ApiProperty() churnCents: number;
  @ApiProperty() reactivationCents: number;
  @ApiProperty({ description: 'starting + new + expansion + reactivation − contraction − churn' })
  endingMrrCents: number;
}

export class MrrSeriesResponse {
  @ApiProperty() currency: string;
  @ApiProperty({ enum: METRIC_INTERVALS }) interval: MetricInterval;
  @ApiProperty({ type: [MrrBucketResponse] }) data: MrrBucketResponse[];
}

export class RevenueBucketResponse {
  @ApiProperty({ format: 'date-time', description: 'UTC start of the bucket' }) periodStart: string;
  @ApiProperty({ description: 'Succeeded charges (subscription invoices and orders), minor units' })
  collectedCents: number;
  @ApiProperty({ description: 'Succeeded refunds, minor units' }) refundedCents: number;
  @ApiProperty({ description: 'Succeeded charges of a positive amount' }) paidInvoices: number;
  @ApiProperty({ description: 'Declined charges' }) failedPayments: number;
}

export class RevenueSeriesResponse {
  @ApiProperty() currency: string;
  @ApiProperty({ enum: METRIC_INTERVALS }) interval: MetricInterval;
  @ApiProperty({ type: [RevenueBucketResponse] }) data: RevenueBucketResponse[];
}

export class DunningResponse {
  @ApiProperty({ format: 'date-time', description: 'Start of the counted period (00:00Z of the day of from)' })
  from: string;
  @ApiProperty({
    format: 'date-time',
    description: 'End of the counted period, exclusive (00:00Z after the day of to)',
  })
  to: string;
  @ApiProperty({ description: 'Subscriptions that went past_due (a failed renewal)' }) enteredPastDue: number;
  @ApiProperty({ description: 'past_due subscriptions that paid and became active again' }) recovered: number;
  @ApiProperty({ description: 'past_due subscriptions that were canceled (retries exhausted, or canceled)' })
  churned: number;
  @ApiProperty({ description: 'recovered / enteredPastDue (0 when none entered, at most 1), 4 decimals' })
  recoveryRate: number;
}
