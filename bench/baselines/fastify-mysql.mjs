// Baseline (c): bare Fastify + mysql2, one primary-key SELECT per request: the floor for a cold DB read.
// GET /rows/:id → the row as JSON, 404 when absent. It owns one table in the bench database
// (created and seeded at start); BASELINE_ROWS sets how many rows (ids 1..N).
import Fastify from 'fastify';
import mysql from 'mysql2/promise';
import { exitWithParent, listenOptions } from './lifecycle.mjs';

const TABLE = 'bench_baseline_rows';
const ROWS = Math.min(Math.max(Number(process.env.BASELINE_ROWS ?? 1000) || 1000, 1), 100_000);
const POOL_SIZE = Math.min(Math.max(Number(process.env.DB_POOL_SIZE ?? 10) || 10, 1), 100);

const url = new URL(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/mainspring_bench');
const database = url.pathname.slice(1);
if (!/^[A-Za-z0-9_]+$/.test(database)) throw new Error(`bad database name "${database}"`);
const connection = {
  host: url.hostname,
  port: Number(url.port || 3306),
  user: decodeURIComponent(url.username || 'root'),
  password: decodeURIComponent(url.password),
};

const admin = await mysql.createConnection(connection);
try {
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${database}\``);
  await admin.query(`USE \`${database}\``);
  await admin.query(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (
       id INT UNSIGNED PRIMARY KEY, sku VARCHAR(64) NOT NULL, name VARCHAR(200) NOT NULL,
       price_cents INT NOT NULL, currency CHAR(3) NOT NULL, created_at DATETIME(3) NOT NULL
     ) ENGINE=InnoDB`,
  );
  const [[{ n }]] = await admin.query(`SELECT COUNT(*) AS n FROM ${TABLE}`);
  if (Number(n) < ROWS) {
    const values = [];
    for (let id = 1; id <= ROWS; id++) values.push([id, `SKU-${id}`, `Product ${id}`, 100 + id, 'EUR', new Date()]);
    await admin.query(`INSERT IGNORE INTO ${TABLE} (id, sku, name, price_cents, currency, created_at) VALUES ?`, [
      values,
    ]);
  }
} finally {
  await admin.end();
}

const pool = mysql.createPool({ ...connection, database, connectionLimit: POOL_SIZE });
const app = Fastify({ logger: false });
app.get('/rows/:id', async (req, reply) => {
  const [rows] = await pool.execute(
    `SELECT id, sku, name, price_cents AS priceCents, currency, created_at AS createdAt FROM ${TABLE} WHERE id = ?`,
    [Number(req.params.id) || 0],
  );
  if (rows.length === 0) return reply.code(404).send({ status: 404, title: 'Not Found' });
  return rows[0];
});

await app.listen(listenOptions());
exitWithParent(async () => {
  await app.close();
  await pool.end();
});
