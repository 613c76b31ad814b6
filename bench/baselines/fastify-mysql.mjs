// Baseline (c): bare Fastify + mysql2, one primary-key SELECT per request: the floor for a cold DB read.
// GET /rows/:id → the row as JSON, 404 when absent. It owns one table in the bench database
// (created and seeded at start); BASELINE_ROWS sets how many rows (ids 1..N).
// GET /products/:n → the same work as the service's cold product read: a primary-key JOIN of a
// products-like table (CHAR(36) id, the same columns) with a stock table, mapped to the same JSON
// shape ({…, stock: {onHand, reserved, available}}); n = 1..BASELINE_ROWS (ids made from n).
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

/** UUID-shaped CHAR(36) ids, like the service's (UUID v7). */
function productId(n) {
  return `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;
}

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
  await admin.query(
    `CREATE TABLE IF NOT EXISTS ${TABLE}_products (
       id CHAR(36) PRIMARY KEY, sku VARCHAR(64) NOT NULL, name VARCHAR(200) NOT NULL, description TEXT NULL,
       price_cents INT NOT NULL, currency CHAR(3) NOT NULL, active TINYINT(1) NOT NULL, version INT NOT NULL,
       created_at DATETIME(3) NOT NULL, updated_at DATETIME(3) NOT NULL
     ) ENGINE=InnoDB`,
  );
  await admin.query(
    `CREATE TABLE IF NOT EXISTS ${TABLE}_stock (
       product_id CHAR(36) PRIMARY KEY, on_hand INT NOT NULL, reserved INT NOT NULL, version INT NOT NULL
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
  const [[{ p }]] = await admin.query(`SELECT COUNT(*) AS p FROM ${TABLE}_products`);
  if (Number(p) < ROWS) {
    const products = [];
    const stock = [];
    for (let i = 1; i <= ROWS; i++) {
      const id = productId(i);
      const now = new Date();
      products.push([id, `SKU-${i}`, `Product ${i}`, 'A baseline product', 100 + i, 'EUR', 1, 1, now, now]);
      stock.push([id, 1000, 0, 1]);
    }
    await admin.query(
      `INSERT IGNORE INTO ${TABLE}_products (id, sku, name, description, price_cents, currency, active, version, created_at, updated_at) VALUES ?`,
      [products],
    );
    await admin.query(`INSERT IGNORE INTO ${TABLE}_stock (product_id, on_hand, reserved, version) VALUES ?`, [stock]);
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

const PRODUCT_SQL = `SELECT p.id, p.sku, p.name, p.description, p.price_cents, p.currency, p.active, p.version,
  p.created_at, p.updated_at, s.on_hand, s.reserved
  FROM ${TABLE}_products p JOIN ${TABLE}_stock s ON s.product_id = p.id WHERE p.id = ?`;
app.get('/products/:n', async (req, reply) => {
  const [rows] = await pool.execute(PRODUCT_SQL, [productId(Number(req.params.n) || 0)]);
  if (rows.length === 0) return reply.code(404).send({ status: 404, title: 'Not Found' });
  const r = rows[0];
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    description: r.description,
    priceCents: r.price_cents,
    currency: r.currency,
    active: r.active === 1,
    stock: { onHand: r.on_hand, reserved: r.reserved, available: r.on_hand - r.reserved },
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
});

await app.listen(listenOptions());
exitWithParent(async () => {
  await app.close();
  await pool.end();
});
