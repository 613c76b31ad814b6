import { randomUUID } from 'node:crypto';
import { AccessTokenService } from '../../src/common/auth/access-token.service.js';
import type { Role } from '../../src/common/auth/permissions.js';
import { newId } from '../../src/common/ids.js';
import type { TestApp } from './test-app.js';

export interface TestUser {
  id: string;
  email: string;
  roles: Role[];
  token: string;
  /** `{ authorization: 'Bearer …' }` for supertest's `.set()`. */
  auth: { authorization: string };
}

/**
 * A user row plus a signed access token, without going through /auth (for tests of other modules).
 * The password hash is a placeholder: such users cannot log in.
 */
export async function createUser(t: TestApp, roles: Role[] = ['customer']): Promise<TestUser> {
  const id = newId();
  const email = `u-${randomUUID()}@test.local`;
  const allRoles = [...new Set<Role>([...roles, 'customer'])];
  const now = new Date();
  await t.dataSource.query(
    'INSERT INTO users (id, email, name, password_hash, roles, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [id, email, 'Test User', '!', allRoles.join(','), now, now],
  );
  const token = t.app.get(AccessTokenService).sign({ id, roles: allRoles });
  return { id, email, roles: allRoles, token, auth: { authorization: `Bearer ${token}` } };
}
