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

  it.each([
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
    expect(loadConfig({ ...base, JWT_SECRET: 'x'.repeat(32) }).auth.jwtSecretGenerated).toBe(false);
  });

  it('parses the billing settings', () => {
    expect(loadConfig({}).billing).toEqual({
      renewalIntervalMs: 60_000,
      renewalBatchSize: 200,
      dunningRetryHours: [24, 72, 168],
      cacheTtlMs: 300_000,
    });
    expect(loadConfig({ DUNNING_RETRY_HOURS: '1, 2,48' }).billing.dunningRetryHours).toEqual([1, 2, 48]);
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
