import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import type { RevocationChanges } from '../../../common/auth/token-revocations.js';
import { leanQuery } from '../../../infrastructure/database/lean-query.js';
import { affectedRows } from '../../../infrastructure/database/sql.js';
import { AuthSession } from '../entities/auth-session.entity.js';
import { RefreshToken } from '../entities/refresh-token.entity.js';

/** Every query on `auth_sessions` and `refresh_tokens`. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertSession(manager: EntityManager, session: AuthSession): Promise<void> {
    await manager.insert(AuthSession, session);
  }

  async insertToken(manager: EntityManager, token: RefreshToken): Promise<void> {
    await manager.insert(RefreshToken, token);
  }

  /**
   * Marks a live token consumed; true only for the one caller that flipped it. Two concurrent
   * refreshes with the same token serialise on the row lock and the second matches no row.
   */
  async consumeToken(manager: EntityManager, tokenHash: string, now: Date): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ consumedAt: now })
      .where('token_hash = :tokenHash AND consumed_at IS NULL AND expires_at > :now', { tokenHash, now })
      .execute();
    return affectedRows(result) === 1;
  }

  findToken(tokenHash: string, manager: EntityManager = this.dataSource.manager): Promise<RefreshToken | null> {
    return manager.findOne(RefreshToken, { where: { tokenHash } });
  }

  findSession(id: string, manager: EntityManager = this.dataSource.manager): Promise<AuthSession | null> {
    return manager.findOne(AuthSession, { where: { id } });
  }

  async touchSession(
    manager: EntityManager,
    id: string,
    now: Date,
    seenFrom: { ip: string | null; userAgent: string | null },
  ): Promise<void> {
    await manager.update(AuthSession, { id }, { lastUsedAt: now, ...seenFrom });
  }

  /** Revokes one live session; true if it was live. */
  async revokeSession(manager: EntityManager, id: string, now: Date, reason: string): Promise<boolean> {
    const result = await manager.update(
      AuthSession,
      { id, revokedAt: IsNull() },
      { revokedAt: now, revokeReason: reason },
    );
    return affectedRows(result) === 1;
  }

  /** Revokes every live session of a user; the number revoked. */
  async revokeUserSessions(manager: EntityManager, userId: string, now: Date, reason: string): Promise<number> {
    const result = await manager.update(
      AuthSession,
      { userId, revokedAt: IsNull() },
      { revokedAt: now, revokeReason: reason },
    );
    return affectedRows(result);
  }

  /** Revocations recorded at or after `since` (both reads are index ranges): what access-token checks need. */
  async revocationsSince(since: Date): Promise<RevocationChanges> {
    const [users, sessions] = await Promise.all([
      leanQuery<{ id: string; tokens_valid_after: Date }>(
        this.dataSource,
        'SELECT id, tokens_valid_after FROM users WHERE tokens_valid_after >= ?',
        [since],
      ),
      leanQuery<{ id: string; revoked_at: Date }>(
        this.dataSource,
        'SELECT id, revoked_at FROM auth_sessions WHERE revoked_at >= ?',
        [since],
      ),
    ]);
    return {
      users: users.map((row) => ({ userId: row.id, validAfterMs: row.tokens_valid_after.getTime() })),
      sessions: sessions.map((row) => ({ sessionId: row.id, revokedAtMs: row.revoked_at.getTime() })),
    };
  }

  /** A user's unrevoked, unexpired, not idle sessions, newest first (at most `limit`). */
  liveSessions(userId: string, now: Date, idleCutoff: Date, limit: number): Promise<AuthSession[]> {
    return this.dataSource.manager
      .createQueryBuilder(AuthSession, 's')
      .where('s.user_id = :userId AND s.revoked_at IS NULL', { userId })
      .andWhere('s.expires_at > :now AND s.last_used_at > :idleCutoff', { now, idleCutoff })
      .orderBy('s.id', 'DESC')
      .limit(limit)
      .getMany();
  }

  /** Deletes up to `batch` tokens, then sessions, that ended before `before`; the rows deleted. */
  async purgeEnded(before: Date, batch: number): Promise<number> {
    const tokens: unknown = await this.dataSource.query('DELETE FROM refresh_tokens WHERE expires_at < ? LIMIT ?', [
      before,
      batch,
    ]);
    const sessions: unknown = await this.dataSource.query(
      'DELETE FROM auth_sessions WHERE expires_at < ? OR revoked_at < ? LIMIT ?',
      [before, before, batch],
    );
    return affectedRows(tokens) + affectedRows(sessions);
  }
}
