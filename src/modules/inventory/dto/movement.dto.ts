import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Max, Min, NotEquals } from 'class-validator';
import { PageQuery } from '../../../common/pagination/pagination.js';
import { MOVEMENT_KINDS, type MovementKind, type StockMovement } from '../entities/stock-movement.entity.js';

export class CreateAdjustmentBody {
  @ApiProperty()
  @IsString()
  @Length(1, 36)
  productId: string;

  @ApiProperty({ description: 'Change to on-hand stock (non-zero; negative for shrinkage)', example: 10 })
  @IsInt()
  @NotEquals(0)
  @Min(-1_000_000_000)
  @Max(1_000_000_000)
  delta: number;

  @ApiProperty({ example: 'cycle count' })
  @IsString()
  @Length(1, 500)
  reason: string;
}

export class MovementQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 36)
  productId?: string;
}

export class MovementResponse {
  @ApiProperty()
  id: string;

  @ApiProperty()
  productId: string;

  @ApiProperty({ enum: MOVEMENT_KINDS })
  kind: MovementKind;

  @ApiProperty()
  deltaOnHand: number;

  @ApiProperty()
  deltaReserved: number;

  @ApiProperty({ type: String, nullable: true })
  referenceType: string | null;

  @ApiProperty({ type: String, nullable: true })
  referenceId: string | null;

  @ApiProperty({ type: String, nullable: true })
  reason: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class MovementPage {
  @ApiProperty({ type: [MovementResponse] })
  data: MovementResponse[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class ReconcileMismatch {
  @ApiProperty()
  productId: string;

  @ApiProperty()
  onHand: number;

  @ApiProperty()
  reserved: number;

  @ApiProperty()
  ledgerOnHand: number;

  @ApiProperty()
  ledgerReserved: number;
}

export class ReconcileReport {
  @ApiProperty({ description: 'True when every product reconciles and 0 <= reserved <= onHand' })
  ok: boolean;

  @ApiProperty()
  checked: number;

  @ApiProperty({ type: [ReconcileMismatch] })
  mismatches: ReconcileMismatch[];
}

export function mapMovement(movement: StockMovement): MovementResponse {
  return {
    id: movement.id,
    productId: movement.productId,
    kind: movement.kind,
    deltaOnHand: movement.deltaOnHand,
    deltaReserved: movement.deltaReserved,
    referenceType: movement.referenceType,
    referenceId: movement.referenceId,
    reason: movement.reason,
    createdAt: movement.createdAt.toISOString(),
  };
}
