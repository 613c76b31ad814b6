import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { login, PASSWORD, register, type Registered } from './support/auth-flows.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';

const AUTH = '/api/v1/auth';

/** Polls until `probe` gives `status` or `withinMs` passes; the statuses seen, last one last. */
async function statusWithin(probe: () => Promise<{ status: number }>, status: number, withinMs = 2_000) {
  const deadline = Date.now() + withinMs;
  let last: number;
  do {
    last = (await probe()).status;
    if (last === status) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  } while (Date.now() < deadline);
  return last;
}

/** "Revocation is immediate": every revoking path, observed on the other instance within 2 s. */
describe('access token revocation across instances (issue 12 item 1)', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: TestUser;
  const me = (t: TestApp, user: { auth: { authorization: string } }) => t.http().get(`${AUTH}/me`).set(user.auth);

  beforeAll(async () => {
    a = await startTestApp('auth_revocation');
    b = await startTestApp('auth_revocation', { reuseDatabase: true });
    admin = await createUser(a, ['admin']);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  /** A user with two sessions, both access tokens warm on B (so B's in-process state must be dropped). */
  async function twoSessions(): Promise<[Registered, Registered]> {
    const first = await register(a);
    const res = await login(a, first.email).expect(200);
    const second = { ...first, accessToken: res.body.accessToken, refreshToken: res.body.refreshToken };
    second.auth = { authorization: `Bearer ${res.body.accessToken}` };
    await me(b, first).expect(200);
    await me(b, second).expect(200);
    return [first, second];
  }

  it('logout on A: that session’s access token is refused on B; the other session still works', async () => {
    const [first, second] = await twoSessions();
    await a.http().post(`${AUTH}/logout`).set(first.auth).send({ refreshToken: first.refreshToken }).expect(204);
    expect(await statusWithin(() => me(b, first), 401)).toBe(401);
    await me(a, first).expect(401);
    await me(b, second).expect(200);
  });

  it('DELETE /auth/sessions/:id on A: refused on B', async () => {
    const [first, second] = await twoSessions();
    const sessions = await a.http().get(`${AUTH}/sessions`).set(first.auth).expect(200);
    const other = sessions.body.data.find((session: { current: boolean }) => !session.current);
    await a.http().delete(`${AUTH}/sessions/${other.id}`).set(first.auth).expect(204);
    expect(await statusWithin(() => me(b, second), 401)).toBe(401);
    await me(b, first).expect(200);
  });

  it('password change on A: every access token of the user is refused on B; a new login works', async () => {
    const [first, second] = await twoSessions();
    const newPassword = 'another horse battery staple';
    await a
      .http()
      .post(`${AUTH}/password`)
      .set(first.auth)
      .send({ currentPassword: PASSWORD, newPassword })
      .expect(204);
    expect(await statusWithin(() => me(b, first), 401)).toBe(401);
    await me(b, second).expect(401);
    const again = await login(b, first.email, newPassword).expect(200);
    await me(a, { auth: { authorization: `Bearer ${again.body.accessToken}` } }).expect(200);
  });

  it('admin DELETE /users/:id/sessions on A: refused on B', async () => {
    const [first, second] = await twoSessions();
    await a.http().delete(`/api/v1/users/${first.id}/sessions`).set(admin.auth).expect(204);
    expect(await statusWithin(() => me(b, first), 401)).toBe(401);
    await me(b, second).expect(401);
  });

  it('refresh-token reuse on A: the family’s access token is refused on B', async () => {
    const [first, second] = await twoSessions();
    await a.http().post(`${AUTH}/refresh`).send({ refreshToken: first.refreshToken }).expect(200);
    await a.http().post(`${AUTH}/refresh`).send({ refreshToken: first.refreshToken }).expect(401);
    expect(await statusWithin(() => me(b, first), 401)).toBe(401);
    await me(b, second).expect(200);
  });

  it('demoting an admin on A: their token cannot reach an admin route on B; a refresh carries the new roles', async () => {
    const target = await register(a);
    await a
      .http()
      .put(`/api/v1/users/${target.id}/roles`)
      .set(admin.auth)
      .send({ roles: ['admin'] })
      .expect(200);
    const promoted = await login(a, target.email).expect(200);
    const auth = { authorization: `Bearer ${promoted.body.accessToken}` };
    await b.http().get('/api/v1/users').set(auth).expect(200);
    await a.http().put(`/api/v1/users/${target.id}/roles`).set(admin.auth).send({ roles: [] }).expect(200);
    expect(await statusWithin(() => b.http().get('/api/v1/users').set(auth), 401)).toBe(401);
    const refreshed = await b.http().post(`${AUTH}/refresh`).send({ refreshToken: promoted.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.user.roles).toEqual(['customer']);
    const demoted = { authorization: `Bearer ${refreshed.body.accessToken}` };
    await b.http().get('/api/v1/users').set(demoted).expect(403);
    await me(a, { auth: demoted }).expect(200);
  });

  it('a warm check costs no query, whether it admits or refuses the token', async () => {
    const user = await register(a);
    await me(b, user).expect(200);
    await b.http().get('/api/v1/plans').set(user.auth).expect(200);
    await b.http().get('/api/v1/plans').expect(200);
    const warm = await b.http().get('/api/v1/plans').set(user.auth).expect(200);
    const anonymous = await b.http().get('/api/v1/plans').expect(200);
    expect(anonymous.headers['x-query-count']).toBe('0');
    expect(warm.headers['x-query-count']).toBe(anonymous.headers['x-query-count']);
    // No check at all costs no query either: the same warm path must also refuse the token once its
    // session is revoked, still without a query.
    await a.http().post(`${AUTH}/logout`).set(user.auth).send({ refreshToken: user.refreshToken }).expect(204);
    expect(await statusWithin(() => me(b, user), 401)).toBe(401);
    const refused = await me(b, user);
    expect({ status: refused.status, queries: refused.headers['x-query-count'] }).toEqual({
      status: 401,
      queries: '0',
    });
  });
});
