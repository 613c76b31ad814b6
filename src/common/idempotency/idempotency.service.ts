import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, In, LessThan, type Repository } from 'typeorm';
import { affectedRows } from '../../infrastructure/database/sql.js';
import type { TransactionHook } from '../../infrastructure/http/request-context.js';
import { DomainError } from '../errors/domain-error.js';
import { newId } from '../ids.js';
import { IdempotencyRecord } from './idempotency-record.entity.js';

/** Keys live at least this long (the contract says at least 24 h). */
export const IDEMPOTENCY_RETENTION_MS = 25 * 3600_000;
/**
 * How long a claimed key waits for its request before another may take it over (the first request
 * died, or its answer was a 5xx that could not be released). Longer than any handler runs; a request
 * that outlives it cannot commit anyway (the fence below fails).
 */
export const IDEMPOTENCY_LEASE_MS = 60_000;

export type Claim = { kind: 'claimed'; claimId: string } | { kind: 'replay'; status: number; body: unknown };

export function requestHash(method: string, route: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${route}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');
}

const stillRunning = () =>
  new DomainError(409, 'idempotency_in_progress', 'A request with this Idempotency-Key is still running', {
    headers: { 'retry-after': '1' },
  });

/**
 * Durable Idempotency-Key bookkeeping in MySQL. The primary key (scope, key) makes the claim atomic:
 * of many concurrent first requests exactly one inserts; the others see its row. A claim is a lease
 * (`claim_id`, until `expires_at`); the business transaction marks the key `committed` in its own
 * commit (`fence`), so once the change committed the key can never be released or taken over, even
 * if storing the response then fails: a retry gets 409 until the response is stored, then the replay.
 */
@Injectable()
export class IdempotencyService {
  constructor(@InjectRepository(IdempotencyRecord) private readonly records: Repository<IdempotencyRecord>) {}

  async claim(scope: string, key: string, hash: string): Promise<Claim> {
    const now = new Date();
    for (let attempt = 0; attempt < 2; attempt++) {
      const claimId = newId();
      const inserted = await this.records
        .createQueryBuilder()
        .insert()
        .orIgnore()
        .values({
          scope,
          key,
          requestHash: hash,
          state: 'in_progress',
          claimId,
          createdAt: now,
          expiresAt: new Date(now.getTime() + IDEMPOTENCY_LEASE_MS),
        })
        .updateEntity(false)
        .execute();
      if (affectedRows(inserted.raw) === 1) return { kind: 'claimed', claimId };

      const existing = await this.records.findOneBy({ scope, key });
      if (!existing) continue; // released between our insert and read: claim again
      if (existing.expiresAt <= now) {
        // A retained answer past its 25 h, or an in_progress lease nobody renewed: free to claim again.
        await this.records.delete({ scope, key, expiresAt: LessThan(now) });
        continue;
      }
      if (existing.requestHash !== hash) {
        throw new DomainError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request');
      }
      if (existing.state !== 'completed') throw stillRunning();
      return {
        kind: 'replay',
        status: existing.responseStatus ?? 200,
        body: JSON.parse(existing.responseBody ?? 'null'),
      };
    }
    throw stillRunning();
  }

  /**
   * Joins the request's transactions: the first commit also marks the key `committed` (kept 25 h), and
   * only while this claim still holds it — a request whose lease was taken over rolls back (409).
   */
  fence(scope: string, key: string, claimId: string): TransactionHook & { readonly committed: boolean } {
    let committed = false;
    return {
      get committed() {
        return committed;
      },
      beforeCommit: async (manager: EntityManager) => {
        if (committed) return;
        const result = await manager.update(
          IdempotencyRecord,
          { scope, key, claimId, state: In(['in_progress', 'committed']) },
          { state: 'committed', expiresAt: new Date(Date.now() + IDEMPOTENCY_RETENTION_MS) },
        );
        if (result.affected !== 1) throw stillRunning();
      },
      afterCommit: () => {
        committed = true;
      },
    };
  }

  /** Stores the answer of this claim; kept 25 h. */
  async complete(scope: string, key: string, claimId: string, status: number, body: unknown): Promise<void> {
    await this.records.update(
      { scope, key, claimId },
      {
        state: 'completed',
        responseStatus: status,
        responseBody: JSON.stringify(body ?? null),
        expiresAt: new Date(Date.now() + IDEMPOTENCY_RETENTION_MS),
      },
    );
  }

  /** Nothing committed and the attempt failed in a way worth retrying (5xx): forget it so a retry runs afresh. */
  async release(scope: string, key: string, claimId: string): Promise<void> {
    await this.records.delete({ scope, key, claimId, state: 'in_progress' });
  }

  /** In batches, so a large backlog never holds long locks. */
  async purgeExpired(now = new Date(), batchSize = 1_000): Promise<number> {
    let removed = 0;
    for (;;) {
      const raw: unknown = await this.records.query('DELETE FROM idempotency_keys WHERE expires_at < ? LIMIT ?', [
        now,
        batchSize,
      ]);
      const count = affectedRows(raw);
      removed += count;
      if (count < batchSize) return removed;
    }
  }
}
