import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../../common/pagination/pagination.js';
import { BILLING_INTERVALS, type BillingInterval } from '../domain/billing-period.js';
import type { Plan } from '../entities/plan.entity.js';

export class PlanItemBody {
  @ApiProperty()
  @IsUUID()
  productId: string;

  @ApiProperty({ minimum: 1, maximum: 10_000 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity: number;
}

export class CreatePlanBody {
  @ApiProperty({ example: 'pro-monthly', description: 'Unique; letters, digits, - _ .' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'code must be 1-64 letters, digits, . _ -' })
  code: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ description: 'Price of one interval in minor units', minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  priceCents: number;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code (3 capital letters)' })
  currency: string;

  @ApiProperty({ enum: BILLING_INTERVALS })
  @IsIn(BILLING_INTERVALS)
  interval: BillingInterval;

  @ApiPropertyOptional({ minimum: 0, maximum: 365, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  trialDays?: number;

  @ApiPropertyOptional({ type: [String], example: ['reports', 'api'] })
  @IsOptional()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  features?: string[];

  @ApiPropertyOptional({ type: [PlanItemBody], description: 'Products shipped each paid period' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ArrayUnique((item: PlanItemBody) => item?.productId, { message: 'items must name each product once' })
  @ValidateNested({ each: true })
  @Type(() => PlanItemBody)
  items?: PlanItemBody[];
}

export class UpdatePlanBody {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: 'false: no new subscriptions; existing ones keep renewing' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  features?: string[];

  @ApiPropertyOptional({ description: 'New price; applies to each subscription from its next period', minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  priceCents?: number;
}

export class PlanListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Include deactivated plans (plans:write only)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  includeInactive?: boolean;
}

export class PlanResponse {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() priceCents: number;
  @ApiProperty() currency: string;
  @ApiProperty({ enum: BILLING_INTERVALS }) interval: BillingInterval;
  @ApiProperty() trialDays: number;
  @ApiProperty({ type: [String] }) features: string[];
  @ApiProperty({ type: [PlanItemBody] }) items: PlanItemBody[];
  @ApiProperty() active: boolean;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class PlanPage {
  @ApiProperty({ type: [PlanResponse] }) data: PlanResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function mapPlan(plan: Plan): PlanResponse {
  return {
    id: plan.id,
    code: plan.code,
    name: plan.name,
    priceCents: plan.priceCents,
    currency: plan.currency,
    interval: plan.interval,
    trialDays: plan.trialDays,
    features: plan.features,
    items: plan.items,
    active: plan.active,
    version: plan.version,
    createdAt: plan.createdAt.toISOString(),
    updatedAt: plan.updatedAt.toISOString(),
  };
}
