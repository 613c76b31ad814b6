// What one pod needs (the Kubernetes requests/limits in deploy/k8s and docs/scaling.md): the built service
// as `node dist/src/main.js` in production mode (logging on, jobs on, as in a pod), its RSS and CPU idle,
// then under a short load of each hot read (the bench's load generator), sampling RSS every 50 ms.
//   npm run build && node bench/resources.mjs      (BENCH_DURATION, BENCH_CONNECTIONS as for npm run bench)
// Prints one JSON line; scratch database `mainspring_bench_resources`, dropped before and after.
import { readFileSync } from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';
import path from 'node:path';
import { dropBenchDatabase } from './lib/database.mjs';
import { freePort, spawnNode, stopChild, waitForHttp } from './lib/children.mjs';
import { adminToken, bearer, createProduct, registerCustomer } from './lib/fixtures.mjs';
import { cpuTimeMs, measure } from './lib/load.mjs';
import { SERVERS } from './lib/servers.mjs';
import { makeHttp } from './lib/scenarios.mjs';
import { loadSettings } from './lib/settings.mjs';

const settings = loadSettings();
const databaseUrl = settings.databaseUrl.replace(/\/[^/]*$/, '/mainspring_bench_resources');
const IDLE_SECONDS = 10;

const rssMB = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 102.4) / 10;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

await dropBenchDatabase(databaseUrl);
const port = await freePort();
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  ...SERVERS.service.env({ ...settings, databaseUrl }),
  REDIS_KEY_PREFIX: 'bench-resources:',
  JOBS_ENABLED: 'true', // as in a pod: sweepers, sealer, renewals run
  PORT: String(port),
};
const child = spawnNode([path.join(settings.root, 'dist/src/main.js')], {
  env,
  stdout: 'ignore',
  stderr: 'inherit',
  label: 'service',
});
const url = `http://127.0.0.1:${port}`;
try {
  await waitForHttp(`${url}/health/ready`, child, settings.startTimeoutMs);
  const ctx = { runId: Date.now().toString(36), http: makeHttp(url) };
  const productId = await createProduct(ctx, await adminToken(ctx));
  const customer = await registerCustomer(ctx);

  await sleep(IDLE_SECONDS * 1000);
  const idleCpuBefore = cpuTimeMs(child.pid);
  await sleep(IDLE_SECONDS * 1000);
  const idle = {
    rssMB: rssMB(child.pid),
    cpuMillicores: Math.round((cpuTimeMs(child.pid) - idleCpuBefore) / IDLE_SECONDS),
  };

  const loads = {
    'product-by-id': { method: 'GET', path: `/api/v1/products/${productId}` },
    'product-list': { method: 'GET', path: '/api/v1/products?limit=20' },
    entitlements: { method: 'GET', path: '/api/v1/subscriptions/me/entitlements', headers: bearer(customer.token) },
  };
  const underLoad = {};
  for (const [name, request] of Object.entries(loads)) {
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMB(child.pid))), 50);
    const result = await measure({ url, requests: [request], settings, serverPid: child.pid });
    clearInterval(sampler);
    underLoad[name] = {
      reqPerSec: Math.round(result.requests?.average ?? result.totalRequests / settings.durationSeconds),
      cpuUsPerRequest: Math.round(result.serverCpuUsPerRequest),
      cpuMillicores: Math.round(result.serverCpuMs / settings.durationSeconds),
      peakRssMB: peak,
      non2xx: result.non2xx ?? 0,
    };
  }
  console.log(JSON.stringify({ at: new Date().toISOString(), connections: settings.connections, idle, underLoad }));
} finally {
  await stopChild(child);
  await dropBenchDatabase(databaseUrl);
}
