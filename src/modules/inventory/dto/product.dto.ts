import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../../common/pagination/pagination.js';

export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CURRENCY_PATTERN = /^[A-Z]{3}$/;
const MAX_INT = 2_000_000_000;

export class CreateProductBody {
  @ApiProperty({ example: 'MUG-001', description: 'Unique; letters, digits, . _ - (1–64)' })
  @IsString()
  @Matches(SKU_PATTERN, { message: 'sku must be 1–64 letters, digits, ".", "_" or "-"' })
  sku: string;

  @ApiProperty({ example: 'Coffee mug' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiProperty({ example: 1299, description: 'Price in minor units' })
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  priceCents: number;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217' })
  @IsString()
  @Matches(CURRENCY_PATTERN, { message: 'currency must be an ISO 4217 code like EUR' })
  currency: string;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  initialStock?: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateProductBody {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(SKU_PATTERN, { message: 'sku must be 1–64 letters, digits, ".", "_" or "-"' })
  sku?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  priceCents?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(CURRENCY_PATTERN, { message: 'currency must be an ISO 4217 code like EUR' })
  currency?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ProductQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Name or SKU prefix' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

export class StockResponse {
  @ApiProperty()
  onHand: number;

  @ApiProperty()
  reserved: number;

  @ApiProperty({ description: 'onHand − reserved' })
  available: number;
}

/** The contract's `product`; also the cached value (plain JSON). */
export class ProductResponse {
  @ApiProperty()
  id: string;

  @ApiProperty()
  sku: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty()
  priceCents: number;

  @ApiProperty()
  currency: string;

  @ApiProperty()
  active: boolean;

  @ApiProperty({ type: StockResponse })
  stock: StockResponse;

  @ApiProperty()
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class ProductPage {
  @ApiProperty({ type: [ProductResponse] })
  data: ProductResponse[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

/** A row of the product + stock join, as the repository's raw queries return it. */
export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string | null;
  price_cents: number;
  currency: string;
  active: number | boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
  on_hand: number;
  reserved: number;
}

export function mapProduct(row: ProductRow): ProductResponse {
  const onHand = Number(row.on_hand);
  const reserved = Number(row.reserved);
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    priceCents: Number(row.price_cents),
    currency: row.currency,
    active: Boolean(row.active),
    stock: { onHand, reserved, available: onHand - reserved },
    version: Number(row.version),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
