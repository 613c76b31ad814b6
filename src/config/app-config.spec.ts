import { availableParallelism } from 'node:os';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('has the contract defaults outside production', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.db).toMatchObject({
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
      password: '',
      database: 'mainspring',
    });
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.rateLimit.perMinute).toBe(600);
    expect(config.logLevel).toBe('info');
    expect(config.auth.jwtSecretGenerated).toBe(true);
    expect(config.auth.jwtSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('parses DATABASE_URL with credentials', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://app:p%40ss@db.internal:3307/shop' });
    expect(config.db).toMatchObject({
      host: 'db.internal',
      port: 3307,
      user: 'app',
      password: 'p@ss',
      database: 'shop',
    });
  });

  it('parses read replicas and Redis Cluster nodes', () => {
    const config = loadConfig({
      DATABASE_REPLICA_URLS: 'mysql://ro:pw@replica-0:3306/shop, mysql://ro:pw@replica-1:3307/shop',
      DATABASE_REPLICA_MAX_LAG_SECONDS: '2',
      REDIS_CLUSTER_NODES: 'redis-0:6379,10.0.0.2:7001,[::1]:7002',
    });
    expect(config.db.replicas.map((r) => [r.host, r.port, r.user, r.database])).toEqual([
      ['replica-0', 3306, 'ro', 'shop'],
      ['replica-1', 3307, 'ro', 'shop'],
    ]);
    expect(config.db.replicaMaxLagSeconds).toBe(2);
    expect(config.redis.clusterNodes).toEqual([
      { host: 'redis-0', port: 6379 },
      { host: '10.0.0.2', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(loadConfig({}).db.replicas).toEqual([]);
    expect(loadConfig({}).redis.clusterNodes).toEqual([]);
  });

  it('needs no REDIS_URL in production when REDIS_CLUSTER_NODES is set', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'mysql://app@db/shop',
      JWT_SECRET: 'x'.repeat(32),
    };
    expect(() => loadConfig(production)).toThrow(/REDIS_URL/);
    expect(loadConfig({ ...production, REDIS_CLUSTER_NODES: 'redis-0:6379' }).redis.clusterNodes).toHaveLength(1);
  });

  it.each([
    [{ DATABASE_REPLICA_URLS: 'mysql://ro@replica-0/shop,postgres://x/y' }, /DATABASE_REPLICA_URLS/],
    [{ DATABASE_REPLICA_MAX_LAG_SECONDS: '-1' }, /DATABASE_REPLICA_MAX_LAG_SECONDS/],
    [{ REDIS_CLUSTER_NODES: 'redis-0' }, /REDIS_CLUSTER_NODES/],
    [{ REDIS_CLUSTER_NODES: 'redis-0:99999' }, /REDIS_CLUSTER_NODES/],
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'postgres://x/y' }, /DATABASE_URL/],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ DB_MIGRATE_ON_START: 'maybe' }, /DB_MIGRATE_ON_START/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET/],
    [{ ADMIN_EMAIL: 'a@b.c' }, /ADMIN_EMAIL and ADMIN_PASSWORD/],
    [{ ADMIN_EMAIL: 'a@b.c', ADMIN_PASSWORD: 'too short' }, /ADMIN_PASSWORD must be 12 to 256/],
    [{ CACHE_LOCAL_TTL_MS: '-1' }, /CACHE_LOCAL_TTL_MS/],
    [{ DUNNING_RETRY_HOURS: '24,12' }, /DUNNING_RETRY_HOURS/],
    [{ DUNNING_RETRY_HOURS: '24,abc' }, /DUNNING_RETRY_HOURS/],
    [{ RENEWAL_INTERVAL_MS: '10' }, /RENEWAL_INTERVAL_MS/],
  ])('rejects %p naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('has no secret or connection defaults in production', () => {
    const base = { NODE_ENV: 'production', DATABASE_URL: 'mysql://u:p@db:3306/m', REDIS_URL: 'redis://r:6379' };
    expect(() => loadConfig(base)).toThrow(/JWT_SECRET is required/);
    expect(() => loadConfig({ ...base, JWT_SECRET: 'x'.repeat(32), DATABASE_URL: '' })).toThrow(
      /DATABASE_URL is required/,
    );
    expect(loadConfig({ ...base, JWT_SECRET: 'x'.repeat(32) }).webhooks.secretKeySource).toBe('jwt');
    const key = 'ab'.repeat(32);
    const config = loadConfig({ ...base, JWT_SECRET: 'x'.repeat(32), WEBHOOK_SECRET_KEY: key });
    expect(config.auth.jwtSecretGenerated).toBe(false);
    expect(config.webhooks.secretKey.toString('hex')).toBe(key);
    expect(config.webhooks.allowPrivate).toBe(false);
  });

  it('webhooks: contract defaults, schedule with units, a key shared by instances sharing JWT_SECRET', () => {
    const config = loadConfig({});
    expect(config.webhooks.retryScheduleMs).toEqual([60_000, 300_000, 1_800_000, 7_200_000, 43_200_000]);
    expect(config.webhooks.allowPrivate).toBe(true);
    expect(config.webhooks.timeoutMs).toBe(10_000);
    expect(config.webhooks.secretKeySource).toBe('random');
    expect(loadConfig({ WEBHOOK_RETRY_SCHEDULE: '1s, 2s' }).webhooks.retryScheduleMs).toEqual([1_000, 2_000]);
    expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE: '1d' })).toThrow(/WEBHOOK_RETRY_SCHEDULE/);
    expect(() => loadConfig({ WEBHOOK_SECRET_KEY: 'short' })).toThrow(/32 bytes/);
    const jwt = { JWT_SECRET: 'y'.repeat(32) };
    expect(loadConfig(jwt).webhooks.secretKey).toEqual(loadConfig(jwt).webhooks.secretKey);
    expect(loadConfig(jwt).webhooks.secretKeySource).toBe('jwt');
    expect(loadConfig({ ...jwt, JWT_SECRET: 'z'.repeat(32) }).webhooks.secretKey).not.toEqual(
      loadConfig(jwt).webhooks.secretKey,
    );
  });

  it('parses the billing settings', () => {
    expect(loadConfig({}).billing).toEqual({
      renewalIntervalMs: 60_000,
      renewalBatchSize: 200,
      dunningRetryHours: [24, 72, 168],
      cacheTtlMs: 300_000,
      defaultCurrency: 'USD',
      testClock: false,
    });
    expect(loadConfig({ BILLING_DEFAULT_CURRENCY: 'EUR' }).billing.defaultCurrency).toBe('EUR');
    expect(() => loadConfig({ BILLING_DEFAULT_CURRENCY: 'euro' })).toThrow(/BILLING_DEFAULT_CURRENCY/);
    expect(loadConfig({ DUNNING_RETRY_HOURS: '1, 2,48' }).billing.dunningRetryHours).toEqual([1, 2, 48]);
    expect(loadConfig({ BILLING_TEST_CLOCK: 'true' }).billing.testClock).toBe(true);
    expect(loadConfig({}).payments).toEqual({ reconcileIntervalMs: 30_000, reconcileAfterSeconds: 60 });
  });

  it('audit: records and seals by default; AUDIT_* values are validated', () => {
    expect(loadConfig({}).audit).toEqual({
      recording: true,
      sealIntervalMs: 1_000,
      sealLookbackSeconds: 900,
      batchSize: 1_000,
    });
    expect(loadConfig({ AUDIT_RECORDING: 'false' }).audit.recording).toBe(false);
    expect(() => loadConfig({ AUDIT_RECORDING: 'maybe' })).toThrow(/AUDIT_RECORDING/);
    expect(() => loadConfig({ AUDIT_BATCH_SIZE: '5' })).toThrow(/AUDIT_BATCH_SIZE/);
    expect(() => loadConfig({ AUDIT_SEAL_INTERVAL_MS: '0' })).toThrow(/AUDIT_SEAL_INTERVAL_MS/);
  });

  it('argon2: at least one hash at a time, by default one core left for serving', () => {
    expect(loadConfig({}).auth.argon2MaxConcurrent).toBe(Math.max(1, availableParallelism() - 1));
    expect(loadConfig({ ARGON2_MAX_CONCURRENT: '3' }).auth.argon2MaxConcurrent).toBe(3);
    expect(() => loadConfig({ ARGON2_MAX_CONCURRENT: '0' })).toThrow(/ARGON2_MAX_CONCURRENT/);
  });
});

describe('TRUST_PROXY', () => {
  const trust = (value?: string) => loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy;

  it('is off by default and for 0/false; the old true means one hop, never every hop', () => {
    expect(trust()).toBe(false);
    expect(trust('0')).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('true')).toBe(1);
  });

  it('takes a hop count or a list of trusted proxy addresses and CIDRs', () => {
    expect(trust('2')).toBe(2);
    expect(trust('10.0.0.0/8, 192.168.1.10,fd00::/8')).toEqual(['10.0.0.0/8', '192.168.1.10', 'fd00::/8']);
  });

  it('refuses anything else, naming the variable', () => {
    for (const bad of ['10.0.0.0/33', 'proxy.internal', '1.2.3.4/8/1', '99']) {
      expect(() => trust(bad)).toThrow(/TRUST_PROXY/);
    }
  });
});

describe('AUDIT_RECORDING', () => {
  const production = {
    NODE_ENV: 'production',
    DATABASE_URL: 'mysql://u:p@db:3306/m',
    REDIS_URL: 'redis://r:6379',
    JWT_SECRET: 'x'.repeat(32),
  };

  it('cannot be switched off in production (bench builds say BENCH_MODE=true)', () => {
    expect(() => loadConfig({ ...production, AUDIT_RECORDING: 'false' })).toThrow(/AUDIT_RECORDING/);
    expect(loadConfig({ ...production, AUDIT_RECORDING: 'false', BENCH_MODE: 'true' }).audit.recording).toBe(false);
    expect(loadConfig({ AUDIT_RECORDING: 'false' }).audit.recording).toBe(false);
  });
});
