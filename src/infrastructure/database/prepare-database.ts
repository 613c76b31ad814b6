import mysql from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config.js';

/** Thrown at boot when MySQL cannot be reached; main.ts prints its message as one line and exits. */
export class DatabaseUnreachableError extends Error {}

/** Creates the configured database if missing, so a fresh machine needs no manual step. */
export async function ensureDatabase(config: AppConfig): Promise<void> {
  const { db } = config;
  let connection: mysql.Connection | undefined;
  try {
    connection = await mysql.createConnection({
      host: db.host,
      port: db.port,
      user: db.user,
      password: db.password,
      connectTimeout: db.connectTimeoutMs,
    });
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${db.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } catch (error) {
    const reason = (error as { code?: string; message?: string }).code ?? (error as Error).message;
    throw new DatabaseUnreachableError(
      `Cannot reach MySQL at ${db.host}:${db.port} as "${db.user}" (${reason}). ` +
        `Start it (docker compose up -d) or point DATABASE_URL=mysql://user:pass@host:port/db at a running server.`,
    );
  } finally {
    await connection?.end().catch(() => undefined);
  }
}

/**
 * The migration lock's name, per database: named locks are server-wide, so with one name every database on
 * the server (test databases of parallel checkouts, other deployments) waited for whichever migrated first.
 * Hashed to stay within the 64 characters a lock name may have.
 */
const MIGRATION_LOCK = `CONCAT('mainspring:migrations:', LEFT(SHA1(DATABASE()), 32))`;

/** Applies pending migrations under a MySQL named lock, so instances starting together migrate once. */
export async function runMigrationsLocked(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    const [{ locked }] = await runner.query(`SELECT GET_LOCK(${MIGRATION_LOCK}, 120) AS locked`);
    if (Number(locked) !== 1) throw new Error('Timed out waiting for the migration lock held by another instance');
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query(`SELECT RELEASE_LOCK(${MIGRATION_LOCK})`);
    }
  } finally {
    await runner.release();
  }
}

/**
 * TypeORM's dialect for the server at hand. The app talks to MariaDB and MySQL alike as "mysql", but
 * schema diffs (migration:generate, the drift test) must use "mariadb" there: the two report column
 * defaults differently, and the "mysql" dialect would see changes that are not there.
 */
export async function schemaDialect(
  query: (sql: string) => Promise<{ version: string }[]>,
): Promise<'mysql' | 'mariadb'> {
  const [{ version }] = await query('SELECT VERSION() AS version');
  return String(version).includes('MariaDB') ? 'mariadb' : 'mysql';
}
