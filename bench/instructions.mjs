// Instructions per request, counted by valgrind (callgrind), for comparing pipelines on a busy
// machine: an instruction count does not depend on what else the machine runs, where req/s and even
// CPU time per request swing by ±50 % on a shared box (bench/README.md). Each server runs under
// `valgrind --tool=callgrind --instr-atstart=no`; the driver (this process, not counted) warms it up
// with WARMUP requests so V8 has compiled the hot path, switches counting on, sends COUNT requests
// (CONNECTIONS, keep-alive, autocannon), dumps, and divides the counted instructions by COUNT.
// Instructions are not time (a cache miss costs more than an add), so this ranks changes of the
// CPU work per request; req/s ratios still come from `npm run bench` on a quiet machine.
// Usage: node bench/instructions.mjs <path> <server> [<server> …]
//   <server>: a baseline of bench/lib/servers.mjs, optionally with its path (nest, fastify,
//   fastify-mysql:/products/1), or a build directory of the service (a copy of dist/, or dist itself)
//   env: COUNT (default 3000), WARMUP (default 3000), AB_BEARER=1 (register a customer, send its token),
//   AB_ENV=K=V,… (extra settings for the service builds, e.g. CACHE_ENABLED=false for the cold read),
//   CONNECTIONS (default 32; 1 makes every request its own event-loop turn: the count then no longer
//   depends on how many requests a turn batches, which moves with the machine's load, bench/README.md),
//   a path with `:productId` gets a product inserted with SQL (the schema is the first service's migrations)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort, waitForHttp } from './lib/children.mjs';
import { connectTo, dropBenchDatabase } from './lib/database.mjs';
import { bearer, registerCustomer } from './lib/fixtures.mjs';
import { makeHttp } from './lib/scenarios.mjs';
import { SERVERS } from './lib/servers.mjs';
import { loadSettings } from './lib/settings.mjs';

const [route = '/health/live', ...targets] = process.argv.slice(2);
const COUNT = Number(process.env.COUNT ?? 3000);
const WARMUP = Number(process.env.WARMUP ?? 3000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const settings = loadSettings();
const PRODUCT_ID = '01900000-0000-7000-8000-00000000beef';

/**
 * The product a `:productId` path reads, inserted with SQL once the first service has created the schema
 * (not through the API: that needs an admin, whose argon2 hash takes minutes under valgrind).
 */
async function ensureProduct() {
  const db = await connectTo(settings.databaseUrl);
  try {
    await db.query(
      `INSERT IGNORE INTO products (id, sku, name, description, price_cents, currency, active, version, created_at, updated_at)
       VALUES (?, 'INS-1', 'Instruction counter', 'A product for bench/instructions.mjs', 1999, 'EUR', 1, 1, NOW(3), NOW(3))`,
      [PRODUCT_ID],
    );
    await db.query('INSERT IGNORE INTO stock_levels (product_id, on_hand, reserved) VALUES (?, 100, 0)', [PRODUCT_ID]);
  } finally {
    await db.end();
  }
}

const load = (url, amount, headers) =>
  new Promise((resolve, reject) =>
    autocannon({ url, amount, connections: CONNECTIONS, headers, timeout: 60 }, (error, result) =>
      error ? reject(error) : resolve(result),
    ),
  );

/** valgrind names its control pipe after the server's USER and HOST variables: the same ones must be given here. */
function callgrindControl(pid, host, ...args) {
  const env = { PATH: process.env.PATH };
  if (host !== undefined) env.HOST = host;
  const r = spawnSync('callgrind_control', [...args, String(pid)], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`callgrind_control ${args.join(' ')}: ${r.stderr || r.stdout}`);
}

/** AB_ENV="CACHE_ENABLED=false,…": settings every service build runs with (e.g. the cold read). */
const extraEnv = Object.fromEntries(
  (process.env.AB_ENV ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);

/** A baseline of bench/lib/servers.mjs (`name` or `name:/path`), or a build directory of the service. */
function serverOf(target) {
  const [name, ...rest] = target.split(':');
  const baseline = SERVERS[name];
  if (baseline && baseline.script !== SERVERS.service.script) {
    return {
      isService: false,
      script: path.join(settings.root, baseline.script),
      env: baseline.env?.(settings) ?? {},
      readyPath: baseline.readyPath,
      path: rest.length > 0 ? rest.join(':') : baseline.request.path,
    };
  }
  return {
    isService: true,
    script: path.resolve(target, 'src/main.js'),
    env: { ...SERVERS.service.env(settings), ADMIN_EMAIL: '', ADMIN_PASSWORD: '', ...extraEnv },
    readyPath: '/health/ready',
    path: route.replace(':productId', PRODUCT_ID),
  };
}

async function count(target) {
  const { isService, script, env: serverEnv, readyPath, path: requestPath } = serverOf(target);
  const port = await freePort();
  const out = `/tmp/callgrind-${process.pid}-${port}.out`;
  const child = spawn(
    'valgrind',
    ['--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${out}`, process.execPath, script],
    {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        // No bootstrap admin: its argon2 hash at start takes minutes under valgrind.
        ...serverEnv,
        PORT: String(port),
      },
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  );
  child.label = target;
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(url + readyPath, child, 600_000);
    const headers = {};
    if (process.env.AB_BEARER === '1' && isService) {
      Object.assign(headers, bearer((await registerCustomer({ http: makeHttp(url), runId: 'ins' })).token));
    }
    if (isService && route.includes(':productId')) await ensureProduct();
    const address = url + requestPath;
    await load(address, WARMUP, headers);
    callgrindControl(child.pid, serverEnv.HOST, '--instr=on');
    callgrindControl(child.pid, serverEnv.HOST, '--zero');
    const result = await load(address, COUNT, headers);
    callgrindControl(child.pid, serverEnv.HOST, '--dump');
    // The dump is written by the server process after callgrind_control returns: wait for its totals line.
    let summary;
    for (let tries = 0; !summary && tries < 3000; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const text = existsSync(`${out}.1`) ? readFileSync(`${out}.1`, 'utf8') : '';
      summary = /^totals: (\d+)/m.exec(text) ?? /^summary: (\d+)/m.exec(text);
    }
    rmSync(`${out}.1`, { force: true });
    if (!summary) throw new Error(`${target}: no callgrind dump`);
    const served = result.requests.total;
    return { target, served, non2xx: result.non2xx, perRequest: Number(summary[1]) / served };
  } finally {
    child.kill('SIGKILL');
    rmSync(out, { force: true });
    for (const file of spawnSync('sh', ['-c', `ls /tmp/vgdb-pipe-*-${child.pid}-* 2>/dev/null`], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean))
      rmSync(file, { force: true });
  }
}

await dropBenchDatabase(settings.databaseUrl);
const rows = [];
for (const target of targets) {
  const row = await count(target);
  rows.push(row);
  console.log(
    `${row.target.padEnd(24)} ${Math.round(row.perRequest).toLocaleString('en')} instructions/request (${row.served} requests, non-2xx ${row.non2xx})`,
  );
}
const base = rows[0];
for (const row of rows.slice(1))
  console.log(`${row.target.padEnd(24)} ${(row.perRequest / base.perRequest).toFixed(2)}× ${base.target}`);
