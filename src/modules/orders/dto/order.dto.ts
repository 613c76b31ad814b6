import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { PageQuery } from '../../../common/pagination/pagination.js';
import type { OrderLine } from '../entities/order-line.entity.js';
import { type Order, VISIBLE_ORDER_STATUSES } from '../entities/order.entity.js';

export class CreateOrderBody {
  @ApiProperty({ description: 'A pending reservation of the caller' })
  @IsUUID()
  reservationId: string;

  @ApiProperty({ example: 'pm_card_ok', description: 'The payment gateway token' })
  @IsString()
  @Length(1, 128)
  paymentMethod: string;
}

export class RefundOrderBody {
  @ApiPropertyOptional({ minimum: 1, description: 'Default: all that is left' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2_000_000_000)
  amountCents?: number;

  @ApiProperty({ description: 'Return the lines to stock (`return` movements), once per order' })
  @IsBoolean()
  restock: boolean;
}

export class OrderListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'admin/staff only' })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

export class OrderLineResponse {
  @ApiProperty() productId: string;
  @ApiProperty() quantity: number;
  @ApiProperty() unitPriceCents: number;
}

export class OrderResponse {
  @ApiProperty() id: string;
  @ApiProperty() userId: string;
  @ApiProperty() reservationId: string;
  @ApiProperty({ enum: VISIBLE_ORDER_STATUSES }) status: string;
  @ApiProperty() totalCents: number;
  @ApiProperty() refundedCents: number;
  @ApiProperty() currency: string;
  @ApiProperty({ type: [OrderLineResponse] }) lines: OrderLineResponse[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class OrderPage {
  @ApiProperty({ type: [OrderResponse] }) data: OrderResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function mapOrder(order: Order, lines: readonly OrderLine[]): OrderResponse {
  return {
    id: order.id,
    userId: order.userId,
    reservationId: order.reservationId,
    status: order.status,
    totalCents: order.totalCents,
    refundedCents: order.refundedCents,
    currency: order.currency,
    lines: lines.map((line) => ({
      productId: line.productId,
      quantity: line.quantity,
      unitPriceCents: line.unitPriceCents,
    })),
    createdAt: order.createdAt.toISOString(),
  };
}
