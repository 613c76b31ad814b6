// SQL statements and Redis commands per request of the hot routes (the inputs of docs/scaling.md's model).
// Starts the built service (not production mode, so `x-query-count` is on) on a scratch database with its own
// Redis key prefix, watches Redis with MONITOR (only commands naming that prefix are counted: the machine's
// Redis is shared), and sends each route ROUNDS times one after another.
//   npm run build && node bench/calls-per-request.mjs       → one JSON line: { route: { sql, redis } } (means)
import { spawn } from 'node:child_process';
import path from 'node:path';
import { dropBenchDatabase } from './lib/database.mjs';
import { freePort, spawnNode, stopChild, waitForHttp } from './lib/children.mjs';
import { adminToken, bearer, createProduct, registerCustomer } from './lib/fixtures.mjs';
import { SERVERS } from './lib/servers.mjs';
import { makeHttp } from './lib/scenarios.mjs';
import { loadSettings } from './lib/settings.mjs';

const ROUNDS = 50;
const settings = loadSettings();
const databaseUrl = settings.databaseUrl.replace(/\/[^/]*$/, '/mainspring_bench_calls');
const prefix = `bench-calls-${Date.now().toString(36)}:`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

await dropBenchDatabase(databaseUrl);
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const child = spawnNode([path.join(settings.root, 'dist/src/main.js')], {
  env: {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...SERVERS.service.env({ ...settings, databaseUrl }),
    NODE_ENV: 'development',
    EXPOSE_QUERY_COUNT: 'true',
    LOG_LEVEL: 'warn',
    REDIS_KEY_PREFIX: prefix,
    PORT: String(port),
  },
  stdout: 'ignore',
  stderr: 'inherit',
  label: 'service',
});
const redisUrl = new URL(settings.redisUrl);
const monitor = spawn('redis-cli', ['-h', redisUrl.hostname, '-p', redisUrl.port || '6379', 'monitor']);
let redisCommands = 0;
let partial = '';
monitor.stdout.on('data', (chunk) => {
  const lines = (partial + chunk).split('\n');
  partial = lines.pop();
  for (const line of lines) if (line.includes(prefix)) redisCommands++;
});

try {
  await waitForHttp(`${url}/health/ready`, child, settings.startTimeoutMs);
  const ctx = { runId: Date.now().toString(36), http: makeHttp(url) };
  const admin = await adminToken(ctx);
  const productIds = [];
  for (let i = 0; i < ROUNDS; i++) productIds.push(await createProduct(ctx, admin, { initialStock: 1_000_000 }));
  const customer = await registerCustomer(ctx);
  let version = 1;

  const routes = {
    'GET /products/:id (warm)': () => ctx.http('GET', `/api/v1/products/${productIds[0]}`),
    'GET /products/:id (cold: first read of each product)': (i) => ctx.http('GET', `/api/v1/products/${productIds[i]}`),
    'GET /products?limit=20 (warm)': () => ctx.http('GET', '/api/v1/products?limit=20'),
    'GET /subscriptions/me/entitlements (warm)': () =>
      ctx.http('GET', '/api/v1/subscriptions/me/entitlements', { headers: bearer(customer.token) }),
    'GET /auth/me': () => ctx.http('GET', '/api/v1/auth/me', { headers: bearer(customer.token) }),
    'PATCH /products/:id (audited write)': () =>
      ctx.http('PATCH', `/api/v1/products/${productIds[1]}`, {
        headers: { ...bearer(admin), 'if-match': String(version++) },
        body: { name: `Renamed ${version}` },
      }),
    'POST /inventory/reservations (1 item)': (i) =>
      ctx.http('POST', '/api/v1/inventory/reservations', {
        headers: bearer(admin),
        body: { items: [{ productId: productIds[(i % (ROUNDS - 2)) + 2], quantity: 1 }] },
      }),
  };
  const results = {};
  for (const [name, send] of Object.entries(routes)) {
    await send(0); // warm-up (not counted)
    await sleep(300);
    const redisBefore = redisCommands;
    let sql = 0;
    for (let i = 1; i <= ROUNDS; i++) {
      const res = await send(i % ROUNDS);
      if (res.status >= 300) throw new Error(`${name}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
      sql += Number(res.headers.get('x-query-count'));
    }
    await sleep(300); // MONITOR lines arrive a little after the replies
    results[name] = { sql: sql / ROUNDS, redis: Math.round(((redisCommands - redisBefore) / ROUNDS) * 100) / 100 };
  }
  console.log(JSON.stringify({ at: new Date().toISOString(), rounds: ROUNDS, results }));
} finally {
  monitor.kill();
  await stopChild(child);
  await dropBenchDatabase(databaseUrl);
}
