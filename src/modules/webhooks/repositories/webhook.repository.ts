import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { newId } from '../../../common/ids.js';
import { leanQuery, leanStatement } from '../../../infrastructure/database/lean-query.js';
import { affectedRows } from '../../../infrastructure/database/sql.js';
import { WebhookDelivery } from '../entities/webhook-delivery.entity.js';
import { WebhookEndpoint } from '../entities/webhook-endpoint.entity.js';

/** What the outbox needs to know of an endpoint to decide whether it wants an event. */
export interface EndpointSubscription {
  id: string;
  events: string[];
}

/** A claimed delivery with everything its send needs. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  attempts: number;
  eventId: string;
  eventType: string;
  url: string;
  secretCiphertext: Buffer;
  /** Exactly one of the two is set (see WebhookEvent). */
  body: Buffer | null;
  bodyCiphertext: Buffer | null;
}

/** An outbox row: the body in the clear or encrypted (exactly one of the two), and who wants it. */
export interface NewEvent {
  id: string;
  type: string;
  occurredAt: Date;
  body: Buffer | null;
  bodyCiphertext: Buffer | null;
  endpointIds: string[];
}

/** Every query on the webhooks tables. Methods take the transaction's manager when they are part of one. */
@Injectable()
export class WebhookRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** In the writer's transaction (`manager`), or on its own (a pooled connection). */
  async enabledSubscriptions(manager?: EntityManager): Promise<EndpointSubscription[]> {
    const rows = await leanQuery<{ id: string; events: string }>(
      manager ?? this.dataSource,
      'SELECT id, events FROM webhook_endpoints WHERE enabled = 1',
      [],
    );
    return rows.map((row) => ({ id: row.id, events: JSON.parse(row.events) as string[] }));
  }

  async insertEndpoint(manager: EntityManager, endpoint: WebhookEndpoint): Promise<void> {
    await manager.insert(WebhookEndpoint, endpoint);
  }

  findEndpoint(id: string, manager: EntityManager = this.dataSource.manager): Promise<WebhookEndpoint | null> {
    return manager.findOne(WebhookEndpoint, { where: { id } });
  }

  findEndpointForUpdate(manager: EntityManager, id: string): Promise<WebhookEndpoint | null> {
    return manager.findOne(WebhookEndpoint, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async updateEndpoint(manager: EntityManager, endpoint: WebhookEndpoint): Promise<void> {
    const { id, url, events, enabled, updatedAt } = endpoint;
    await manager.update(WebhookEndpoint, { id }, { url, events, enabled, updatedAt });
  }

  /** The endpoint and its deliveries (their events stay: other endpoints may still be sending them). */
  async deleteEndpoint(manager: EntityManager, id: string): Promise<boolean> {
    const deleted = await manager.delete(WebhookEndpoint, { id });
    await manager.delete(WebhookDelivery, { endpointId: id });
    return (deleted.affected ?? 0) > 0;
  }

  /** Keyset page in id (creation) order. */
  pageEndpoints(afterId: string | undefined, limit: number): Promise<WebhookEndpoint[]> {
    const query = this.dataSource.manager.createQueryBuilder(WebhookEndpoint, 'e').orderBy('e.id', 'ASC').limit(limit);
    if (afterId !== undefined) query.where('e.id > :afterId', { afterId });
    return query.getMany();
  }

  /** Newest first: keyset on (endpoint_id, id) via idx_webhook_deliveries_endpoint. */
  pageDeliveries(endpointId: string, beforeId: string | undefined, limit: number): Promise<WebhookDelivery[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(WebhookDelivery, 'd')
      .where('d.endpointId = :endpointId', { endpointId })
      .orderBy('d.id', 'DESC')
      .limit(limit);
    if (beforeId !== undefined) query.andWhere('d.id < :beforeId', { beforeId });
    return query.getMany();
  }

  /**
   * Outbox rows, in the caller's transaction: one multi-row INSERT whatever the number of endpoints
   * (their deliveries are created by `fanOut`). A row whose id is already there is left as it is: an
   * audit event written to the outbox by its writer before the relay existed (migration WebhookRelay)
   * and sealed after the relay's starting point.
   */
  async insertEvents(manager: EntityManager, events: readonly NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    await leanStatement(
      manager,
      `INSERT INTO webhook_events (id, type, occurred_at, body, body_ciphertext, endpoint_ids, fanout_pending)
        VALUES ${events.map(() => '(?, ?, ?, ?, ?, ?, 1)').join(', ')}
        ON DUPLICATE KEY UPDATE id = id`,
      events.flatMap((event) => [
        event.id,
        event.type,
        event.occurredAt,
        event.body,
        event.bodyCiphertext,
        JSON.stringify(event.endpointIds),
      ]),
    );
  }

  /**
   * Locks the relay's cursor for the caller's transaction and returns its seq; null when another
   * transaction (another instance's relay) holds it: SKIP LOCKED, so relays never queue behind
   * each other, the holder relays what there is.
   */
  async lockRelayCursor(manager: EntityManager): Promise<number | null> {
    const rows = await leanQuery<{ seq: number | string }>(
      manager,
      'SELECT seq FROM webhook_relay_cursor WHERE id = 1 FOR UPDATE SKIP LOCKED',
      [],
    );
    return rows.length > 0 ? Number(rows[0].seq) : null;
  }

  async moveRelayCursor(manager: EntityManager, seq: number): Promise<void> {
    await leanStatement(manager, 'UPDATE webhook_relay_cursor SET seq = ? WHERE id = 1', [seq]);
  }

  /**
   * Turns up to `limit` committed, not yet fanned-out events into one pending delivery per endpoint
   * that wanted them and still exists, in one transaction: the events are taken `FOR UPDATE SKIP
   * LOCKED` (concurrent instances take disjoint ones) and marked fanned out in the same commit, so
   * each event is fanned out exactly once (the unique (event, endpoint) key backs that up). The
   * endpoints are read with a shared lock, so a concurrent delete either waits for this commit (and
   * then deletes the new deliveries with the endpoint) or has committed (and gets none).
   * Returns the number of events taken.
   */
  async fanOut(limit: number, now: Date): Promise<number> {
    return this.dataSource.transaction('READ COMMITTED', async (manager) => {
      const events = await leanQuery<{ id: string; type: string; endpoint_ids: string }>(
        manager,
        `SELECT id, type, endpoint_ids FROM webhook_events
          WHERE fanout_pending = 1 ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (events.length === 0) return 0;
      const wanted = events.map((event) => ({ ...event, endpointIds: JSON.parse(event.endpoint_ids) as string[] }));
      const ids = [...new Set(wanted.flatMap((event) => event.endpointIds))];
      const existing = new Set(
        ids.length === 0
          ? []
          : (
              await leanQuery<{ id: string }>(
                manager,
                'SELECT id FROM webhook_endpoints WHERE id IN (?) LOCK IN SHARE MODE',
                [ids],
              )
            ).map((row) => row.id),
      );
      const rows = wanted.flatMap((event) =>
        event.endpointIds
          .filter((endpointId) => existing.has(endpointId))
          .map((endpointId) => [newId(), endpointId, event.id, event.type, now, now, now]),
      );
      if (rows.length > 0) {
        await leanStatement(
          manager,
          `INSERT INTO webhook_deliveries
            (id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at, created_at, updated_at)
            VALUES ${rows.map(() => `(?, ?, ?, ?, 'pending', 0, ?, ?, ?)`).join(', ')}
            ON DUPLICATE KEY UPDATE event_id = event_id`,
          rows.flat(),
        );
      }
      await leanStatement(
        manager,
        'UPDATE webhook_events SET fanout_pending = 0, endpoint_ids = NULL WHERE id IN (?)',
        [events.map((event) => event.id)],
      );
      return events.length;
    });
  }

  /**
   * Claims up to `limit` due deliveries for this instance: `FOR UPDATE SKIP LOCKED` so concurrent
   * claimers (any instance) take disjoint rows, then a lease (`next_attempt_at = leaseUntil`) and a
   * claim token, committed at once so the row lock is not held during the send.
   */
  async claimDue(
    limit: number,
    now: Date,
    leaseUntil: Date,
    token: string,
    skipEndpoints: readonly string[] = [],
  ): Promise<ClaimedDelivery[]> {
    const ids = await this.dataSource.transaction('READ COMMITTED', async (manager) => {
      const skip = skipEndpoints.length > 0 ? 'AND endpoint_id NOT IN (?)' : '';
      const due = await leanQuery<{ id: string }>(
        manager,
        `SELECT id FROM webhook_deliveries
          WHERE status = 'pending' AND next_attempt_at <= ? ${skip}
          ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED`,
        skipEndpoints.length > 0 ? [now, skipEndpoints, limit] : [now, limit],
      );
      if (due.length === 0) return [];
      const claimed = due.map((row) => row.id);
      await leanStatement(
        manager,
        `UPDATE webhook_deliveries SET next_attempt_at = ?, claim_token = ?, updated_at = ? WHERE id IN (?)`,
        [leaseUntil, token, now, claimed],
      );
      return claimed;
    });
    if (ids.length === 0) return [];
    const rows = await leanQuery<{
      id: string;
      endpoint_id: string;
      attempts: number;
      event_id: string;
      event_type: string;
      url: string;
      secret_ciphertext: Buffer;
      body: Buffer | null;
      body_ciphertext: Buffer | null;
    }>(
      this.dataSource,
      `SELECT d.id, d.endpoint_id, d.attempts, d.event_id, d.event_type, ep.url, ep.secret_ciphertext, ev.body, ev.body_ciphertext
        FROM webhook_deliveries d
        JOIN webhook_endpoints ep ON ep.id = d.endpoint_id
        JOIN webhook_events ev ON ev.id = d.event_id
        WHERE d.id IN (?) AND d.claim_token = ?`,
      [ids, token],
    );
    return rows.map((row) => ({
      id: row.id,
      endpointId: row.endpoint_id,
      attempts: row.attempts,
      eventId: row.event_id,
      eventType: row.event_type,
      url: row.url,
      secretCiphertext: row.secret_ciphertext,
      body: row.body,
      bodyCiphertext: row.body_ciphertext,
    }));
  }

  /**
   * Records an attempt's outcome, only if this claim still holds the row (a redelivery or a lease
   * taken over after a crash makes the stale claimant's write a no-op).
   */
  async recordAttempt(
    id: string,
    token: string,
    outcome: {
      status: 'pending' | 'delivered' | 'failed';
      statusCode: number | null;
      error: string | null;
      nextAttemptAt: Date | null;
    },
    now: Date,
  ): Promise<boolean> {
    const result = await leanStatement(
      this.dataSource,
      `UPDATE webhook_deliveries
        SET status = ?, attempts = attempts + 1, last_status_code = ?, last_error = ?, next_attempt_at = ?,
            claim_token = NULL, updated_at = ?
        WHERE id = ? AND claim_token = ?`,
      [outcome.status, outcome.statusCode, outcome.error, outcome.nextAttemptAt, now, id, token],
    );
    return affectedRows(result) === 1;
  }

  /** Gives claimed rows back untried (due at once, no attempt counted): this instance has no room for them. */
  async releaseClaims(ids: string[], token: string, now: Date): Promise<void> {
    await leanStatement(
      this.dataSource,
      'UPDATE webhook_deliveries SET next_attempt_at = ?, claim_token = NULL WHERE id IN (?) AND claim_token = ?',
      [now, ids, token],
    );
  }

  /**
   * `recordAttempt` for many successful sends of one claim at once: one statement, one commit (the
   * per-delivery commit was the delivery job's largest cost: bench measurement webhook-outbox).
   */
  async recordDelivered(ids: string[], token: string, statusCode: number, now: Date): Promise<void> {
    await leanStatement(
      this.dataSource,
      `UPDATE webhook_deliveries
        SET status = 'delivered', attempts = attempts + 1, last_status_code = ?, last_error = NULL,
            next_attempt_at = NULL, claim_token = NULL, updated_at = ?
        WHERE id IN (?) AND claim_token = ?`,
      [statusCode, now, ids, token],
    );
  }

  /**
   * One more attempt as soon as a dispatcher looks. A delivery in flight keeps its claim (that send is
   * the "one more attempt"), so a delivery is still never sent by two instances at once.
   */
  async scheduleRedelivery(id: string, now: Date): Promise<boolean> {
    const result = await this.dataSource.query(
      `UPDATE webhook_deliveries
        SET status = 'pending', next_attempt_at = IF(claim_token IS NULL, ?, next_attempt_at), updated_at = ?
        WHERE id = ?`,
      [now, now, id],
    );
    return affectedRows(result) === 1;
  }

  /**
   * Deletes up to `limit` delivered or failed deliveries created before `beforeId` (UUID v7: ids are
   * creation times, so this is a range of idx_webhook_deliveries_due). Returns the rows deleted.
   */
  async purgeFinishedDeliveries(beforeId: string, limit: number): Promise<number> {
    const result = await this.dataSource.query(
      `DELETE FROM webhook_deliveries
        WHERE status IN ('delivered', 'failed') AND next_attempt_at IS NULL AND id < ? LIMIT ?`,
      [beforeId, limit],
    );
    return affectedRows(result);
  }

  /** Deletes up to `limit` fanned-out events older than `beforeId` that no delivery refers to any more. */
  async purgeOrphanEvents(beforeId: string, limit: number): Promise<number> {
    const result = await this.dataSource.query(
      `DELETE FROM webhook_events
        WHERE id < ? AND fanout_pending = 0 AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)
        LIMIT ?`,
      [beforeId, limit],
    );
    return affectedRows(result);
  }
}
