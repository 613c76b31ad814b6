// Interleaved A/B of whole builds of the service over HTTP: for comparing a change of the pipeline
// against the build before it on the same machine at the same moment (bench/README.md, "what each
// change bought"). Each build directory is a copy of `dist/` (e.g. `cp -r dist /tmp/dist-before`);
// bare NestJS runs beside them as the reference. Rounds alternate the servers, each run 2 s warm-up
// + DURATION s measured, servers pinned to the last CPU and the load generator to CPU 0, as
// `npm run bench` does; it prints each server's median req/s and CPU µs per request, and ratios.
// Usage: node bench/ab-builds.mjs <path> <rounds> <dist-dir-A> [<dist-dir-B> …]
//   e.g. node bench/ab-builds.mjs /health/live 5 /tmp/dist-before dist
//   (a bearer path: AB_BEARER=1 registers a customer on the first build and sends its token)
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { freePort, pinning, spawnNode, stopAll, waitForHttp } from './lib/children.mjs';
import { dropBenchDatabase } from './lib/database.mjs';
import { bearer, registerCustomer } from './lib/fixtures.mjs';
import { measure } from './lib/load.mjs';
import { makeHttp } from './lib/scenarios.mjs';
import { SERVERS } from './lib/servers.mjs';
import { loadSettings } from './lib/settings.mjs';
import { median } from './lib/stats.mjs';

const [route = '/health/live', roundsArg = '5', ...builds] = process.argv.slice(2);
if (builds.length === 0) throw new Error('usage: node bench/ab-builds.mjs <path> <rounds> <dist-dir> [<dist-dir> …]');
const settings = loadSettings();
const rounds = Number(roundsArg);

async function start(label, script, env) {
  const port = await freePort();
  const logFd = openSync(`/tmp/ab-${label.replace(/\W/g, '_')}.log`, 'w');
  const child = spawnNode([script], {
    cpu: pinning?.server,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', ...env, PORT: String(port) },
    stdout: logFd,
    stderr: 'inherit',
    label,
  });
  closeSync(logFd);
  const url = `http://127.0.0.1:${port}`;
  return { label, url, pid: child.pid, child };
}

try {
  await dropBenchDatabase(settings.databaseUrl);
  const servers = [];
  const nest = await start('nest', path.join(settings.root, SERVERS.nest.script), {});
  await waitForHttp(nest.url + '/', nest.child, 30_000);
  servers.push({ ...nest, path: '/' });
  for (const dir of builds) {
    // One at a time: the first one creates the schema.
    const server = await start(dir, path.resolve(dir, 'src/main.js'), SERVERS.service.env(settings));
    await waitForHttp(server.url + '/health/ready', server.child, 60_000);
    servers.push({ ...server, path: route });
  }
  const headers = {};
  if (process.env.AB_BEARER === '1') {
    Object.assign(headers, bearer((await registerCustomer({ http: makeHttp(servers[1].url), runId: 'ab' })).token));
  }
  const results = new Map(servers.map((s) => [s.label, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const server of servers) {
      const r = await measure({
        url: server.url,
        requests: [{ method: 'GET', path: server.path, headers }],
        settings,
        serverPid: server.pid,
      });
      results.get(server.label).push(r);
      console.log(
        `round ${round} ${server.label.padEnd(24)} ${Math.round(r.rps)} req/s  CPU ${r.serverCpuUsPerRequest?.toFixed(1)} µs/req  non2xx ${r.non2xx}`,
      );
    }
  }
  const summary = (label) => {
    const runs = results.get(label);
    return {
      rps: median(runs.map((r) => r.rps)),
      cpu: median(runs.map((r) => r.serverCpuUsPerRequest)),
    };
  };
  const base = summary('nest');
  for (const server of servers) {
    const s = summary(server.label);
    console.log(
      `${server.label.padEnd(24)} median ${Math.round(s.rps)} req/s (${(s.rps / base.rps).toFixed(2)}× nest)  CPU ${s.cpu.toFixed(1)} µs/req (${(s.cpu / base.cpu).toFixed(2)}× nest)`,
    );
  }
} finally {
  await stopAll();
}
