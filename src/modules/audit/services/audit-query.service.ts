import { Injectable } from '@nestjs/common';
import { badRequest } from '../../../common/errors/domain-error.js';
import { decodeCursor, type Page, pageSize, toPage } from '../../../common/pagination/pagination.js';
import { type AuditEventResponse, type AuditEventQuery, toAuditEventResponse } from '../dto/audit-event.dto.js';
import { ReadReplicas } from '../../../infrastructure/database/read-replicas.service.js';
import { AuditEventRepository } from '../repositories/audit-event.repository.js';
import { idLowerBound } from './event-time.js';

/** The admin query API over recorded events: newest first, keyset pages; served by a read replica when there is one. */
@Injectable()
export class AuditQueryService {
  constructor(
    private readonly events: AuditEventRepository,
    private readonly replicas: ReadReplicas,
  ) {}

  async list(query: AuditEventQuery): Promise<Page<AuditEventResponse>> {
    const limit = pageSize(query);
    const cursor = decodeCursor(query.cursor, 1);
    const filter = {
      actorId: query.actorId,
      action: query.action,
      entityType: query.entityType,
      entityId: query.entityId,
      minId: query.from !== undefined ? idLowerBound(instant(query.from, 'from')) : undefined,
      maxIdExclusive: query.to !== undefined ? idLowerBound(instant(query.to, 'to') + 1) : undefined,
      beforeId: cursor !== undefined ? String(cursor[0]) : undefined,
    };
    const rows = await this.replicas.read((db) => this.events.list(filter, limit + 1, db));
    return toPage(rows, limit, (row) => [row.id], toAuditEventResponse);
  }
}

function instant(value: string, field: 'from' | 'to'): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw badRequest('invalid_time', `${field} is not a valid time`, [
      { field, message: `${field} must be an ISO 8601 date-time` },
    ]);
  }
  return ms;
}
