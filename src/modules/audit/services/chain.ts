import { createHash } from 'node:crypto';
import type { AuditOutcome } from '../entities/audit-event.entity.js';

/** The `prev_hash` of the first link. */
export const GENESIS_HASH = '0'.repeat(64);

/** Bumped if the canonical form ever changes; part of every hashed record. */
const CANONICAL_VERSION = 1;

/** The stored columns of an event that the chain covers: all of them. */
export interface ChainableEvent {
  id: string;
  occurredAt: Date;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  requestId: string | null;
  ip: string | null;
  outcome: AuditOutcome;
  /** The stored JSON text, hashed as stored (not re-serialised). */
  changes: string;
}

/**
 * A fixed-order, unambiguous serialisation of an event: a JSON array (so field boundaries and
 * nulls are explicit), timestamps as ISO 8601 UTC with milliseconds.
 */
export function canonicalEvent(event: ChainableEvent): string {
  return JSON.stringify([
    CANONICAL_VERSION,
    event.id,
    event.occurredAt.toISOString(),
    event.actorId,
    event.action,
    event.entityType,
    event.entityId,
    event.requestId,
    event.ip,
    event.outcome,
    event.changes,
  ]);
}

/** SHA-256 (hex) over the link's position, the previous link's hash and the canonical event. */
export function linkHash(seq: number, prevHash: string, event: ChainableEvent): string {
  return createHash('sha256')
    .update(`${seq}\n${prevHash}\n${canonicalEvent(event)}`)
    .digest('hex');
}
