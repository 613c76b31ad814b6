// Interleaved rounds over the variants of bench/libraries/server.mjs: server CPU µs per request (all
// threads, /proc) and req/s, GET / at 32 connections, server pinned to the last CPU, autocannon to CPU 0.
// INJECT=20000 measures in-process instead (no sockets, no autocannon): steadier on a busy machine.
// Usage: npm run build && npm install --prefix bench/libraries --legacy-peer-deps && node bench/libraries/measure.mjs
import { once } from 'node:events';
import path from 'node:path';
import { freePort, pinning, spawnNode, stopAll, stopChild, waitForHttp } from '../lib/children.mjs';
import { measure } from '../lib/load.mjs';
import { median } from '../lib/stats.mjs';

const VARIANTS = (
  process.env.VARIANTS ?? 'bare,own-context,nestjs-cls,own-log,nestjs-pino,own-rate-limit,throttler'
).split(',');
const ROUNDS = Number(process.env.ROUNDS ?? 3);
/** INJECT=<n>: measure in-process through fastify.inject, n requests per run (see server.mjs), instead of over HTTP. */
const INJECT = process.env.INJECT;
const settings = { connections: 32, warmupSeconds: 2, durationSeconds: Number(process.env.SECONDS ?? 4) };
const results = Object.fromEntries(VARIANTS.map((v) => [v, { cpu: [], rps: [] }]));

try {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const variant of VARIANTS) {
      if (INJECT) {
        const child = spawnNode([path.join(import.meta.dirname, 'server.mjs')], {
          cpu: pinning?.server,
          env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: '1', VARIANT: variant, INJECT },
          label: variant,
        });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        const [code] = await once(child, 'exit');
        if (code !== 0) throw new Error(`${variant} failed (exit ${code})`);
        const { cpuUsPerRequest } = JSON.parse(out.trim().split('\n').pop());
        results[variant].cpu.push(cpuUsPerRequest);
        process.stderr.write(`round ${round} ${variant}: ${cpuUsPerRequest.toFixed(1)} µs/req (inject)\n`);
        continue;
      }
      const port = await freePort();
      const child = spawnNode([path.join(import.meta.dirname, 'server.mjs')], {
        cpu: pinning?.server,
        env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), VARIANT: variant },
        stdout: 'ignore',
        label: variant,
      });
      const url = `http://127.0.0.1:${port}`;
      await waitForHttp(`${url}/`, child, 20_000);
      const r = await measure({ url, requests: [{ method: 'GET', path: '/' }], settings, serverPid: child.pid });
      await stopChild(child);
      results[variant].cpu.push(r.serverCpuUsPerRequest);
      results[variant].rps.push(r.rps);
      process.stderr.write(`round ${round} ${variant}: ${r.serverCpuUsPerRequest?.toFixed(1)} µs/req\n`);
    }
  }
} finally {
  await stopAll();
}
const bare = median(results.bare?.cpu ?? [NaN]);
console.log('| variant | CPU µs / request (median) | over bare NestJS | runs |');
console.log('| --- | --: | --: | --- |');
for (const v of VARIANTS) {
  const cpu = median(results[v].cpu);
  console.log(
    `| ${v} | ${cpu.toFixed(1)} | ${v === 'bare' ? '—' : `+${(cpu - bare).toFixed(1)}`} | ${results[v].cpu.map((c) => c.toFixed(0)).join(', ')} |`,
  );
}
