import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ChainableEvent } from '../services/chain.js';

/** A query and its positional parameters (also what the EXPLAIN tests run). */
export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/** The audit_events columns every read selects, aliased to camelCase (`e` is the table alias). */
export const EVENT_COLUMNS =
  'e.id AS id, e.occurred_at AS occurredAt, e.actor_id AS actorId, e.action AS action, ' +
  'e.entity_type AS entityType, e.entity_id AS entityId, e.request_id AS requestId, e.ip AS ip, ' +
  'e.outcome AS outcome, e.changes AS changes';

/** A stored event as read back: exactly the columns the chain covers. */
export type AuditEventRow = ChainableEvent;

export interface AuditEventFilter {
  actorId?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  /** Inclusive id lower bound derived from `from` (ids carry their time). */
  minId?: string;
  /** Exclusive id upper bound derived from `to`. */
  maxIdExclusive?: string;
  /** Keyset: continue after (strictly older than) this id. */
  beforeId?: string;
}

/**
 * The index a list query reads, chosen by design rather than left to the optimizer's estimates
 * (which otherwise likes index-merge intersections that lose the id order and sort): the most
 * selective equality filter's (column, id) index, whose id tail gives "newest first" and serves
 * the time bounds and the cursor as a range; the other filters are checked on the rows it reads.
 * Time bounds alone (ids carry their time) and no filter at all read the primary key backwards.
 */
export function listIndexFor(filter: AuditEventFilter): string {
  if (filter.entityId !== undefined) return 'idx_audit_events_entity_id';
  if (filter.actorId !== undefined) return 'idx_audit_events_actor';
  if (filter.action !== undefined) return 'idx_audit_events_action';
  if (filter.entityType !== undefined) return 'idx_audit_events_entity_type';
  return 'PRIMARY';
}

/** Newest first by id, `limit` rows (callers ask for one more than a page to detect the next page). */
export function listEventsQuery(filter: AuditEventFilter, limit: number): SqlQuery {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    where.push(clause);
    params.push(value);
  };
  if (filter.actorId !== undefined) add('e.actor_id = ?', filter.actorId);
  if (filter.action !== undefined) add('e.action = ?', filter.action);
  if (filter.entityType !== undefined) add('e.entity_type = ?', filter.entityType);
  if (filter.entityId !== undefined) add('e.entity_id = ?', filter.entityId);
  if (filter.minId !== undefined) add('e.id >= ?', filter.minId);
  if (filter.maxIdExclusive !== undefined) add('e.id < ?', filter.maxIdExclusive);
  if (filter.beforeId !== undefined) add('e.id < ?', filter.beforeId);
  const sql =
    `SELECT ${EVENT_COLUMNS} FROM audit_events e FORCE INDEX (${listIndexFor(filter)})` +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ' ORDER BY e.id DESC LIMIT ?';
  return { sql, params: [...params, limit] };
}

/** Reads of audit_events (writes go through AuditService.record in the caller's transaction). */
@Injectable()
export class AuditEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: AuditEventFilter, limit: number, source: DataSource = this.dataSource): Promise<AuditEventRow[]> {
    const { sql, params } = listEventsQuery(filter, limit);
    return source.query(sql, params);
  }
}
