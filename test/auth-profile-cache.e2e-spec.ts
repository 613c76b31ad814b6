import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { login, PASSWORD, register } from './support/auth-flows.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser } from './support/users.js';

const ME = '/api/v1/auth/me';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GET /auth/me is served from a cached profile (0 SQL warm), dropped on every instance when the user changes. */
describe('auth: cached profile', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp('auth_profile');
    b = await startTestApp('auth_profile', { reuseDatabase: true });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const me = (t: TestApp, auth: { authorization: string }) => t.http().get(ME).set(auth).expect(200);
  /** A fresh access token: a role or password change revokes the ones issued before it (API.md, revocation). */
  async function freshAuth(t: TestApp, email: string, password = PASSWORD) {
    const res = await login(t, email, password).expect(200);
    return { authorization: `Bearer ${res.body.accessToken}` };
  }

  /** B hears A's invalidation over Redis pub/sub: wait (bounded) for it to show `expected`. */
  async function eventually(check: () => Promise<boolean>): Promise<boolean> {
    for (let i = 0; i < 40; i++) {
      if (await check()) return true;
      await sleep(50);
    }
    return false;
  }

  it('costs one SQL statement cold and none warm', async () => {
    const user = await register(a);
    const cold = await me(b, user.auth);
    expect(cold.headers['x-query-count']).toBe('1');
    const warm = await me(b, user.auth);
    expect(warm.headers['x-query-count']).toBe('0');
    expect(warm.body).toEqual(cold.body);
    expect(warm.headers.etag).toBe(cold.headers.etag);
  });

  it('shows a role change at once on the writing instance and shortly on the others', async () => {
    const admin = await createUser(a, ['admin']);
    const user = await register(a);
    await me(a, user.auth);
    await me(b, user.auth);
    expect((await me(b, user.auth)).headers['x-query-count']).toBe('0');

    await a
      .http()
      .put(`/api/v1/users/${user.id}/roles`)
      .set(admin.auth)
      .send({ roles: ['staff'] })
      .expect(200);
    await a.http().get(ME).set(user.auth).expect(401); // the old token is revoked with the role change
    const auth = await freshAuth(a, user.email);
    expect((await me(a, auth)).body.roles).toEqual(['staff', 'customer']);
    expect(await eventually(async () => (await me(b, auth)).body.roles.includes('staff'))).toBe(true);
    // …and is cached again after the change.
    expect((await me(b, auth)).headers['x-query-count']).toBe('0');
  });

  it('drops the profile on a password change', async () => {
    const user = await register(a);
    await me(a, user.auth);
    expect((await me(a, user.auth)).headers['x-query-count']).toBe('0');
    await a
      .http()
      .post('/api/v1/auth/password')
      .set(user.auth)
      .send({ currentPassword: PASSWORD, newPassword: 'another long passphrase' })
      .expect(204);
    await a.http().get(ME).set(user.auth).expect(401); // the old token is revoked with the password change
    const auth = await freshAuth(a, user.email, 'another long passphrase');
    expect((await me(a, auth)).headers['x-query-count']).toBe('1');
  });

  it('still answers 401 for a user that no longer exists (nothing cached for it)', async () => {
    const user = await createUser(a);
    await a.dataSource.query('DELETE FROM users WHERE id = ?', [user.id]);
    const res = await a.http().get(ME).set(user.auth).expect(401);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});
