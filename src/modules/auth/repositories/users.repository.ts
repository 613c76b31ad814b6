import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Role } from '../../../common/auth/permissions.js';
import { leanQuery } from '../../../infrastructure/database/lean-query.js';
import { User } from '../entities/user.entity.js';

/** What GET /auth/me shows of a user. */
export type UserProfile = Pick<User, 'id' | 'email' | 'name' | 'roles' | 'createdAt'>;

const PROFILE_SQL = 'SELECT id, email, name, roles, created_at FROM users WHERE id = ?';

/** Every query on `users`. Methods take the transaction's manager when they are part of one. */
@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.findOne(User, { where: { id } });
  }

  /**
   * The profile of one user, outside any transaction: one fixed primary-key SELECT through leanQuery
   * (no QueryRunner, no entity hydration), the hot read behind every GET /auth/me.
   */
  async findProfile(id: string): Promise<UserProfile | undefined> {
    const [row] = await leanQuery<{ id: string; email: string; name: string | null; roles: string; created_at: Date }>(
      this.dataSource,
      PROFILE_SQL,
      [id],
    );
    if (!row) return undefined;
    const roles = (row.roles ? row.roles.split(',') : []) as Role[];
    return { id: row.id, email: row.email, name: row.name, roles, createdAt: row.created_at };
  }

  findByEmail(email: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.findOne(User, { where: { email } });
  }

  /** Row-locked read: serialises concurrent role changes of one user. */
  findByIdForUpdate(manager: EntityManager, id: string): Promise<User | null> {
    return manager.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(manager: EntityManager, user: User): Promise<void> {
    await manager.insert(User, user);
  }

  async updatePassword(manager: EntityManager, id: string, passwordHash: string, now: Date): Promise<void> {
    await manager.update(User, { id }, { passwordHash, updatedAt: now });
  }

  async updateRoles(manager: EntityManager, id: string, roles: Role[], now: Date): Promise<void> {
    await manager.update(User, { id }, { roles, updatedAt: now });
  }

  /** Every access token of the user issued before `at` is refused from now on. */
  async refuseTokensIssuedBefore(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.update(User, { id }, { tokensValidAfter: at });
  }

  /** Keyset page in id (creation) order: `limit` rows after `afterId`. */
  page(afterId: string | undefined, limit: number): Promise<User[]> {
    const query = this.dataSource.manager.createQueryBuilder(User, 'u').orderBy('u.id', 'ASC').limit(limit);
    if (afterId !== undefined) query.where('u.id > :afterId', { afterId });
    return query.getMany();
  }
}
