import { createHash, randomBytes } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import { AuditService } from '../../audit/index.js';
import { OutboxService } from '../../webhooks/index.js';
import { AuthErrors } from '../auth.errors.js';
import type { PasswordResetConfirmBody } from '../dto/auth.dto.js';
import { PasswordResetsRepository } from '../repositories/password-resets.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { normalizeEmail } from './auth.service.js';
import { PasswordService } from './password.service.js';
import { ProfileCache } from './profile-cache.service.js';
import { SessionsService } from './sessions.service.js';

export const PASSWORD_RESET_REQUESTED = 'auth.password_reset_requested';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Password reset by a single-use token sent through webhooks (`auth.password_reset_requested`,
 * for whoever sends mail). The token is stored only as its SHA-256 and never audited or logged.
 */
@Injectable()
export class PasswordResetService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(PasswordResetService.name);
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly users: UsersRepository,
    private readonly resets: PasswordResetsRepository,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionsService,
    private readonly outbox: OutboxService,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly profiles: ProfileCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Answers at once, the same way whether or not the email exists: the lookup and the token are done
   * after the answer, so neither the status, the body nor the time tells which emails have accounts.
   */
  request(rawEmail: string): void {
    const work = this.issue(normalizeEmail(rawEmail))
      .catch((error: Error) => this.logger.error(`password reset request failed: ${error.message}`))
      .finally(() => this.pending.delete(work));
    this.pending.add(work);
  }

  async confirm(body: PasswordResetConfirmBody): Promise<void> {
    const tokenHash = hashToken(body.token);
    if (!(await this.resets.isUsable(tokenHash, new Date()))) throw AuthErrors.invalidResetToken();
    // Hash before the transaction: it may run twice (deadlock retry) and must stay short.
    const passwordHash = await this.passwords.hash(body.newPassword);
    const userId = await this.tx.run(async (manager) => {
      const now = new Date();
      const userId = await this.resets.lockUsable(manager, tokenHash, now);
      if (userId === undefined) throw AuthErrors.invalidResetToken();
      await this.resets.useAll(manager, userId, now);
      await this.users.updatePassword(manager, userId, passwordHash, now);
      // The same revocation a password change does: every session and its access tokens.
      const sessionsRevoked = await this.sessions.revokeAll(manager, userId, 'password_reset', now);
      await this.audit.record(manager, {
        action: 'auth.password_reset',
        entityType: 'user',
        entityId: userId,
        actorId: userId,
        changes: { sessionsRevoked },
      });
      return userId;
    });
    // Like a password change: access tokens refused and the cached profile (GET /auth/me) dropped on every instance.
    await this.sessions.accessTokensChanged();
    await this.profiles.changed(userId);
  }

  /** Lets requests answered but not yet processed finish before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async issue(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user) return;
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.passwordReset.ttlSeconds * 1000);
    await this.tx.run(async (manager) => {
      await this.resets.insert(manager, {
        tokenHash: hashToken(token),
        userId: user.id,
        createdAt: now,
        expiresAt,
        usedAt: null,
      });
      await this.outbox.emit(manager, {
        type: PASSWORD_RESET_REQUESTED,
        data: { userId: user.id, email: user.email, token, expiresAt: expiresAt.toISOString() },
      });
    });
  }
}
