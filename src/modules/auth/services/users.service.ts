import { Injectable } from '@nestjs/common';
import type { Role } from '../../../common/auth/permissions.js';
import { notFound } from '../../../common/errors/domain-error.js';
import { decodeCursor, pageSize, toPage } from '../../../common/pagination/pagination.js';
import { TransactionService } from '../../../infrastructure/database/transaction.service.js';
import { AuditService } from '../../audit/index.js';
import { canonicalRoles, mapUser, type UserListQuery, type UserPage, type UserResponse } from '../dto/user.dto.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { ProfileCache } from './profile-cache.service.js';
import { SessionsService } from './sessions.service.js';

/** Administration of users: list, roles, sessions. Callers hold `users:manage` (the controller says so). */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsService,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly profiles: ProfileCache,
  ) {}

  async list(query: UserListQuery): Promise<UserPage> {
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, 1);
    const rows = await this.users.page(after?.[0] as string | undefined, limit + 1);
    return toPage(rows, limit, (user) => [user.id], mapUser);
  }

  /** Replaces a user's roles; `customer` is always kept. One audit event when something changed. */
  async setRoles(userId: string, requested: Role[]): Promise<UserResponse> {
    const roles = canonicalRoles([...requested, 'customer']);
    const { changed, user } = await this.tx.run(async (manager) => {
      const user = await this.users.findByIdForUpdate(manager, userId);
      if (!user) throw notFound('User');
      const before = canonicalRoles(user.roles);
      if (before.join() === roles.join()) return { changed: false, user: mapUser(user) };
      const now = new Date();
      await this.users.updateRoles(manager, user.id, roles, now);
      // Tokens carry roles: the old ones must stop working (a refresh issues tokens with the new roles).
      await this.sessions.refuseAccessTokens(manager, user.id, now);
      await this.audit.record(manager, {
        action: 'users.roles_change',
        entityType: 'user',
        entityId: user.id,
        changes: { roles: { from: before, to: roles } },
      });
      return { changed: true, user: mapUser({ ...user, roles }) };
    });
    await this.profiles.changed(userId);
    if (changed) await this.sessions.accessTokensChanged();
    return user;
  }

  /** Ends every session of a user (their refresh tokens stop working). */
  async revokeSessions(userId: string): Promise<void> {
    await this.sessions.revokeAllSessionsOfUser(userId, 'admin', async (manager, revoked) => {
      const user = await this.users.findById(userId, manager);
      if (!user) throw notFound('User');
      await this.audit.record(manager, {
        action: 'users.sessions_revoke',
        entityType: 'user',
        entityId: user.id,
        changes: { sessionsRevoked: revoked },
      });
    });
  }
}
