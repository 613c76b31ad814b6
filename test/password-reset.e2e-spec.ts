import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { auditRows, login, PASSWORD, register, uniqueEmail } from './support/auth-flows.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createUser, type TestUser } from './support/users.js';
import { startReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const NEW_PASSWORD = 'a brand new passphrase';

describe('password reset', () => {
  let t: TestApp;
  let admin: TestUser;
  let mailer: WebhookReceiver;

  beforeAll(async () => {
    t = await startTestApp('password_reset', { env: { JOBS_ENABLED: 'true', WEBHOOK_POLL_INTERVAL_MS: '100' } });
    admin = await createUser(t, ['admin']);
    mailer = await startReceiver();
    await t
      .http()
      .post('/api/v1/webhook-endpoints')
      .set(admin.auth)
      .send({ url: mailer.url, events: ['auth.password_reset_requested'] })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
    await mailer.close();
  });

  const requestReset = (email: string) => t.http().post('/api/v1/auth/password-reset').send({ email });
  const confirm = (token: string, newPassword = NEW_PASSWORD) =>
    t.http().post('/api/v1/auth/password-reset/confirm').send({ token, newPassword });

  /** The token the "mailer" received for `userId` (the newest one). */
  async function tokenFor(userId: string, count = 1): Promise<string> {
    await mailer.waitFor((r) => r.filter((hook) => hook.body.data.userId === userId).length >= count);
    const hooks = mailer.received.filter((hook) => hook.body.data.userId === userId);
    return hooks[hooks.length - 1].body.data.token as string;
  }

  it('answers 202 with the same body for a known and an unknown email; only the known one gets a token', async () => {
    const user = await register(t);
    const known = await requestReset(user.email.toUpperCase());
    const unknown = await requestReset(uniqueEmail('nobody'));
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    expect(unknown.headers['content-type']).toBe(known.headers['content-type']);

    await mailer.waitFor((r) => r.some((hook) => hook.body.data.userId === user.id));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const hooks = mailer.received.filter((hook) => hook.body.type === 'auth.password_reset_requested');
    expect(hooks).toHaveLength(1);
    const data = hooks[0].body.data;
    expect(data).toEqual({
      userId: user.id,
      email: user.email,
      token: expect.any(String),
      expiresAt: expect.any(String),
    });
    const ttl = Date.parse(data.expiresAt as string) - Date.now();
    expect(ttl).toBeGreaterThan(29 * 60_000);
    expect(ttl).toBeLessThanOrEqual(30 * 60_000);
    // Stored as a hash only, never in the audit trail.
    const stored = await t.dataSource.query('SELECT token_hash FROM password_reset_tokens WHERE user_id = ?', [
      user.id,
    ]);
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).not.toBe(data.token);
    const leaks = await t.dataSource.query('SELECT COUNT(*) AS n FROM audit_events WHERE changes LIKE ?', [
      `%${data.token as string}%`,
    ]);
    expect(Number(leaks[0].n)).toBe(0);
  });

  it('takes about the same time for a known and an unknown email', async () => {
    const user = await register(t);
    const ghost = uniqueEmail('ghost');
    const durations = { known: [] as number[], unknown: [] as number[] };
    // Interleaved, so the work a known email causes after its answer weighs on both series alike.
    for (let i = 0; i < 15; i++) {
      for (const [kind, email] of [
        ['known', user.email],
        ['unknown', ghost],
      ] as const) {
        const started = performance.now();
        await requestReset(email).expect(202);
        durations[kind].push(performance.now() - started);
      }
    }
    const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)];
    const known = median(durations.known);
    const unknown = median(durations.unknown);
    // Compared with each other (no absolute threshold): the lookup and the token happen after the answer.
    expect(Math.max(known, unknown)).toBeLessThan(Math.min(known, unknown) * 3 + 15);
  });

  it('confirm sets the password, revokes every session, is audited without the token, and works once', async () => {
    const user = await register(t);
    const otherSession = (await login(t, user.email).expect(200)).body as { refreshToken: string };
    await requestReset(user.email).expect(202);
    const token = await tokenFor(user.id);

    await confirm(token).expect(204);
    await login(t, user.email, PASSWORD).expect(401);
    await login(t, user.email, NEW_PASSWORD).expect(200);
    for (const refreshToken of [user.refreshToken, otherSession.refreshToken]) {
      await t.http().post('/api/v1/auth/refresh').send({ refreshToken }).expect(401);
    }
    const [event] = await auditRows(t, 'auth.password_reset', user.id);
    expect(event.outcome).toBe('success');
    expect(JSON.parse(event.changes)).toEqual({ sessionsRevoked: 2 });
    expect(event.changes).not.toContain(token);

    const reused = await confirm(token, 'yet another passphrase');
    expect(reused.status).toBe(400);
    expect(reused.headers['content-type']).toContain('application/problem+json');
    await login(t, user.email, NEW_PASSWORD).expect(200);
  });

  it('refuses unknown and expired tokens (400), and a reset uses up older tokens', async () => {
    await confirm('not-a-real-token').expect(400);
    const user = await register(t);
    await requestReset(user.email).expect(202);
    const first = await tokenFor(user.id, 1);
    await t.dataSource.query('UPDATE password_reset_tokens SET expires_at = ? WHERE user_id = ?', [
      new Date(Date.now() - 1_000),
      user.id,
    ]);
    await confirm(first).expect(400);

    await requestReset(user.email).expect(202);
    const second = await tokenFor(user.id, 2);
    await requestReset(user.email).expect(202);
    const third = await tokenFor(user.id, 3);
    await confirm(third).expect(204);
    await confirm(second).expect(400);
  });

  it('of concurrent confirms with one token exactly one succeeds', async () => {
    const user = await register(t);
    await requestReset(user.email).expect(202);
    const token = await tokenFor(user.id);
    const results = await Promise.all(Array.from({ length: 5 }, () => confirm(token)));
    expect(results.map((res) => res.status).sort()).toEqual([204, 400, 400, 400, 400]);
  });

  it('validates the new password like registration', async () => {
    const res = await confirm('whatever', 'short');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'newPassword' })]);
  });
});
