import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { newId } from '../../../common/ids.js';
import { requestContext } from '../../../infrastructure/http/request-context.js';
import { AuditEvent, type AuditOutcome } from '../entities/audit-event.entity.js';
import { redact } from './redact.js';

export interface AuditEntry {
  /** `<module>.<verb>`, e.g. `product.create`. */
  action: string;
  entityType: string;
  entityId: string;
  changes?: Record<string, unknown>;
  outcome?: AuditOutcome;
  /** Only where the request context cannot know it (e.g. a login before any token exists). */
  actorId?: string | null;
}

/**
 * The one recording API for every module. `record` writes through the caller's transaction
 * (its EntityManager): the event commits or rolls back with the change it describes, at the cost
 * of one INSERT. Actor, request id and IP come from the request context; jobs record as "system".
 */
@Injectable()
export class AuditService {
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    const context = requestContext.current();
    await manager.insert(AuditEvent, {
      id: newId(),
      occurredAt: new Date(),
      actorId: entry.actorId !== undefined ? entry.actorId : context ? (context.actor?.id ?? null) : 'system',
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      requestId: context?.requestId ?? null,
      ip: context?.ip ?? null,
      outcome: entry.outcome ?? 'success',
      changes: JSON.stringify(redact(entry.changes ?? {})),
    });
  }
}
