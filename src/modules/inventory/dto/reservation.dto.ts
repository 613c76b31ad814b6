import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { ReservationItem } from '../entities/reservation-item.entity.js';
import { type Reservation, RESERVATION_STATUSES, type ReservationStatus } from '../entities/reservation.entity.js';

export const DEFAULT_RESERVATION_TTL_SECONDS = 900;
export const MAX_RESERVATION_TTL_SECONDS = 86_400;

export class ReservationItemBody {
  @ApiProperty()
  @IsString()
  @Length(1, 36)
  productId: string;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity: number;
}

export class CreateReservationBody {
  @ApiProperty({ type: [ReservationItemBody] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ReservationItemBody)
  items: ReservationItemBody[];

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_RESERVATION_TTL_SECONDS, default: DEFAULT_RESERVATION_TTL_SECONDS })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_RESERVATION_TTL_SECONDS)
  ttlSeconds?: number;
}

export class ReservationItemResponse {
  @ApiProperty()
  productId: string;

  @ApiProperty()
  quantity: number;
}

export class ReservationResponse {
  @ApiProperty()
  id: string;

  @ApiProperty()
  userId: string;

  @ApiProperty({ enum: RESERVATION_STATUSES })
  status: ReservationStatus;

  @ApiProperty({ type: [ReservationItemResponse] })
  items: ReservationItemResponse[];

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

/**
 * A pending reservation past its expiry is shown as `expired` even before the sweeper has run
 * (its stock comes back when the sweeper moves it).
 */
export function effectiveStatus(reservation: Reservation, now: Date): ReservationStatus {
  return reservation.status === 'pending' && reservation.expiresAt.getTime() <= now.getTime()
    ? 'expired'
    : reservation.status;
}

export function mapReservation(
  reservation: Reservation,
  items: readonly ReservationItem[],
  now = new Date(),
): ReservationResponse {
  return {
    id: reservation.id,
    userId: reservation.userId,
    status: effectiveStatus(reservation, now),
    items: items.map((item) => ({ productId: item.productId, quantity: item.quantity })),
    expiresAt: reservation.expiresAt.toISOString(),
    createdAt: reservation.createdAt.toISOString(),
    updatedAt: reservation.updatedAt.toISOString(),
  };
}
