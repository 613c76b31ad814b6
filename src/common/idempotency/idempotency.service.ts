import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, type Repository } from 'typeorm';
import { affectedRows } from '../../infrastructure/database/sql.js';
import { DomainError } from '../errors/domain-error.js';
import { IdempotencyRecord } from './idempotency-record.entity.js';

/** Keys live at least this long (the contract says at least 24 h). */
export const IDEMPOTENCY_RETENTION_MS = 25 * 3600_000;

export type Claim = { kind: 'claimed' } | { kind: 'replay'; status: number; body: unknown };

export function requestHash(method: string, route: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${route}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');
}

/**
 * Durable Idempotency-Key bookkeeping in MySQL. The primary key (scope, key) makes the claim atomic:
 * of many concurrent first requests exactly one inserts; the others see its row.
 */
@Injectable()
export class IdempotencyService {
  constructor(@InjectRepository(IdempotencyRecord) private readonly records: Repository<IdempotencyRecord>) {}

  async claim(scope: string, key: string, hash: string): Promise<Claim> {
    const now = new Date();
    for (let attempt = 0; attempt < 2; attempt++) {
      const inserted = await this.records
        .createQueryBuilder()
        .insert()
        .orIgnore()
        .values({
          scope,
          key,
          requestHash: hash,
          state: 'in_progress',
          createdAt: now,
          expiresAt: new Date(now.getTime() + IDEMPOTENCY_RETENTION_MS),
        })
        .updateEntity(false)
        .execute();
      if (affectedRows(inserted.raw) === 1) return { kind: 'claimed' };

      const existing = await this.records.findOneBy({ scope, key });
      if (!existing) continue; // released between our insert and read: claim again
      if (existing.expiresAt <= now) {
        await this.records.delete({ scope, key, expiresAt: LessThan(now) });
        continue;
      }
      if (existing.requestHash !== hash) {
        throw new DomainError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request');
      }
      if (existing.state === 'in_progress') {
        throw new DomainError(409, 'idempotency_in_progress', 'A request with this Idempotency-Key is still running', {
          headers: { 'retry-after': '1' },
        });
      }
      return {
        kind: 'replay',
        status: existing.responseStatus ?? 200,
        body: JSON.parse(existing.responseBody ?? 'null'),
      };
    }
    throw new DomainError(409, 'idempotency_in_progress', 'A request with this Idempotency-Key is still running');
  }

  async complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    await this.records.update(
      { scope, key },
      { state: 'completed', responseStatus: status, responseBody: JSON.stringify(body ?? null) },
    );
  }

  /** The first attempt failed in a way worth retrying (5xx): forget it so a retry runs afresh. */
  async release(scope: string, key: string): Promise<void> {
    await this.records.delete({ scope, key, state: 'in_progress' });
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
