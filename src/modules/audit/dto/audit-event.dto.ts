import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../../common/pagination/pagination.js';
import type { AuditOutcome } from '../entities/audit-event.entity.js';
import type { AuditEventRow } from '../repositories/audit-event.repository.js';

export class AuditEventQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'User id, or "system" for scheduled jobs' })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  actorId?: string;

  @ApiPropertyOptional({ example: 'product.create' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;

  @ApiPropertyOptional({ example: 'product' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityId?: string;

  @ApiPropertyOptional({ description: 'ISO 8601; events at or after this instant', example: '2025-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601; events at or before this instant', example: '2025-12-31T23:59:59Z' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to?: string;
}

export class AuditEventResponse {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'User id, "system", or null (anonymous)' })
  actorId: string | null;
  @ApiProperty({ example: 'auth.login' }) action: string;
  @ApiProperty() entityType: string;
  @ApiProperty() entityId: string;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty({ enum: ['success', 'failure'] }) outcome: AuditOutcome;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What changed (secrets redacted)' })
  changes: unknown;
}

export class AuditEventPage {
  @ApiProperty({ type: [AuditEventResponse] }) data: AuditEventResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class ChainHeadResponse {
  @ApiProperty() seq: number;
  @ApiProperty() eventId: string;
  @ApiProperty({ description: 'SHA-256 (hex) of the last link' }) hash: string;
}

export class VerifyResponse {
  @ApiProperty() ok: boolean;
  @ApiProperty({ description: 'Links verified intact' }) checked: number;
  @ApiPropertyOptional({ description: 'The first event whose link does not verify' }) firstBrokenId?: string;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty({ type: ChainHeadResponse, nullable: true, description: 'Last verified link: export it elsewhere' })
  head: ChainHeadResponse | null;
  @ApiProperty({ description: 'Events committed but not yet sealed when verification ended' }) unsealed: number;
}

export function toAuditEventResponse(row: AuditEventRow): AuditEventResponse {
  let changes: unknown;
  try {
    changes = JSON.parse(row.changes);
  } catch {
    changes = row.changes; // only if someone wrote non-JSON behind the app's back; verify reports it
  }
  return {
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    actorId: row.actorId,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    requestId: row.requestId,
    ip: row.ip,
    outcome: row.outcome,
    changes,
  };
}
