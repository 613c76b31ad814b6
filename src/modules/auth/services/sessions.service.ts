import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccessTokenService } from '../../../common/auth/access-token.service.js';
import { TokenRevocations } from '../../../common/auth/token-revocations.js';
import { notFound } from '../../../common/errors/domain-error.js';
import { newId } from '../../../common/ids.js';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import { type AuthenticatedActor, requestContext } from '../../../infrastructure/http/request-context.js';
import { AuditService } from '../../audit/index.js';
import { AuthErrors } from '../auth.errors.js';
import type { AuthResponse, SessionPage } from '../dto/auth.dto.js';
import { canonicalRoles, mapUser } from '../dto/user.dto.js';
import type { AuthSession } from '../entities/auth-session.entity.js';
import type { User } from '../entities/user.entity.js';
import { SessionsRepository } from '../repositories/sessions.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import {
  hashRefreshToken,
  newRefreshToken,
  rotationKeyFrom,
  sessionState,
  successorToken,
  tokenExpiry,
  withinReuseInterval,
} from './refresh-tokens.js';

const MAX_LISTED_SESSIONS = 100;

type RefreshOutcome =
  | { kind: 'rotated'; user: User; sessionId: string; refreshToken: string }
  | { kind: 'invalid' }
  | { kind: 'reuse'; userId: string };

/**
 * Sessions = refresh-token families, all state in MySQL so every instance agrees. Opening one issues
 * a random token; each refresh consumes the presented token (conditional UPDATE: exactly one of any
 * concurrent refreshes wins) and stores its successor; presenting a consumed token again revokes the
 * family and is audited as `auth.refresh_reuse`.
 */
@Injectable()
export class SessionsService {
  private readonly rotationKey: Buffer;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly users: UsersRepository,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly accessTokens: AccessTokenService,
    private readonly revocations: TokenRevocations,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.rotationKey = rotationKeyFrom(config.auth.jwtSecret);
    revocations.useFeed((since) => this.sessions.revocationsSince(since));
  }

  private get idleSeconds(): number {
    return this.config.auth.sessionIdleTimeoutSeconds;
  }

  /** Inside the caller's transaction: a new session for `user` and its first refresh token. */
  async open(manager: EntityManager, user: User, now: Date): Promise<{ sessionId: string; refreshToken: string }> {
    const context = requestContext.current();
    const session: AuthSession = {
      id: newId(),
      userId: user.id,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + this.config.auth.refreshTokenTtlSeconds * 1000),
      revokedAt: null,
      revokeReason: null,
      userAgent: context?.userAgent ?? null,
      ip: context?.ip ?? null,
    };
    await this.sessions.insertSession(manager, session);
    const refreshToken = newRefreshToken();
    await this.sessions.insertToken(manager, {
      tokenHash: hashRefreshToken(refreshToken),
      sessionId: session.id,
      createdAt: now,
      expiresAt: tokenExpiry(now, session.expiresAt, this.idleSeconds),
      consumedAt: null,
    });
    return { sessionId: session.id, refreshToken };
  }

  /** The response body of register, login and refresh. */
  issue(user: User, sessionId: string, refreshToken: string): AuthResponse {
    const accessToken = this.accessTokens.sign({ id: user.id, roles: canonicalRoles(user.roles), sessionId });
    return {
      user: mapUser(user),
      accessToken,
      refreshToken,
      expiresIn: this.accessTokens.ttlSeconds,
      tokenType: 'Bearer',
    };
  }

  async refresh(presented: string): Promise<AuthResponse> {
    const tokenHash = hashRefreshToken(presented);
    const outcome = await this.tx.run((manager) => this.rotate(manager, presented, tokenHash, new Date()));
    // A reuse commits the family's revocation and its audit event, then answers 401 like any bad token.
    if (outcome.kind === 'reuse') await this.revocations.changed();
    if (outcome.kind !== 'rotated') throw AuthErrors.invalidRefreshToken();
    return this.issue(outcome.user, outcome.sessionId, outcome.refreshToken);
  }

  private async rotate(
    manager: EntityManager,
    presented: string,
    tokenHash: string,
    now: Date,
  ): Promise<RefreshOutcome> {
    const consumed = await this.sessions.consumeToken(manager, tokenHash, now);
    const token = await this.sessions.findToken(tokenHash, manager);
    if (!token) return { kind: 'invalid' };
    const session = await this.sessions.findSession(token.sessionId, manager);
    if (!session) return { kind: 'invalid' };
    const state = sessionState(session, now, this.idleSeconds);

    if (consumed) {
      if (state !== 'active') return { kind: 'invalid' };
      const user = await this.users.findById(session.userId, manager);
      if (!user) return { kind: 'invalid' };
      const next = successorToken(this.rotationKey, presented);
      await this.sessions.insertToken(manager, {
        tokenHash: hashRefreshToken(next),
        sessionId: session.id,
        createdAt: now,
        expiresAt: tokenExpiry(now, session.expiresAt, this.idleSeconds),
        consumedAt: null,
      });
      const context = requestContext.current();
      await this.sessions.touchSession(manager, session.id, now, {
        ip: context?.ip ?? session.ip,
        userAgent: context?.userAgent ?? session.userAgent,
      });
      return { kind: 'rotated', user, sessionId: session.id, refreshToken: next };
    }

    // Not consumed by us: expired, or used before.
    if (token.consumedAt === null || state === 'revoked') return { kind: 'invalid' };
    if (
      state === 'active' &&
      withinReuseInterval(token.consumedAt, now, this.config.auth.refreshReuseIntervalSeconds)
    ) {
      const next = successorToken(this.rotationKey, presented);
      const successor = await this.sessions.findToken(hashRefreshToken(next), manager);
      const user = await this.users.findById(session.userId, manager);
      if (successor && successor.consumedAt === null && user) {
        return { kind: 'rotated', user, sessionId: session.id, refreshToken: next };
      }
    }
    await this.sessions.revokeSession(manager, session.id, now, 'refresh_reuse');
    await this.audit.record(manager, {
      action: 'auth.refresh_reuse',
      entityType: 'user',
      entityId: session.userId,
      outcome: 'failure',
      actorId: null,
      changes: { sessionId: session.id, revoked: true },
    });
    return { kind: 'reuse', userId: session.userId };
  }

  async list(actor: AuthenticatedActor): Promise<SessionPage> {
    const now = new Date();
    const idleCutoff = new Date(now.getTime() - this.idleSeconds * 1000);
    const rows = await this.sessions.liveSessions(actor.id, now, idleCutoff, MAX_LISTED_SESSIONS);
    return {
      data: rows.map((session) => ({
        id: session.id,
        createdAt: session.createdAt.toISOString(),
        lastUsedAt: session.lastUsedAt.toISOString(),
        userAgent: session.userAgent,
        ip: session.ip,
        current: session.id === actor.sessionId,
      })),
      nextCursor: null,
    };
  }

  /** DELETE /auth/sessions/:id: the caller's own session only; anyone else's is 404. */
  async revokeOwn(actor: AuthenticatedActor, sessionId: string): Promise<void> {
    const revoked = await this.tx.run(async (manager) => {
      const session = await this.sessions.findSession(sessionId, manager);
      if (!session || session.userId !== actor.id) throw notFound('Session');
      if (!(await this.sessions.revokeSession(manager, session.id, new Date(), 'session_delete'))) return false;
      await this.audit.record(manager, {
        action: 'auth.session_revoke',
        entityType: 'user',
        entityId: actor.id,
        changes: { sessionId: session.id },
      });
      return true;
    });
    if (revoked) await this.revocations.changed();
  }

  /** Logout: ends the session the refresh token belongs to, if it is the caller's. Always 204. */
  async logout(actor: AuthenticatedActor, presented: string): Promise<void> {
    const token = await this.sessions.findToken(hashRefreshToken(presented));
    if (!token) return;
    const revoked = await this.tx.run(async (manager) => {
      const session = await this.sessions.findSession(token.sessionId, manager);
      if (!session || session.userId !== actor.id) return false;
      if (!(await this.sessions.revokeSession(manager, session.id, new Date(), 'logout'))) return false;
      await this.audit.record(manager, {
        action: 'auth.logout',
        entityType: 'user',
        entityId: actor.id,
        changes: { sessionId: session.id },
      });
      return true;
    });
    if (revoked) await this.revocations.changed();
  }

  /**
   * THE way to end every session of a user (password change, password reset, admin revocation): one
   * transaction revokes every session (refresh tokens stop working), refuses every access token issued
   * so far, and runs `work` (the caller's own change and audit event; it gets the number of sessions
   * revoked and may throw to roll everything back). After commit every instance refuses those access
   * tokens within a second (TokenRevocations).
   */
  async revokeAllSessionsOfUser<T>(
    userId: string,
    reason: string,
    work: (manager: EntityManager, sessionsRevoked: number) => Promise<T>,
  ): Promise<T> {
    const result = await this.tx.run(async (manager) => {
      const revoked = await this.revokeAll(manager, userId, reason, new Date());
      return work(manager, revoked);
    });
    await this.revocations.changed();
    return result;
  }

  /**
   * The same inside a transaction the caller runs (when the user is only known inside it, e.g. password
   * reset confirm): revokes every session, refuses every access token issued so far; the number of
   * sessions revoked. Call `accessTokensChanged()` after commit (this instance then refuses at once;
   * every instance does within a second anyway).
   */
  async revokeAll(manager: EntityManager, userId: string, reason: string, now: Date): Promise<number> {
    const revoked = await this.sessions.revokeUserSessions(manager, userId, now, reason);
    await this.users.refuseTokensIssuedBefore(manager, userId, now);
    return revoked;
  }

  /**
   * Inside the caller's transaction: the user's access tokens issued so far are refused (their roles
   * changed; a refresh issues tokens with the new ones). Call `accessTokensChanged` after commit.
   */
  refuseAccessTokens(manager: EntityManager, userId: string, now: Date): Promise<void> {
    return this.users.refuseTokensIssuedBefore(manager, userId, now);
  }

  /** After a commit that called `refuseAccessTokens`: this instance reads it now, the others within a second. */
  accessTokensChanged(): Promise<void> {
    return this.revocations.changed();
  }
}
