import { hkdfSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy.js';

/**
 * The validated configuration: the only place that reads process.env.
 * Every value is parsed once at boot; a bad value stops the process with a message naming the variable.
 */
export interface AppConfig {
  readonly env: 'production' | 'development' | 'test';
  readonly port: number;
  readonly host: string;
  /**
   * Which X-Forwarded-For hops to believe for the client IP (rate limits, audit, sessions): false (none),
   * a hop count, or the addresses/CIDRs of the trusted proxies (TRUST_PROXY). Fastify's `trustProxy`.
   */
  readonly trustProxy: boolean | number | readonly string[];
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly corsOrigins: readonly string[];
  readonly shutdownGraceMs: number;
  /** Adds `x-query-count` (SQL statements issued) to every response: for tests pinning hot-path query counts. */
  readonly exposeQueryCount: boolean;
  /** The primary (DATABASE_URL) and how the service uses it. */
  readonly db: DatabaseTarget & {
    /** Connections per instance. Keep instances × poolSize below MySQL's max_connections (151 by default). */
    readonly poolSize: number;
    /** How long a request waits for a free pooled connection before it is answered 503. */
    readonly acquireTimeoutMs: number;
    readonly connectTimeoutMs: number;
    readonly slowQueryMs: number;
    readonly migrateOnStart: boolean;
    readonly deadlockRetries: number;
    /**
     * Read replicas (DATABASE_REPLICA_URLS): reads that may lag go there, round-robin (ReadReplicas).
     * Same form as DATABASE_URL; empty = everything on the primary.
     */
    readonly replicas: readonly DatabaseTarget[];
    /** A replica further behind than this (or not replicating, or down) is skipped (DATABASE_REPLICA_MAX_LAG_SECONDS). */
    readonly replicaMaxLagSeconds: number;
  };
  readonly redis: {
    readonly url: string;
    /** REDIS_CLUSTER_NODES: seed nodes of a Redis Cluster, used instead of `url` when not empty. */
    readonly clusterNodes: readonly { readonly host: string; readonly port: number }[];
    /** A cache call slower than this counts as a miss, so a slow Redis never slows a request much. */
    readonly timeoutMs: number;
    readonly keyPrefix: string;
    readonly cacheEnabled: boolean;
    readonly defaultTtlMs: number;
    /**
     * In-process first-level cache in front of Redis for the hottest reads (0 turns it off). Entries are
     * dropped on every instance through Redis pub/sub; this TTL only bounds a missed message.
     */
    readonly localTtlMs: number;
  };
  readonly auth: {
    readonly jwtSecret: string;
    readonly jwtSecretGenerated: boolean;
    readonly accessTokenTtlSeconds: number;
    readonly refreshTokenTtlSeconds: number;
    readonly sessionIdleTimeoutSeconds: number;
    readonly refreshReuseIntervalSeconds: number;
    readonly adminEmail?: string;
    readonly adminPassword?: string;
    readonly argon2MemoryKiB: number;
    readonly argon2TimeCost: number;
    readonly argon2Parallelism: number;
    /**
     * Password hashes computed at once (ARGON2_MAX_CONCURRENT); more wait their turn. Default: the
     * CPUs this process may use minus one (at least 1), so a login storm never takes every core
     * from the event loop.
     */
    readonly argon2MaxConcurrent: number;
    /** Password hashes allowed to wait for a slot (ARGON2_MAX_QUEUE); one more is answered 503. */
    readonly argon2MaxQueue: number;
    /** Longest wait for a hashing slot (ARGON2_QUEUE_TIMEOUT_MS) before 503. */
    readonly argon2QueueTimeoutMs: number;
  };
  readonly rateLimit: {
    readonly perMinute: number;
    readonly loginFailuresPerEmail: number;
    readonly loginPerIpPerMinute: number;
    /** Window over which failed logins per email are counted; the email is refused (429) until it ends. */
    readonly loginFailureWindowSeconds: number;
  };
  readonly jobs: {
    /** Background jobs (sweepers, sealers, renewals). Tests switch them off and drive them by hand. */
    readonly enabled: boolean;
  };
  readonly billing: {
    /** How often the renewal runner looks for due subscriptions (RENEWAL_INTERVAL_MS). */
    readonly renewalIntervalMs: number;
    /** Subscriptions claimed (FOR UPDATE SKIP LOCKED) and billed per transaction (RENEWAL_BATCH_SIZE). */
    readonly renewalBatchSize: number;
    /**
     * Dunning: hours after the missed renewal date at which a failed renewal is retried
     * (DUNNING_RETRY_HOURS, comma-separated, increasing). After the last one fails the subscription is canceled.
     */
    readonly dunningRetryHours: readonly number[];
    /** TTL of cached entitlements and billing summary (ENTITLEMENTS_CACHE_TTL_MS); writers invalidate after commit. */
    readonly cacheTtlMs: number;
    /** Currency of the billing metrics when a request names none (BILLING_DEFAULT_CURRENCY, ISO 4217). */
    readonly defaultCurrency: string;
    /** BILLING_TEST_CLOCK: a renewal run may take any `asOf` (tests, benchmarks); otherwise at most now + 5 min. */
    readonly testClock: boolean;
  };
  readonly payments: {
    /** How often the reconcile job looks for payment intents stuck `pending` (PAYMENT_RECONCILE_INTERVAL_MS). */
    readonly reconcileIntervalMs: number;
    /** An intent pending longer than this is presumed interrupted and reconciled (PAYMENT_RECONCILE_AFTER_SECONDS). */
    readonly reconcileAfterSeconds: number;
  };
  readonly inventory: {
    /** Customers only (staff and admin are not limited): units of one product per reservation (RESERVATION_MAX_QUANTITY). */
    readonly reservationMaxQuantity: number;
    /** Customers only: pending reservations at once (RESERVATION_MAX_PENDING); beyond → 409 reservation_limit. */
    readonly reservationMaxPending: number;
    /** Customers only: longest `ttlSeconds` of a reservation (RESERVATION_MAX_TTL_SECONDS). */
    readonly reservationMaxTtlSeconds: number;
  };
  readonly audit: {
    /**
     * BENCH-ONLY (AUDIT_RECORDING): false turns `AuditService.record()` into a no-op so benchmarks can
     * compare an audited write with the same write unaudited. Never switch it off in a real deployment.
     */
    readonly recording: boolean;
    /** How often the sealer links newly committed events into the hash chain (AUDIT_SEAL_INTERVAL_MS). */
    readonly sealIntervalMs: number;
    /**
     * The routine seal pass looks for unsealed events recorded at most this long ago
     * (AUDIT_SEAL_LOOKBACK_SECONDS); an hourly pass and every verify look at the whole table.
     */
    readonly sealLookbackSeconds: number;
    /** Events linked per INSERT into audit_chain, and links read per verify batch (AUDIT_BATCH_SIZE). */
    readonly batchSize: number;
  };
  readonly webhooks: {
    /** Delays before each retry of a failed delivery (WEBHOOK_RETRY_SCHEDULE, e.g. `1m,5m,30m,2h,12h`); then `failed`. */
    readonly retryScheduleMs: readonly number[];
    /** WEBHOOK_ALLOW_PRIVATE: deliver to loopback/private addresses (default true outside production). */
    readonly allowPrivate: boolean;
    /** AES-256-GCM key (32 bytes) that encrypts signing secrets and event bodies at rest (WEBHOOK_SECRET_KEY). */
    readonly secretKey: Buffer;
    /** Where the key came from: WEBHOOK_SECRET_KEY, derived from JWT_SECRET, or random per process. */
    readonly secretKeySource: 'env' | 'jwt' | 'random';
    /** A delivery attempt that has not answered by then is a failure (WEBHOOK_TIMEOUT_MS, contract: 10 s). */
    readonly timeoutMs: number;
    /** Sends in flight at once per instance (WEBHOOK_CONCURRENCY). */
    readonly concurrency: number;
    /** How often each instance looks for due deliveries when idle (WEBHOOK_POLL_INTERVAL_MS). */
    readonly pollIntervalMs: number;
    /** Finished deliveries and their events are deleted this many days after creation (WEBHOOK_RETENTION_DAYS). */
    readonly retentionDays: number;
  };
  readonly passwordReset: {
    /** Lifetime of a password-reset token (PASSWORD_RESET_TTL_SECONDS, contract: 30 min). */
    readonly ttlSeconds: number;
  };
}

/** Where one MySQL server is: parsed from a `mysql://user:pass@host:port/db` URL. */
export interface DatabaseTarget {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

class EnvReader {
  constructor(private readonly env: Env) {}

  string(name: string, fallback?: string): string {
    const raw = this.env[name];
    if (raw !== undefined && raw !== '') return raw;
    if (fallback === undefined) throw new ConfigError(`${name} is required`);
    return fallback;
  }

  optional(name: string): string | undefined {
    const raw = this.env[name];
    return raw === undefined || raw === '' ? undefined : raw;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
    throw new ConfigError(`${name} must be true or false, got "${raw}"`);
  }

  intList(name: string, fallback: readonly number[], min: number, max: number): number[] {
    const raw = this.optional(name);
    if (raw === undefined) return [...fallback];
    const values = raw.split(',').map((part) => Number(part.trim()));
    const valid =
      values.length > 0 &&
      values.length <= 20 &&
      values.every(
        (value, i) => Number.isInteger(value) && value >= min && value <= max && (i === 0 || value > values[i - 1]),
      );
    if (!valid) {
      throw new ConfigError(
        `${name} must be 1 to 20 increasing integers from ${min} to ${max}, comma-separated, got "${raw}"`,
      );
    }
    return values;
  }

  /** An ISO 4217 code (three capital letters). */
  currency(name: string, fallback: string): string {
    const raw = this.optional(name) ?? fallback;
    if (!/^[A-Z]{3}$/.test(raw)) throw new ConfigError(`${name} must be a 3-letter ISO 4217 code, got "${raw}"`);
    return raw;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(name) ?? fallback;
    if (!allowed.includes(raw as T))
      throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return raw as T;
  }
}

/**
 * TRUST_PROXY: `0`/`false` (default) ignores X-Forwarded-For; a hop count `n` trusts the n proxies
 * nearest to the service; a comma-separated list of addresses/CIDRs trusts exactly those. The old
 * `true` means one hop (a load balancer in front): trusting every hop would let a client choose its
 * own IP with the left-most X-Forwarded-For entry.
 */
export function parseTrustProxy(raw: string | undefined): boolean | number | string[] {
  const value = raw?.trim() ?? '';
  if (value === '' || ['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
  if (['true', 'yes', 'on'].includes(value.toLowerCase())) return 1;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 32) throw new ConfigError(`TRUST_PROXY hop count must be at most 32, got "${raw}"`);
    return hops;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    const validBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits);
    if (family === 0 || !validBits || extra !== undefined) {
      throw new ConfigError(
        `TRUST_PROXY must be a hop count or comma-separated proxy addresses/CIDRs, got "${entry}" in "${raw}"`,
      );
    }
  }
  return entries;
}

const DURATION_UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** `1m,5m,30m,2h,12h` → milliseconds; 1 to 20 delays, each 1 s to 7 days. */
export function parseRetrySchedule(raw: string): number[] {
  const delays = raw.split(',').map((part) => {
    const match = /^(\d+)([smh])$/.exec(part.trim());
    return match ? Number(match[1]) * DURATION_UNITS_MS[match[2] as keyof typeof DURATION_UNITS_MS] : NaN;
  });
  if (delays.length === 0 || delays.length > 20 || delays.some((ms) => !(ms >= 1_000 && ms <= 7 * 86_400_000))) {
    throw new ConfigError(
      `WEBHOOK_RETRY_SCHEDULE must be 1 to 20 comma-separated delays like 30s, 5m or 2h (1 s to 7 days), got "${raw}"`,
    );
  }
  return delays;
}

/**
 * WEBHOOK_SECRET_KEY: 32 bytes as base64 or hex. When unset it is derived from JWT_SECRET (HKDF), so
 * instances sharing that secret share this key (production already requires JWT_SECRET; the
 * operations contract does not list WEBHOOK_SECRET_KEY, so it must not be what stops a deployment);
 * with neither, random per process. main.ts warns in both fallback cases.
 */
function parseSecretKey(
  raw: string | undefined,
  jwtSecret: string | undefined,
): { key: Buffer; source: 'env' | 'jwt' | 'random' } {
  if (raw === undefined) {
    if (jwtSecret !== undefined)
      return { key: Buffer.from(hkdfSync('sha256', jwtSecret, '', 'mainspring webhook secrets', 32)), source: 'jwt' };
    return { key: randomBytes(32), source: 'random' };
  }
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new ConfigError('WEBHOOK_SECRET_KEY must be 32 bytes, base64 or hex encoded');
  return { key, source: 'env' };
}

function parseDatabaseUrl(url: string, name = 'DATABASE_URL'): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${name} must look like mysql://user:pass@host:port/db`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (parsed.protocol !== 'mysql:' || !parsed.hostname || !/^[A-Za-z0-9_]+$/.test(database)) {
    throw new ConfigError(`${name} must look like mysql://user:pass@host:port/db (database name: letters, digits, _)`);
  }
  return {
    url,
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username || 'root'),
    password: decodeURIComponent(parsed.password),
    database,
  };
}

/** `host:port,host:port` (REDIS_CLUSTER_NODES). */
function parseClusterNodes(raw: string | undefined): { host: string; port: number }[] {
  if (raw === undefined) return [];
  return raw.split(',').map((part) => {
    const match = /^\s*([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\s*$/.exec(part);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) {
      throw new ConfigError(`REDIS_CLUSTER_NODES must look like host:port,host:port, got "${raw}"`);
    }
    return { host: match[1].replace(/^\[|\]$/g, ''), port };
  });
}

function parseRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'redis:' || parsed.protocol === 'rediss:') return url;
  } catch {
    // fall through to the error below
  }
  throw new ConfigError(`REDIS_URL must look like redis://host:port`);
}

export function loadConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const nodeEnv = read.oneOf('NODE_ENV', ['production', 'development', 'test'], 'development');
  const production = nodeEnv === 'production';

  const dbUrl = production
    ? read.string('DATABASE_URL')
    : read.string('DATABASE_URL', 'mysql://root@127.0.0.1:3306/mainspring');
  const clusterNodes = parseClusterNodes(read.optional('REDIS_CLUSTER_NODES'));
  // With a cluster REDIS_URL is not used, so production does not require it.
  const redisUrl = parseRedisUrl(
    production && clusterNodes.length === 0
      ? read.string('REDIS_URL')
      : read.string('REDIS_URL', 'redis://127.0.0.1:6379'),
  );

  const givenSecret = read.optional('JWT_SECRET');
  if (production && !givenSecret) throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
  if (givenSecret !== undefined && givenSecret.length < 32)
    throw new ConfigError('JWT_SECRET must be at least 32 characters');

  const adminEmail = read.optional('ADMIN_EMAIL');
  const adminPassword = read.optional('ADMIN_PASSWORD');
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    throw new ConfigError('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  if (
    adminPassword !== undefined &&
    (adminPassword.length < PASSWORD_MIN_LENGTH || adminPassword.length > PASSWORD_MAX_LENGTH)
  ) {
    throw new ConfigError(
      `ADMIN_PASSWORD must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters (the password policy)`,
    );
  }

  const auditRecording = read.bool('AUDIT_RECORDING', true);
  // The bench compares audited with unaudited writes on production builds; nobody else may turn the trail off.
  if (production && !auditRecording && !read.bool('BENCH_MODE', false)) {
    throw new ConfigError('AUDIT_RECORDING=false is refused when NODE_ENV=production (bench only: BENCH_MODE=true)');
  }
  const webhookKey = parseSecretKey(read.optional('WEBHOOK_SECRET_KEY'), givenSecret);

  return {
    env: nodeEnv,
    port: read.int('PORT', 3000, 0, 65535),
    host: read.string('HOST', '0.0.0.0'),
    trustProxy: parseTrustProxy(read.optional('TRUST_PROXY')),
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    corsOrigins: (read.optional('CORS_ORIGINS') ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    shutdownGraceMs: read.int('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    exposeQueryCount: !production && read.bool('EXPOSE_QUERY_COUNT', false),
    db: {
      ...parseDatabaseUrl(dbUrl),
      poolSize: read.int('DB_POOL_SIZE', 10, 1, 500),
      acquireTimeoutMs: read.int('DB_ACQUIRE_TIMEOUT_MS', 5_000, 10, 120_000),
      connectTimeoutMs: read.int('DB_CONNECT_TIMEOUT_MS', 5_000, 100, 60_000),
      slowQueryMs: read.int('DB_SLOW_QUERY_MS', 200, 1, 600_000),
      migrateOnStart: read.bool('DB_MIGRATE_ON_START', true),
      deadlockRetries: read.int('DB_DEADLOCK_RETRIES', 3, 0, 20),
      replicas: (read.optional('DATABASE_REPLICA_URLS') ?? '')
        .split(',')
        .map((url) => url.trim())
        .filter(Boolean)
        .map((url) => parseDatabaseUrl(url, 'DATABASE_REPLICA_URLS')),
      replicaMaxLagSeconds: read.int('DATABASE_REPLICA_MAX_LAG_SECONDS', 5, 0, 86_400),
    },
    redis: {
      url: redisUrl,
      clusterNodes,
      timeoutMs: read.int('REDIS_TIMEOUT_MS', 50, 1, 10_000),
      keyPrefix: read.string('REDIS_KEY_PREFIX', 'ms:'),
      cacheEnabled: read.bool('CACHE_ENABLED', true),
      defaultTtlMs: read.int('CACHE_TTL_MS', 60_000, 1, 86_400_000),
      localTtlMs: read.int('CACHE_LOCAL_TTL_MS', 5_000, 0, 600_000),
    },
    auth: {
      jwtSecret: givenSecret ?? randomBytes(32).toString('base64url'),
      jwtSecretGenerated: givenSecret === undefined,
      accessTokenTtlSeconds: read.int('ACCESS_TOKEN_TTL_SECONDS', 900, 10, 86_400),
      refreshTokenTtlSeconds: read.int('REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 60, 365 * 86_400),
      sessionIdleTimeoutSeconds: read.int('SESSION_IDLE_TIMEOUT_SECONDS', 7 * 86_400, 60, 365 * 86_400),
      refreshReuseIntervalSeconds: read.int('REFRESH_REUSE_INTERVAL_SECONDS', 0, 0, 300),
      adminEmail,
      adminPassword,
      argon2MemoryKiB: read.int('ARGON2_MEMORY_KIB', 19_456, 1_024, 1_048_576),
      argon2TimeCost: read.int('ARGON2_TIME_COST', 2, 1, 20),
      argon2Parallelism: read.int('ARGON2_PARALLELISM', 1, 1, 16),
      argon2MaxConcurrent: read.int('ARGON2_MAX_CONCURRENT', Math.max(1, availableParallelism() - 1), 1, 64),
      argon2MaxQueue: read.int('ARGON2_MAX_QUEUE', 64, 0, 100_000),
      argon2QueueTimeoutMs: read.int('ARGON2_QUEUE_TIMEOUT_MS', 10_000, 10, 600_000),
    },
    rateLimit: {
      perMinute: read.int('RATE_LIMIT_PER_MINUTE', 600, 1, 10_000_000),
      loginFailuresPerEmail: read.int('LOGIN_FAILURES_PER_EMAIL', 5, 1, 10_000),
      loginPerIpPerMinute: read.int('LOGIN_PER_IP_PER_MINUTE', 100, 1, 10_000_000),
      loginFailureWindowSeconds: read.int('LOGIN_FAILURE_WINDOW_SECONDS', 900, 1, 86_400),
    },
    jobs: {
      enabled: read.bool('JOBS_ENABLED', true),
    },
    billing: {
      renewalIntervalMs: read.int('RENEWAL_INTERVAL_MS', 60_000, 1_000, 86_400_000),
      renewalBatchSize: read.int('RENEWAL_BATCH_SIZE', 200, 1, 1_000),
      dunningRetryHours: read.intList('DUNNING_RETRY_HOURS', [24, 72, 168], 1, 24 * 365),
      cacheTtlMs: read.int('ENTITLEMENTS_CACHE_TTL_MS', 300_000, 1_000, 86_400_000),
      defaultCurrency: read.currency('BILLING_DEFAULT_CURRENCY', 'USD'),
      testClock: read.bool('BILLING_TEST_CLOCK', false),
    },
    payments: {
      reconcileIntervalMs: read.int('PAYMENT_RECONCILE_INTERVAL_MS', 30_000, 1_000, 86_400_000),
      reconcileAfterSeconds: read.int('PAYMENT_RECONCILE_AFTER_SECONDS', 60, 0, 86_400),
    },
    inventory: {
      reservationMaxQuantity: read.int('RESERVATION_MAX_QUANTITY', 10, 1, 1_000_000),
      reservationMaxPending: read.int('RESERVATION_MAX_PENDING', 5, 1, 100_000),
      reservationMaxTtlSeconds: read.int('RESERVATION_MAX_TTL_SECONDS', 1_800, 1, 86_400),
    },
    audit: {
      recording: auditRecording,
      sealIntervalMs: read.int('AUDIT_SEAL_INTERVAL_MS', 1_000, 50, 3_600_000),
      sealLookbackSeconds: read.int('AUDIT_SEAL_LOOKBACK_SECONDS', 900, 1, 7 * 86_400),
      batchSize: read.int('AUDIT_BATCH_SIZE', 1_000, 10, 10_000),
    },
    webhooks: {
      retryScheduleMs: parseRetrySchedule(read.string('WEBHOOK_RETRY_SCHEDULE', '1m,5m,30m,2h,12h')),
      allowPrivate: read.bool('WEBHOOK_ALLOW_PRIVATE', !production),
      secretKey: webhookKey.key,
      secretKeySource: webhookKey.source,
      timeoutMs: read.int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
      concurrency: read.int('WEBHOOK_CONCURRENCY', 32, 1, 1_000),
      pollIntervalMs: read.int('WEBHOOK_POLL_INTERVAL_MS', 1_000, 10, 60_000),
      retentionDays: read.int('WEBHOOK_RETENTION_DAYS', 30, 1, 3_650),
    },
    passwordReset: {
      ttlSeconds: read.int('PASSWORD_RESET_TTL_SECONDS', 1_800, 1, 86_400),
    },
  };
}

/** Injection token for AppConfig (an interface has no runtime value to inject by). */
export const APP_CONFIG = Symbol('APP_CONFIG');
