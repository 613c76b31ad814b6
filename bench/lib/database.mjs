// The one way the bench opens a connection to its database, and drops one: only a loopback one whose
// name contains "bench".
import mysql from 'mysql2/promise';

/** A connection to the database of a mysql:// URL (`withDatabase: false`: to the server only). */
export function connectTo(databaseUrl, { withDatabase = true } = {}) {
  const url = new URL(databaseUrl);
  return mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database: withDatabase ? url.pathname.slice(1) : undefined,
    connectTimeout: 5000,
  });
}

/** The database name of a mysql:// URL, refused unless it contains "bench" (≤ 64 word characters). */
export function benchDatabaseName(databaseUrl) {
  const database = new URL(databaseUrl).pathname.slice(1);
  if (!/^\w*bench\w*$/.test(database) || database.length > 64)
    throw new Error(
      `refusing database "${database}": a bench database name must contain "bench" (≤ 64 word characters)`,
    );
  return database;
}

export async function dropBenchDatabase(databaseUrl) {
  const database = benchDatabaseName(databaseUrl);
  const conn = await connectTo(databaseUrl, { withDatabase: false });
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await conn.end();
  }
}
