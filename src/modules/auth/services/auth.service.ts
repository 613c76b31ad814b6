import { Injectable } from '@nestjs/common';
import { unauthorized } from '../../../common/errors/domain-error.js';
import { newId } from '../../../common/ids.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import { isDuplicateKey } from '../../../infrastructure/database/mysql-errors.js';
import type { AuthenticatedActor } from '../../../infrastructure/http/request-context.js';
import { AuditService } from '../../audit/index.js';
import { AuthErrors } from '../auth.errors.js';
import type { AuthResponse, ChangePasswordBody, LoginBody, RegisterBody } from '../dto/auth.dto.js';
import { mapUser, type UserResponse } from '../dto/user.dto.js';
import type { User } from '../entities/user.entity.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { LoginAttemptsService } from './login-attempts.service.js';
import { PasswordService } from './password.service.js';
import { ProfileCache } from './profile-cache.service.js';
import { SessionsService } from './sessions.service.js';

/**
 * The one form of an email everything agrees on (stored value, lookups, the per-email login budget):
 * Unicode compatibility form (NFKC: full-width letters, ligatures), trimmed, lower-cased. The column
 * compares it byte for byte (utf8mb4_bin), so `víctim@x.com` is not `victim@x.com`.
 */
export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

/** Accounts: register, login, the caller's profile, password change. */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly attempts: LoginAttemptsService,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly profiles: ProfileCache,
  ) {}

  async register(body: RegisterBody): Promise<AuthResponse> {
    const email = normalizeEmail(body.email);
    // A taken email costs no hash (the unique index still decides a race below).
    if (await this.users.findByEmail(email)) throw AuthErrors.emailTaken();
    // Hash before the transaction: it may run twice (deadlock retry) and must stay short.
    const passwordHash = await this.passwords.hash(body.password);
    const now = new Date();
    const user: User = {
      id: newId(),
      email,
      name: body.name?.trim() || null,
      passwordHash,
      roles: ['customer'],
      createdAt: now,
      updatedAt: now,
    };
    try {
      const { sessionId, refreshToken } = await this.tx.run(async (manager) => {
        await this.users.insert(manager, user);
        const opened = await this.sessions.open(manager, user, now);
        await this.audit.record(manager, {
          action: 'auth.register',
          entityType: 'user',
          entityId: user.id,
          actorId: user.id,
          changes: { email, name: user.name, roles: user.roles },
        });
        return opened;
      });
      return this.sessions.issue(user, sessionId, refreshToken);
    } catch (error) {
      if (isDuplicateKey(error)) throw AuthErrors.emailTaken();
      throw error;
    }
  }

  async login(body: LoginBody): Promise<AuthResponse> {
    const email = normalizeEmail(body.email);
    // Counted before the hash: concurrent guesses can't all get past a check-then-record.
    await this.attempts.reserveAttempt(email);
    const user = await this.users.findByEmail(email);
    // Unknown email: verify against a dummy hash anyway, so both failures take the same time.
    const ok = await this.passwords.verify(user?.passwordHash, body.password);
    if (!user || !ok) {
      // Its own transaction: the failure is recorded although the request fails.
      await this.tx.run((manager) =>
        this.audit.record(manager, {
          action: 'auth.login_failed',
          entityType: 'user',
          entityId: user?.id ?? 'unknown',
          outcome: 'failure',
          actorId: null,
          changes: { email, reason: user ? 'wrong_password' : 'unknown_email' },
        }),
      );
      throw AuthErrors.invalidCredentials();
    }
    await this.attempts.clear(email);
    const rehash = this.passwords.needsRehash(user.passwordHash) ? await this.passwords.hash(body.password) : null;
    const now = new Date();
    const { sessionId, refreshToken } = await this.tx.run(async (manager) => {
      if (rehash) await this.users.updatePassword(manager, user.id, rehash, now);
      const opened = await this.sessions.open(manager, user, now);
      await this.audit.record(manager, {
        action: 'auth.login',
        entityType: 'user',
        entityId: user.id,
        actorId: user.id,
        changes: { sessionId: opened.sessionId },
      });
      return opened;
    });
    return this.sessions.issue(user, sessionId, refreshToken);
  }

  /** From the profile cache when warm (answered synchronously: no SQL, no promise), else one primary-key read. */
  me(actor: AuthenticatedActor): UserResponse | Promise<UserResponse> {
    return this.profiles.cached(actor.id) ?? this.loadProfile(actor.id);
  }

  private async loadProfile(userId: string): Promise<UserResponse> {
    const profile = await this.profiles.load(userId, async () => {
      const user = await this.users.findProfile(userId);
      return user && mapUser(user);
    });
    if (!profile) throw unauthorized('The account no longer exists');
    return profile;
  }

  /**
   * Verifies the current password (under the login budget of the user's email: a stolen access token
   * gives no extra guesses), stores the new hash and revokes every session of the user, the caller's
   * included: all their refresh tokens and access tokens stop working.
   */
  async changePassword(actor: AuthenticatedActor, body: ChangePasswordBody): Promise<void> {
    const user = await this.users.findById(actor.id);
    if (!user) throw unauthorized('The account no longer exists');
    const subject = normalizeEmail(user.email);
    await this.attempts.reserveAttempt(subject);
    if (!(await this.passwords.verify(user.passwordHash, body.currentPassword))) {
      throw AuthErrors.wrongCurrentPassword();
    }
    await this.attempts.clear(subject);
    const passwordHash = await this.passwords.hash(body.newPassword);
    await this.sessions.revokeAllSessionsOfUser(user.id, 'password_change', async (manager, sessionsRevoked) => {
      await this.users.updatePassword(manager, user.id, passwordHash, new Date());
      await this.audit.record(manager, {
        action: 'auth.password_change',
        entityType: 'user',
        entityId: user.id,
        changes: { sessionsRevoked },
      });
    });
    await this.profiles.changed(user.id);
  }
}
