import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

/** The auth module's events, seen through the audit API and the raw rows. */
describe('audit of auth events', () => {
  let t: TestApp;
  let admin: TestUser;
  const password = 'correct horse battery staple';
  const newPassword = 'another long passphrase 42';
  const email = `audited-${Date.now()}@example.com`;
  let userId: string;
  const refreshTokens: string[] = [];

  const events = async (query: Record<string, string>) =>
    (
      await t
        .http()
        .get('/api/v1/audit-events')
        .query({ limit: 100, ...query })
        .set(admin.auth)
        .expect(200)
    ).body.data;

  beforeAll(async () => {
    t = await startTestApp('audit-auth');
    admin = await createUser(t, ['admin']);
    const registered = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email, password, name: 'Audited' })
      .expect(201);
    userId = registered.body.user.id;
    const firstLogin = await t.http().post('/api/v1/auth/login').send({ email, password }).expect(200);
    await t.http().post('/api/v1/auth/login').send({ email, password: 'wrong password here' }).expect(401);
    const login = await t.http().post('/api/v1/auth/login').send({ email, password }).expect(200);
    // A refresh token used twice: the second use is reuse (401, family revoked with its access tokens, recorded).
    const { refreshToken } = login.body;
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken }).expect(200);
    await t.http().post('/api/v1/auth/refresh').send({ refreshToken }).expect(401);
    refreshTokens.push(refreshToken);
    await t
      .http()
      .post('/api/v1/auth/password')
      .set({ authorization: `Bearer ${firstLogin.body.accessToken}` })
      .send({ currentPassword: password, newPassword })
      .expect(204);
    await t
      .http()
      .put(`/api/v1/users/${userId}/roles`)
      .set(admin.auth)
      .send({ roles: ['staff'] })
      .expect(200);
  });
  afterAll(() => t.close());

  it('records each auth action once, with the right actor and outcome', async () => {
    const byAction = (list: { action: string; actorId: string | null }[], action: string) =>
      list.filter((e) => e.action === action);
    const all = await events({ entityId: userId });
    expect(byAction(all, 'auth.register')).toEqual([
      expect.objectContaining({ actorId: userId, entityType: 'user', outcome: 'success' }),
    ]);
    expect(byAction(all, 'auth.login')).toHaveLength(2);
    expect(byAction(all, 'auth.login').every((e) => e.actorId === userId)).toBe(true);
    expect(byAction(all, 'auth.login_failed')).toEqual([
      expect.objectContaining({ outcome: 'failure', entityId: userId }),
    ]);
    expect(byAction(all, 'auth.refresh_reuse')).toEqual([expect.objectContaining({ outcome: 'failure' })]);
    expect(byAction(all, 'auth.password_change')).toEqual([expect.objectContaining({ actorId: userId })]);
    expect(byAction(all, 'users.roles_change')).toEqual([
      expect.objectContaining({
        actorId: admin.id,
        changes: { roles: { from: ['customer'], to: expect.arrayContaining(['customer', 'staff']) } },
      }),
    ]);
    expect((await events({ actorId: admin.id, action: 'users.roles_change' })).length).toBe(1);
  });

  it('stores no password, hash or token in any raw row', async () => {
    const rows = await t.dataSource.query('SELECT * FROM audit_events');
    const stored = JSON.stringify(rows);
    for (const secret of [password, newPassword, 'wrong password here', '$argon2', ...refreshTokens])
      expect(stored).not.toContain(secret);
    expect(stored).not.toMatch(/"(access|refresh)Token":"(?!\[redacted\])/);
  });

  it('the chain over them verifies', async () => {
    const res = await t.http().get('/api/v1/audit-events/verify').set(admin.auth).expect(200);
    expect(res.body).toMatchObject({ ok: true });
    expect(res.body.checked).toBeGreaterThanOrEqual(6);
  });
});
