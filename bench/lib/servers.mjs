// The servers a bench run can start. 'service' is Mainspring itself; the others are baselines.
// A scenario names one as its target or its baseline; only the servers some selected scenario
// needs are started. To add a baseline server: put its script in bench/baselines/ and add it here.

/** Fixed bench-only secret: the bench database is throwaway. */
const BENCH_JWT_SECRET = 'bench-only-secret-not-for-production-0123456789';

/** The bootstrap admin every service instance ensures at start (scenarios log in as it for admin-only setup). */
export const BENCH_ADMIN = { email: 'bench-admin@example.test', password: 'bench admin password 0123' };

/**
 * Another instance of the service with some settings overridden (its own port, same build, same
 * database and Redis): for scenarios whose baseline is the same route under a different setting.
 */
function serviceVariant(description, overrides) {
  const base = SERVERS.service;
  return { ...base, description, env: (s) => ({ ...base.env(s), ...overrides }) };
}

/** True for the service and its variants (they need the build, the database, and may be profiled). */
export function isService(name) {
  return SERVERS[name]?.script === 'dist/src/main.js';
}

export const SERVERS = {
  service: {
    description: 'Mainspring (dist/src/main.js), NODE_ENV=production, logging on (to a file)',
    script: 'dist/src/main.js',
    readyPath: '/health/ready',
    logToFile: true,
    env: (s) => ({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      DATABASE_URL: s.databaseUrl,
      REDIS_URL: s.redisUrl,
      REDIS_KEY_PREFIX: 'bench:',
      JWT_SECRET: BENCH_JWT_SECRET,
      LOG_LEVEL: 'info',
      // Rate limits must never be what a benchmark measures.
      RATE_LIMIT_PER_MINUTE: '10000000',
      LOGIN_PER_IP_PER_MINUTE: '10000000',
      // Background jobs would add load at random moments; requests are what is measured.
      JOBS_ENABLED: 'false',
      ADMIN_EMAIL: BENCH_ADMIN.email,
      ADMIN_PASSWORD: BENCH_ADMIN.password,
    }),
  },
  nest: {
    description: 'bare NestJS on Fastify: one controller, one JSON route, nothing else',
    script: 'bench/baselines/nest.mjs',
    readyPath: '/',
    request: { method: 'GET', path: '/' },
  },
  fastify: {
    description: 'bare Fastify: one JSON route',
    script: 'bench/baselines/fastify.mjs',
    readyPath: '/',
    request: { method: 'GET', path: '/' },
  },
  'fastify-mysql': {
    description: 'bare Fastify + mysql2: one primary-key SELECT per request',
    script: 'bench/baselines/fastify-mysql.mjs',
    readyPath: '/rows/1',
    request: { method: 'GET', path: '/rows/1' },
    env: (s) => ({ DATABASE_URL: s.databaseUrl }),
  },
};

SERVERS['service-nocache'] = serviceVariant(
  'Mainspring variant: CACHE_ENABLED=false (every catalogue read goes to MySQL)',
  { CACHE_ENABLED: 'false' },
);
SERVERS['service-noaudit'] = serviceVariant(
  'Mainspring variant: AUDIT_RECORDING=false (bench-only: audit events not written)',
  // Refused in production without BENCH_MODE (issue 12): this variant exists only to measure the audit's cost.
  { AUDIT_RECORDING: 'false', BENCH_MODE: 'true' },
);
