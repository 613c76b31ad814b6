import { Injectable } from '@nestjs/common';
import { AuditFeed, type SealedAuditEvent } from '../../audit/index.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import type { EndpointSubscription, NewEvent } from '../repositories/webhook.repository.js';
import { WebhookRepository } from '../repositories/webhook.repository.js';
import { EndpointDirectory, wants } from './endpoint-directory.service.js';
import { webhookBody } from './outbox.service.js';

/**
 * The outbox rows of a batch of sealed audit events: one per successful event that some enabled
 * endpoint wants (a failed attempt, e.g. a declined subscribe, changed nothing a receiver should act
 * on), with the webhook's exact body, in the clear (the audit row beside it holds the same redacted
 * data in the clear), its id the audit event's.
 */
export function outboxRows(
  events: readonly SealedAuditEvent[],
  endpoints: readonly EndpointSubscription[],
): NewEvent[] {
  const rows: NewEvent[] = [];
  for (const event of events) {
    if (event.outcome !== 'success') continue;
    const endpointIds = endpoints.filter((endpoint) => wants(endpoint.events, event.action)).map(({ id }) => id);
    if (endpointIds.length === 0) continue;
    const { entityType, entityId, actorId, changes } = event;
    const body = webhookBody(event.id, event.action, event.occurredAt, { entityType, entityId, actorId, changes });
    rows.push({
      id: event.id,
      type: event.action,
      occurredAt: event.occurredAt,
      body: Buffer.from(body),
      bodyCiphertext: null,
      endpointIds,
    });
  }
  return rows;
}

/**
 * Turns audited changes into outbox events after they commit, so an audited write issues no webhook
 * statement: the audit event, written in the change's own transaction, is the outbox record. The
 * relay follows the sealed audit trail (AuditFeed, in seq order) from a one-row cursor: reading,
 * writing the outbox rows and moving the cursor are one transaction holding the cursor's row lock, so
 * each sealed event is relayed exactly once, in order, whichever instance runs it, and a rolled-back
 * change (never sealed) never is. Who receives an event is decided here, when it is relayed.
 */
@Injectable()
export class OutboxRelay {
  constructor(
    private readonly feed: AuditFeed,
    private readonly directory: EndpointDirectory,
    private readonly repository: WebhookRepository,
    private readonly transactions: TransactionService,
  ) {}

  /**
   * Relays up to `limit` sealed events after the cursor. Returns how many it read (0: none new), or
   * null when another instance's relay holds the cursor.
   */
  relay(limit: number): Promise<number | null> {
    return this.transactions.run(async (manager) => {
      const cursor = await this.repository.lockRelayCursor(manager);
      if (cursor === null) return null;
      const events = await this.feed.sealedAfter(manager, cursor, limit);
      if (events.length === 0) return 0;
      await this.repository.insertEvents(manager, outboxRows(events, await this.directory.enabled(manager)));
      await this.repository.moveRelayCursor(manager, events[events.length - 1].seq);
      return events.length;
    });
  }
}
