import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import mysql from 'mysql2/promise';
import { type Logger, pino } from 'pino';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { ModuleImport } from '../../src/app.module.js';
import { createApp } from '../../src/bootstrap.js';
import { type AppConfig, loadConfig } from '../../src/config/app-config.js';
import { ensureDatabase } from '../../src/infrastructure/database/prepare-database.js';

export const TEST_MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/5';
/** Shared by every test app so that tokens issued by one instance verify on another. */
export const TEST_JWT_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  dataSource: DataSource;
  /** supertest against the real Fastify server. */
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

export interface TestAppOptions {
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
  /** Keep the database as it is (a second instance on the same data); default: start from an empty one. */
  reuseDatabase?: boolean;
  /** Extra Nest modules (test-only controllers). */
  imports?: ModuleImport[];
  /** Where the app logs (default: pino at TEST_LOG_LEVEL, silent unless set). */
  logger?: Logger;
}

/** TEST_DB_PREFIX lets several checkouts run the suite at once on one MySQL without sharing data. */
export function testDatabaseName(name: string): string {
  return `ms_t_${process.env.TEST_DB_PREFIX ?? ''}${name}`.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64);
}

export async function dropDatabase(name: string): Promise<void> {
  const connection = await mysql
    .createConnection({ uri: TEST_MYSQL_URL, connectTimeout: 3000 })
    .catch((error: Error) => {
      throw new Error(`e2e tests need MySQL at ${TEST_MYSQL_URL} (${error.message}): start it or set TEST_MYSQL_URL`);
    });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${testDatabaseName(name)}\``);
  } finally {
    await connection.end();
  }
}

/** One Redis key prefix per test database: a second instance (`reuseDatabase`) shares the first one's keys. */
const redisPrefixes = new Map<string, string>();

function redisPrefixFor(name: string, reuse: boolean): string {
  const existing = redisPrefixes.get(name);
  if (reuse && existing !== undefined) return existing;
  const prefix = `t:${name}:${randomBytes(4).toString('hex')}:`;
  redisPrefixes.set(name, prefix);
  return prefix;
}

export function testConfig(name: string, env: Record<string, string> = {}, reuseDatabase = false): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: `${TEST_MYSQL_URL}/${testDatabaseName(name)}`,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: redisPrefixFor(name, reuseDatabase),
    JWT_SECRET: TEST_JWT_SECRET,
    JOBS_ENABLED: 'false',
    BILLING_TEST_CLOCK: 'true',
    EXPOSE_QUERY_COUNT: 'true',
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOGIN_PER_IP_PER_MINUTE: '1000000',
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
}

/**
 * Boots the real application (same pipeline as production) on its own database and Redis key
 * prefix. Each test file passes its own name, so files never share data.
 */
export async function startTestApp(name: string, options: TestAppOptions = {}): Promise<TestApp> {
  if (!options.reuseDatabase) await dropDatabase(name);
  const config = testConfig(name, options.env, options.reuseDatabase ?? false);
  await ensureDatabase(config);
  const app = await createApp(config, options.logger ?? pino({ level: config.logLevel }), options.imports);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const server = app.getHttpAdapter().getInstance().server;
  return {
    app,
    config,
    dataSource: app.get(DataSource),
    http: () => request(server),
    close: () => app.close(),
  };
}
