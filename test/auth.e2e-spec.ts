import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AccessTokenService } from '../src/common/auth/access-token.service.js';
import { TEST_JWT_SECRET, startTestApp, type TestApp } from './support/test-app.js';
import { auditRows, login, PASSWORD, register, uniqueEmail } from './support/auth-flows.js';
import { createUser } from './support/users.js';
import { JwtService } from '@nestjs/jwt';

const AUTH = '/api/v1/auth';

describe('auth', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('auth', {
      env: { ADMIN_EMAIL: 'Root@Example.com', ADMIN_PASSWORD: 'bootstrap-password-1' },
    });
  });
  afterAll(() => t.close());

  describe('register', () => {
    it('creates a customer, normalises the email, returns tokens and never the hash', async () => {
      const email = uniqueEmail('reg');
      const res = await t.http().post(`${AUTH}/register`).send({ email, password: PASSWORD, name: 'Ada' }).expect(201);
      expect(res.body).toEqual({
        user: {
          id: expect.any(String),
          email: email.toLowerCase(),
          name: 'Ada',
          roles: ['customer'],
          createdAt: expect.any(String),
        },
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 900,
        tokenType: 'Bearer',
      });
      expect(JSON.stringify(res.body)).not.toMatch(/argon2/);
      const [row] = await t.dataSource.query('SELECT password_hash FROM users WHERE id = ?', [res.body.user.id]);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      const stored = await t.dataSource.query(
        'SELECT token_hash FROM refresh_tokens rt JOIN auth_sessions s ON s.id = rt.session_id WHERE s.user_id = ?',
        [res.body.user.id],
      );
      expect(stored).toHaveLength(1);
      expect(stored[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored[0].token_hash).not.toBe(res.body.refreshToken);
      const audit = await auditRows(t, 'auth.register', res.body.user.id);
      expect(audit).toHaveLength(1);
      expect(audit[0].changes).not.toMatch(/correct horse|argon2/);
    });

    it('409 for a taken email, in any letter case', async () => {
      const first = await register(t);
      const res = await t
        .http()
        .post(`${AUTH}/register`)
        .send({ email: first.email.toUpperCase(), password: PASSWORD })
        .expect(409);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    });

    it('400 with field errors for a short or overlong password and a bad email', async () => {
      const short = await t
        .http()
        .post(`${AUTH}/register`)
        .send({ email: uniqueEmail(), password: 'x'.repeat(11) })
        .expect(400);
      expect(short.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
      const long = await t
        .http()
        .post(`${AUTH}/register`)
        .send({ email: uniqueEmail(), password: 'x'.repeat(257) })
        .expect(400);
      expect(long.body.errors).toEqual([expect.objectContaining({ field: 'password' })]);
      await t
        .http()
        .post(`${AUTH}/register`)
        .send({ email: uniqueEmail(), password: 'x'.repeat(256) })
        .expect(201);
      const bad = await t
        .http()
        .post(`${AUTH}/register`)
        .send({ email: 'not-an-email', password: PASSWORD })
        .expect(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'email' })]);
    });
  });

  describe('login', () => {
    it('returns a token pair; the access token carries sub, roles and sid', async () => {
      const user = await register(t);
      const res = await login(t, user.email.toUpperCase()).expect(200);
      expect(res.body.user.id).toBe(user.id);
      const claims = new JwtService({ secret: TEST_JWT_SECRET }).verify(res.body.accessToken);
      expect(claims).toMatchObject({ sub: user.id, roles: ['customer'], sid: expect.any(String) });
      expect(await auditRows(t, 'auth.login', user.id)).toHaveLength(1);
    });

    it('answers an unknown email and a wrong password identically, and audits both', async () => {
      const user = await register(t);
      const wrong = await login(t, user.email, 'wrong password!!').expect(401);
      const unknown = await login(t, uniqueEmail('nobody'), 'wrong password!!').expect(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.headers['content-type']).toMatch(/problem\+json/);
      const failed = await auditRows(t, 'auth.login_failed', user.id);
      expect(failed).toHaveLength(1);
      expect(failed[0].outcome).toBe('failure');
      expect(failed[0].changes).not.toMatch(/wrong password/);
    });
  });

  describe('access tokens', () => {
    it('/auth/me returns the caller', async () => {
      const user = await register(t);
      const res = await t.http().get(`${AUTH}/me`).set(user.auth).expect(200);
      expect(res.body).toEqual({
        id: user.id,
        email: user.email,
        name: 'Ada',
        roles: ['customer'],
        createdAt: expect.any(String),
      });
    });

    it('401 for no, garbage, forged, expired and alg=none tokens', async () => {
      const user = await register(t);
      const jwt = new JwtService({ secret: 'another-secret-0123456789abcdef0123456789' });
      const forged = jwt.sign({ sub: user.id, roles: ['admin'] });
      const expired = new JwtService({ secret: TEST_JWT_SECRET }).sign({
        sub: user.id,
        roles: ['customer'],
        exp: Math.floor(Date.now() / 1000) - 10,
      });
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ sub: user.id, roles: ['admin'] })).toString('base64url');
      const none = `${header}.${payload}.`;
      await t.http().get(`${AUTH}/me`).expect(401);
      for (const token of ['garbage', forged, expired, none, `${user.accessToken}x`]) {
        const res = await t.http().get(`${AUTH}/me`).set('authorization', `Bearer ${token}`).expect(401);
        expect(res.headers['content-type']).toMatch(/problem\+json/);
      }
      await t.http().get(`${AUTH}/me`).set('authorization', user.accessToken).expect(401);
    });
  });

  describe('refresh', () => {
    it('rotates: a new pair, and the old token is consumed', async () => {
      const user = await register(t);
      const res = await t.http().post(`${AUTH}/refresh`).send({ refreshToken: user.refreshToken }).expect(200);
      expect(res.body.refreshToken).not.toBe(user.refreshToken);
      expect(res.body.user.id).toBe(user.id);
      await t.http().get(`${AUTH}/me`).set('authorization', `Bearer ${res.body.accessToken}`).expect(200);
      const again = await t.http().post(`${AUTH}/refresh`).send({ refreshToken: res.body.refreshToken }).expect(200);
      expect(again.body.refreshToken).not.toBe(res.body.refreshToken);
    });

    it('a consumed token presented again → 401, the whole family revoked, reuse audited (committed)', async () => {
      const user = await register(t);
      const second = await t.http().post(`${AUTH}/refresh`).send({ refreshToken: user.refreshToken }).expect(200);
      const reuse = await t.http().post(`${AUTH}/refresh`).send({ refreshToken: user.refreshToken }).expect(401);
      expect(reuse.headers['content-type']).toMatch(/problem\+json/);
      // The successor issued from the same login is dead too.
      await t.http().post(`${AUTH}/refresh`).send({ refreshToken: second.body.refreshToken }).expect(401);
      const events = await auditRows(t, 'auth.refresh_reuse', user.id);
      expect(events).toHaveLength(1);
      expect(events[0].outcome).toBe('failure');
      expect(events[0].changes).not.toContain(user.refreshToken);
      const [session] = await t.dataSource.query(
        'SELECT revoked_at, revoke_reason FROM auth_sessions WHERE user_id = ?',
        [user.id],
      );
      expect(session.revoke_reason).toBe('refresh_reuse');
    });

    it('reuse revokes only that family: another login of the same user keeps working', async () => {
      const user = await register(t);
      const other = await login(t, user.email).expect(200);
      await t.http().post(`${AUTH}/refresh`).send({ refreshToken: user.refreshToken }).expect(200);
      await t.http().post(`${AUTH}/refresh`).send({ refreshToken: user.refreshToken }).expect(401);
      await t.http().post(`${AUTH}/refresh`).send({ refreshToken: other.body.refreshToken }).expect(200);
    });

    it('401 for an unknown token, 400 for a missing one', async () => {
      await t
        .http()
        .post(`${AUTH}/refresh`)
        .send({ refreshToken: 'x'.repeat(43) })
        .expect(401);
      await t.http().post(`${AUTH}/refresh`).send({}).expect(400);
    });

    it('two concurrent refreshes with the same token: exactly one 200, and the family ends revoked', async () => {
      for (let round = 0; round < 3; round++) {
        const user = await register(t);
        const results = await Promise.all(
          Array.from({ length: 4 }, () => t.http().post(`${AUTH}/refresh`).send({ refreshToken: user.refreshToken })),
        );
        const statuses = results.map((res) => res.status).sort();
        expect(statuses).toEqual([200, 401, 401, 401]);
        const winner = results.find((res) => res.status === 200)!;
        await t.http().post(`${AUTH}/refresh`).send({ refreshToken: winner.body.refreshToken }).expect(401);
        const [session] = await t.dataSource.query('SELECT revoked_at FROM auth_sessions WHERE user_id = ?', [user.id]);
        expect(session.revoked_at).not.toBeNull();
      }
    });

    it('a session idle past its timeout or past its absolute lifetime no longer refreshes', async () => {
      const idle = await register(t);
      await t.dataSource.query('UPDATE auth_sessions SET last_used_at = NOW(3) - INTERVAL 8 DAY WHERE user_id = ?', [
        idle.id,
      ]);
      await t.http().post(`${AUTH}/refresh`).send({ refreshToken: idle.refreshToken }).expect(401);
      const old = await register(t);
      await t.dataSource.query('UPDATE auth_sessions SET expires_at = NOW(3) - INTERVAL 1 SECOND WHERE user_id = ?', [
        old.id,
      ]);
      await t.http().post(`${AUTH}/refresh`).send({ refreshToken: old.refreshToken }).expect(401);
      const expiredToken = await register(t);
      await t.dataSource.query(
        'UPDATE refresh_tokens rt JOIN auth_sessions s ON s.id = rt.session_id SET rt.expires_at = NOW(3) - INTERVAL 1 SECOND WHERE s.user_id = ?',
        [expiredToken.id],
      );
      await t.http().post(`${AUTH}/refresh`).send({ refreshToken: expiredToken.refreshToken }).expect(401);
    });
  });

  describe('logout and sessions', () => {
    it('logout ends that session only', async () => {
      const user = await register(t);
      const other = await login(t, user.email).expect(200);
      await t.http().post(`${AUTH}/logout`).set(user.auth).send({ refreshToken: user.refreshToken }).expect(204);
      await t.http().post(`${AUTH}/refresh`).send({ refreshToken: user.refreshToken }).expect(401);
      await t.http().post(`${AUTH}/refresh`).send({ refreshToken: other.body.refreshToken }).expect(200);
      await t.http().post(`${AUTH}/logout`).send({ refreshToken: other.body.refreshToken }).expect(401);
    });

    it("logout with someone else's refresh token does nothing to it", async () => {
      const a = await register(t);
      const b = await register(t);
      await t.http().post(`${AUTH}/logout`).set(a.auth).send({ refreshToken: b.refreshToken }).expect(204);
      await t.http().post(`${AUTH}/refresh`).send({ refreshToken: b.refreshToken }).expect(200);
    });

    it('lists live sessions with the current one flagged; deleting one stops its tokens', async () => {
      const user = await register(t, uniqueEmail(), PASSWORD);
      const second = await t
        .http()
        .post(`${AUTH}/login`)
        .set('user-agent', 'phone/1.0')
        .send({ email: user.email, password: PASSWORD })
        .expect(200);
      const list = await t.http().get(`${AUTH}/sessions`).set(user.auth).expect(200);
      expect(list.body.data).toHaveLength(2);
      expect(list.body.data[0]).toEqual({
        id: expect.any(String),
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        userAgent: 'phone/1.0',
        ip: expect.any(String),
        current: false,
      });
      const current = list.body.data.filter((s: { current: boolean }) => s.current);
      expect(current).toHaveLength(1);
      const phone = list.body.data.find((s: { current: boolean }) => !s.current);
      await t.http().delete(`${AUTH}/sessions/${phone.id}`).set(user.auth).expect(204);
      await t.http().post(`${AUTH}/refresh`).send({ refreshToken: second.body.refreshToken }).expect(401);
      const after = await t.http().get(`${AUTH}/sessions`).set(user.auth).expect(200);
      expect(after.body.data.map((s: { id: string }) => s.id)).toEqual([current[0].id]);
    });

    it("404 for someone else's session", async () => {
      const a = await register(t);
      const b = await register(t);
      const [session] = await t.dataSource.query('SELECT id FROM auth_sessions WHERE user_id = ?', [b.id]);
      await t.http().delete(`${AUTH}/sessions/${session.id}`).set(a.auth).expect(404);
      await t.http().post(`${AUTH}/refresh`).send({ refreshToken: b.refreshToken }).expect(200);
    });
  });

  describe('password change', () => {
    it('changes the password and revokes every refresh token of the user', async () => {
      const user = await register(t);
      const other = await login(t, user.email).expect(200);
      const newPassword = 'a brand new passphrase';
      await t
        .http()
        .post(`${AUTH}/password`)
        .set(user.auth)
        .send({ currentPassword: PASSWORD, newPassword })
        .expect(204);
      await t.http().post(`${AUTH}/refresh`).send({ refreshToken: user.refreshToken }).expect(401);
      await t.http().post(`${AUTH}/refresh`).send({ refreshToken: other.body.refreshToken }).expect(401);
      await login(t, user.email, PASSWORD).expect(401);
      await login(t, user.email, newPassword).expect(200);
      const audit = await auditRows(t, 'auth.password_change', user.id);
      expect(audit).toHaveLength(1);
      expect(audit[0].changes).not.toMatch(/passphrase|horse|argon2/);
    });

    it('400 for a wrong current password or a weak new one; nothing changes', async () => {
      const user = await register(t);
      const wrong = await t
        .http()
        .post(`${AUTH}/password`)
        .set(user.auth)
        .send({ currentPassword: 'not the password', newPassword: 'another long password' })
        .expect(400);
      expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'currentPassword' })]);
      await t
        .http()
        .post(`${AUTH}/password`)
        .set(user.auth)
        .send({ currentPassword: PASSWORD, newPassword: 'short' })
        .expect(400);
      await t.http().post(`${AUTH}/refresh`).send({ refreshToken: user.refreshToken }).expect(200);
      await login(t, user.email).expect(200);
    });
  });

  describe('users administration', () => {
    it('admin changes roles; customer is always kept; audited; new tokens carry the roles', async () => {
      const admin = await createUser(t, ['admin']);
      const user = await register(t);
      const res = await t
        .http()
        .put(`/api/v1/users/${user.id}/roles`)
        .set(admin.auth)
        .send({ roles: ['staff'] })
        .expect(200);
      expect(res.body).toMatchObject({ id: user.id, roles: ['staff', 'customer'] });
      const audit = await auditRows(t, 'users.roles_change', user.id);
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0].changes)).toEqual({ roles: { from: ['customer'], to: ['staff', 'customer'] } });
      const refreshed = await t.http().post(`${AUTH}/refresh`).send({ refreshToken: user.refreshToken }).expect(200);
      expect(refreshed.body.user.roles).toEqual(['staff', 'customer']);
      expect(t.app.get(AccessTokenService).verify(refreshed.body.accessToken)?.roles).toEqual(['staff', 'customer']);
      const back = await t.http().put(`/api/v1/users/${user.id}/roles`).set(admin.auth).send({ roles: [] }).expect(200);
      expect(back.body.roles).toEqual(['customer']);
      await t
        .http()
        .put(`/api/v1/users/${user.id}/roles`)
        .set(admin.auth)
        .send({ roles: ['root'] })
        .expect(400);
      await t.http().put(`/api/v1/users/${user.id}/roles`).set(admin.auth).send({ roles: 'admin' }).expect(400);
      await t
        .http()
        .put(`/api/v1/users/0190f5b2-7c1e-7a3b-9c4d-5e6f7a8b9c0d/roles`)
        .set(admin.auth)
        .send({ roles: [] })
        .expect(404);
    });

    it('only admins manage users', async () => {
      const staff = await createUser(t, ['staff']);
      const user = await register(t);
      await t.http().get('/api/v1/users').set(staff.auth).expect(403);
      await t
        .http()
        .put(`/api/v1/users/${user.id}/roles`)
        .set(user.auth)
        .send({ roles: ['admin'] })
        .expect(403);
      await t.http().delete(`/api/v1/users/${user.id}/sessions`).set(staff.auth).expect(403);
    });

    it('admin revokes all sessions of a user', async () => {
      const admin = await createUser(t, ['admin']);
      const user = await register(t);
      const other = await login(t, user.email).expect(200);
      await t.http().delete(`/api/v1/users/${user.id}/sessions`).set(admin.auth).expect(204);
      await t.http().post(`${AUTH}/refresh`).send({ refreshToken: user.refreshToken }).expect(401);
      await t.http().post(`${AUTH}/refresh`).send({ refreshToken: other.body.refreshToken }).expect(401);
      await t.http().delete(`/api/v1/users/0190f5b2-7c1e-7a3b-9c4d-5e6f7a8b9c0d/sessions`).set(admin.auth).expect(404);
    });

    it('lists users with keyset pagination, never a hash', async () => {
      const admin = await createUser(t, ['admin']);
      await Promise.all([register(t), register(t), register(t)]);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { data: { id: string }[]; nextCursor: string | null } } = await t
          .http()
          .get('/api/v1/users')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(admin.auth)
          .expect(200);
        expect(res.body.data.length).toBeLessThanOrEqual(2);
        expect(JSON.stringify(res.body)).not.toMatch(/argon2|password/i);
        seen.push(...res.body.data.map((u: { id: string }) => u.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      const [{ count }] = await t.dataSource.query('SELECT COUNT(*) AS count FROM users');
      expect(seen).toHaveLength(Number(count));
      expect([...seen].sort()).toEqual(seen);
      await t.http().get('/api/v1/users').query({ cursor: 'bogus' }).set(admin.auth).expect(400);
    });
  });

  it('documents every auth and users route in OpenAPI, bearer where authenticated', async () => {
    const doc = await t.http().get('/docs-json').expect(200);
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const op = (path: string, verb: string) => doc.body.paths[path]?.[verb];
    for (const [path, verb] of [
      ['/api/v1/auth/register', 'post'],
      ['/api/v1/auth/login', 'post'],
      ['/api/v1/auth/refresh', 'post'],
    ]) {
      expect(op(path, verb)).toBeDefined();
      expect(op(path, verb).security).toBeUndefined();
    }
    for (const [path, verb] of [
      ['/api/v1/auth/logout', 'post'],
      ['/api/v1/auth/me', 'get'],
      ['/api/v1/auth/password', 'post'],
      ['/api/v1/auth/sessions', 'get'],
      ['/api/v1/auth/sessions/{id}', 'delete'],
      ['/api/v1/users', 'get'],
      ['/api/v1/users/{id}/sessions', 'delete'],
      ['/api/v1/users/{id}/roles', 'put'],
    ]) {
      expect(op(path, verb)?.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(op(path, verb).responses)).toEqual(expect.arrayContaining(['401']));
    }
    expect(Object.keys(op('/api/v1/users', 'get').responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
    expect(doc.body.components.schemas.AuthResponse.properties).toHaveProperty('refreshToken');
  });

  describe('admin bootstrap', () => {
    it('created the configured admin with admin + customer, who can log in', async () => {
      const res = await login(t, 'root@example.com', 'bootstrap-password-1').expect(200);
      expect(res.body.user.roles).toEqual(['admin', 'customer']);
      await t.http().get('/api/v1/users').set('authorization', `Bearer ${res.body.accessToken}`).expect(200);
    });

    it('is idempotent across restarts and concurrent instances', async () => {
      const [second, third] = await Promise.all([
        startTestApp('auth', {
          reuseDatabase: true,
          env: { ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'other-password-22' },
        }),
        startTestApp('auth', {
          reuseDatabase: true,
          env: { ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'other-password-22' },
        }),
      ]);
      await Promise.all([second.close(), third.close()]);
      const rows = await t.dataSource.query("SELECT roles FROM users WHERE email = 'root@example.com'");
      expect(rows).toHaveLength(1);
      await login(t, 'root@example.com', 'bootstrap-password-1').expect(200);
    });

    it('instances racing on an empty database create exactly one admin', async () => {
      const env = { ADMIN_EMAIL: 'race@example.com', ADMIN_PASSWORD: 'race-password-123' };
      const apps = await Promise.all([1, 2, 3].map(() => startTestApp('auth', { reuseDatabase: true, env })));
      await Promise.all(apps.map((app) => app.close()));
      const rows = await t.dataSource.query("SELECT id FROM users WHERE email = 'race@example.com'");
      expect(rows).toHaveLength(1);
      const events = await auditRows(t, 'auth.register', rows[0].id);
      expect(events).toHaveLength(1);
    });
  });
});
