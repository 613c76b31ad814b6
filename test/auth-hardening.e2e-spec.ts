import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { PasswordService } from '../src/modules/auth/services/password.service.js';
import { login, PASSWORD, register } from './support/auth-flows.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const AUTH = '/api/v1/auth';
const fullWidth = (text: string) => text.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('login failure limit (issue 12 item 2)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('auth_hardening');
  });
  afterAll(() => t.close());

  it('50 concurrent wrong passwords for one account: at most 5 get checked (401), the rest 429', async () => {
    const user = await register(t);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => login(t, user.email, 'wrong password, guessed')),
    );
    const statuses = results.map((res) => res.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    await login(t, user.email).expect(429);
  });

  it('emails differing by case, surrounding spaces or NFKC form share one budget', async () => {
    const tag = randomBytes(4).toString('hex');
    const email = `victim-${tag}@example.com`;
    await register(t, email);
    const variants = [
      `  VICTIM-${tag}@Example.COM `,
      `${fullWidth('victim')}-${tag}@example.com`,
      `Victim-${tag}@EXAMPLE.com`,
      `\u00a0victim-${tag}@example.com`,
      `${fullWidth('victim')}-${tag}@${fullWidth('example')}.com`,
    ];
    for (const variant of variants) await login(t, variant, 'wrong password, guessed').expect(401);
    await login(t, email).expect(429);
  });

  it('a look-alike email with an accent is another email: no login into the account', async () => {
    const tag = randomBytes(4).toString('hex');
    const email = `victim-${tag}@example.com`;
    await register(t, email);
    await login(t, `víctim-${tag}@example.com`).expect(401);
    await login(t, email).expect(200);
    // And it can be registered on its own (the unique index compares exactly).
    await register(t, `víctim-${tag}@example.com`);
  });

  it('/auth/password spends the same budget as login', async () => {
    const user = await register(t);
    for (let i = 0; i < 5; i++) {
      await t
        .http()
        .post(`${AUTH}/password`)
        .set(user.auth)
        .send({ currentPassword: 'not the password at all', newPassword: 'a brand new password' })
        .expect(400);
    }
    const limited = await t
      .http()
      .post(`${AUTH}/password`)
      .set(user.auth)
      .send({ currentPassword: PASSWORD, newPassword: 'a brand new password' })
      .expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await login(t, user.email).expect(429);
  });

  it('register checks a taken email before hashing', async () => {
    const user = await register(t);
    const passwords = t.app.get(PasswordService);
    let hashes = 0;
    const original = passwords.hash.bind(passwords);
    passwords.hash = (password: string) => {
      hashes++;
      return original(password);
    };
    try {
      await t.http().post(`${AUTH}/register`).send({ email: user.email.toUpperCase(), password: PASSWORD }).expect(409);
      expect(hashes).toBe(0);
    } finally {
      passwords.hash = original;
    }
  });
});

describe('bounded password hashing queue (issue 12 item 4)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('auth_hash_queue', {
      env: { ARGON2_MAX_CONCURRENT: '1', ARGON2_MAX_QUEUE: '2', ARGON2_MEMORY_KIB: '32768', ARGON2_TIME_COST: '3' },
    });
  });
  afterAll(() => t.close());

  it('a burst beyond the queue is answered 503 with Retry-After, not queued without limit', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login(t, `nobody-${i}-${randomBytes(4).toString('hex')}@example.com`)),
    );
    const statuses = results.map((res) => res.status);
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(0);
    expect(statuses.every((status) => status === 401 || status === 503)).toBe(true);
    const busy = results.find((res) => res.status === 503)!;
    expect(busy.headers['content-type']).toMatch(/problem\+json/);
    expect(Number(busy.headers['retry-after'])).toBeGreaterThan(0);
    // Once the burst is over, logins are checked again.
    await login(t, `nobody-after-${randomBytes(4).toString('hex')}@example.com`).expect(401);
  });
});

describe('password change under the per-IP login limit (issue 12 item 4)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('auth_password_ip', { env: { TRUST_PROXY: '1', LOGIN_PER_IP_PER_MINUTE: '3' } });
  });
  afterAll(() => t.close());

  // Each call hashes twice; the per-email budget (5 failures) alone leaves more calls than the IP's 3.
  it('/auth/password from one IP is refused (429) past LOGIN_PER_IP_PER_MINUTE, before the email budget', async () => {
    const user = await register(t);
    const change = () =>
      t
        .http()
        .post(`${AUTH}/password`)
        .set(user.auth)
        .set('x-forwarded-for', '198.51.100.7')
        .send({ currentPassword: 'not the password at all', newPassword: 'a brand new password' });
    for (let i = 0; i < 3; i++) await change().expect(400);
    const limited = await change().expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('client IP behind proxies (issue 12 item 5)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('auth_client_ip', { env: { TRUST_PROXY: '1', LOGIN_PER_IP_PER_MINUTE: '3' } });
  });
  afterAll(() => t.close());

  it('TRUST_PROXY=1 believes only the hop our proxy added, not the client-chosen left-most entry', async () => {
    const res = await t
      .http()
      .post(`${AUTH}/register`)
      .set('x-forwarded-for', '6.6.6.6, 10.1.2.3')
      .send({ email: `ip-${randomBytes(4).toString('hex')}@example.com`, password: PASSWORD })
      .expect(201);
    const sessions = await t
      .http()
      .get(`${AUTH}/sessions`)
      .set({ authorization: `Bearer ${res.body.accessToken}` })
      .set('x-forwarded-for', '10.1.2.3')
      .expect(200);
    expect(sessions.body.data.map((session: { ip: string }) => session.ip)).toEqual(['10.1.2.3']);
  });

  it('IPv6 clients share one login budget per /64', async () => {
    const attempt = (ip: string) =>
      login(t, `nobody-${randomBytes(4).toString('hex')}@example.com`).set('x-forwarded-for', ip);
    for (const ip of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff::3']) await attempt(ip).expect(401);
    await attempt('2001:db8:1:2::4').expect(429);
    await attempt('2001:db8:1:3::1').expect(401);
  });
});

describe('admin bootstrap over an existing non-admin user (issue 12 item 8)', () => {
  it('logs a clear warning and changes nothing', async () => {
    const first = await startTestApp('auth_bootstrap_warn');
    const lines: string[] = [];
    try {
      const user = await register(first);
      const second = await startTestApp('auth_bootstrap_warn', {
        reuseDatabase: true,
        env: { ADMIN_EMAIL: user.email.toUpperCase(), ADMIN_PASSWORD: 'bootstrap-password-1' },
        logger: pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) }),
      });
      await second.close();
      const warning = lines.map((line) => JSON.parse(line) as { msg: string }).find((l) => /ADMIN_EMAIL/.test(l.msg));
      expect(warning?.msg).toMatch(/without the admin role/);
      await login(first, user.email).expect(200);
      const rows = await first.dataSource.query('SELECT roles FROM users WHERE id = ?', [user.id]);
      expect(rows[0].roles).toBe('customer');
    } finally {
      await first.close();
    }
  });
});
