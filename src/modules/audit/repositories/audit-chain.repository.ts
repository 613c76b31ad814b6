import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { leanQuery } from '../../../infrastructure/database/lean-query.js';
import type { AuditOutcome } from '../entities/audit-event.entity.js';
import { EVENT_COLUMNS, type AuditEventRow, type SqlQuery } from './audit-event.repository.js';

export interface ChainHead {
  seq: number;
  eventId: string;
  hash: string;
}

export interface NewLink {
  seq: number;
  eventId: string;
  prevHash: string;
  hash: string;
  sealedAt: Date;
}

/** A chain link joined with the event it points at (event columns null when the event is gone). */
export interface LinkWithEvent extends Omit<AuditEventRow, 'id'> {
  seq: number;
  linkEventId: string;
  prevHash: string;
  hash: string;
  /** audit_events.id, or null when the linked event no longer exists. */
  id: string | null;
}

/**
 * Committed events not yet in the chain, oldest id first, after `afterId` (keyset) and at or after
 * `floorId` (the routine pass looks back a bounded window). A primary-key range on audit_events with
 * one unique-index probe per row into audit_chain.
 */
export function unsealedEventsQuery(afterId: string | undefined, floorId: string | undefined, limit: number): SqlQuery {
  const where = ['c.event_id IS NULL'];
  const params: unknown[] = [];
  if (afterId !== undefined) {
    where.push('e.id > ?');
    params.push(afterId);
  }
  if (floorId !== undefined) {
    where.push('e.id >= ?');
    params.push(floorId);
  }
  return {
    sql:
      `SELECT ${EVENT_COLUMNS} FROM audit_events e LEFT JOIN audit_chain c ON c.event_id = e.id ` +
      `WHERE ${where.join(' AND ')} ORDER BY e.id LIMIT ?`,
    params: [...params, limit],
  };
}

/** A sealed event as the feed reads it: its link's seq and the event columns a consumer needs. */
export interface SealedEventRow {
  seq: number | string;
  id: string;
  action: string;
  actorId: string | null;
  entityType: string;
  entityId: string;
  outcome: AuditOutcome;
  changes: string;
}

/**
 * Sealed events after `afterSeq`, in seq order: a primary-key range of audit_chain, each link joined
 * with its event by primary key.
 */
export const SEALED_AFTER_SQL =
  'SELECT c.seq AS seq, e.id AS id, e.action AS action, e.actor_id AS actorId, e.entity_type AS entityType, ' +
  'e.entity_id AS entityId, e.outcome AS outcome, e.changes AS changes ' +
  'FROM audit_chain c JOIN audit_events e ON e.id = c.event_id WHERE c.seq > ? ORDER BY c.seq LIMIT ?';

/** One verify batch: links after `afterSeq` in seq order, each joined with its event by primary key. */
export function chainBatchQuery(afterSeq: number, limit: number): SqlQuery {
  return {
    sql:
      `SELECT c.seq AS seq, c.event_id AS linkEventId, c.prev_hash AS prevHash, c.hash AS hash, ${EVENT_COLUMNS} ` +
      'FROM audit_chain c LEFT JOIN audit_events e ON e.id = c.event_id WHERE c.seq > ? ORDER BY c.seq LIMIT ?',
    params: [afterSeq, limit],
  };
}

/** Every query on audit_chain. The sealer passes its own QueryRunner (it holds the sealer lock). */
@Injectable()
export class AuditChainRepository {
  constructor(private readonly dataSource: DataSource) {}

  createRunner(): QueryRunner {
    return this.dataSource.createQueryRunner();
  }

  /** MySQL named lock (per server, so the name includes the database); `waitSeconds` 0 = try once. */
  async tryLock(runner: QueryRunner, name: string, waitSeconds: number): Promise<boolean> {
    const [row] = await runner.query('SELECT GET_LOCK(?, ?) AS got', [name, waitSeconds]);
    return Number(row?.got) === 1;
  }

  async unlock(runner: QueryRunner, name: string): Promise<void> {
    await runner.query('SELECT RELEASE_LOCK(?)', [name]);
  }

  async head(runner?: QueryRunner): Promise<ChainHead | null> {
    const rows: { seq: number | string; eventId: string; hash: string }[] = await this.dataSource.query(
      'SELECT seq, event_id AS eventId, hash FROM audit_chain ORDER BY seq DESC LIMIT 1',
      [],
      runner,
    );
    return rows.length > 0 ? { seq: Number(rows[0].seq), eventId: rows[0].eventId, hash: rows[0].hash } : null;
  }

  async unsealedEvents(
    runner: QueryRunner,
    afterId: string | undefined,
    floorId: string | undefined,
    limit: number,
  ): Promise<AuditEventRow[]> {
    const { sql, params } = unsealedEventsQuery(afterId, floorId, limit);
    return runner.query(sql, params);
  }

  /** One multi-row INSERT: atomic, and a duplicate seq or event id fails it whole. */
  async insertLinks(runner: QueryRunner, links: NewLink[]): Promise<void> {
    if (links.length === 0) return;
    const placeholders = links.map(() => '(?, ?, ?, ?, ?)').join(', ');
    await runner.query(
      `INSERT INTO audit_chain (seq, event_id, prev_hash, hash, sealed_at) VALUES ${placeholders}`,
      links.flatMap((link) => [link.seq, link.eventId, link.prevHash, link.hash, link.sealedAt]),
    );
  }

  async linksAfter(afterSeq: number, limit: number): Promise<LinkWithEvent[]> {
    const { sql, params } = chainBatchQuery(afterSeq, limit);
    const rows: LinkWithEvent[] = await this.dataSource.query(sql, params);
    for (const row of rows) row.seq = Number(row.seq);
    return rows;
  }

  /** In the caller's transaction: a consumer reads and records its position in one commit. */
  sealedAfter(manager: EntityManager, afterSeq: number, limit: number): Promise<SealedEventRow[]> {
    return leanQuery<SealedEventRow>(manager, SEALED_AFTER_SQL, [afterSeq, limit]);
  }

  /** Events not (yet) in the chain: informational, reported by verify. */
  async countUnsealed(): Promise<number> {
    const [row] = await this.dataSource.query(
      'SELECT COUNT(*) AS n FROM audit_events e LEFT JOIN audit_chain c ON c.event_id = e.id WHERE c.event_id IS NULL',
    );
    return Number(row.n);
  }
}
