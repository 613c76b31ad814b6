// Runs one load measurement in child processes pinned to the load CPU: a warm-up, then the measured
// run. Around the measured run it reads the server's CPU time from /proc, so each result also says
// how much server CPU one request cost: far steadier than req/s on a shared machine.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pinning, spawnNode, stopChild } from './children.mjs';

const WORKER = path.join(import.meta.dirname, 'load-worker.mjs');
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of a process, all threads, in ms; undefined where /proc is missing. */
export function cpuTimeMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

async function runWorker(opts) {
  const child = spawnNode([WORKER, JSON.stringify(opts)], {
    cpu: pinning?.load,
    env: { PATH: process.env.PATH, NODE_ENV: 'production' },
    label: 'autocannon',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const timer = setTimeout(() => void stopChild(child, 1000), (opts.durationSeconds + 30) * 1000);
  const [code] = await once(child, 'exit');
  clearTimeout(timer);
  if (code !== 0) throw new Error(`load generator failed (exit ${code}): ${stderr.trim().slice(-1000)}`);
  return JSON.parse(stdout.trim().split('\n').pop());
}

/**
 * One measured run (after its warm-up). `connections` overrides the setting for this run; `rate`
 * (requests/s over all connections) paces it instead of sending as fast as the server answers;
 * `background` ({ url, requests, connections, perConnection }) is a second load fired at the same time from
 * its own process, for the whole warm-up + measured run (e.g. logins while a probe's latency is measured):
 * its summary comes back as `result.background`. `result.warmupStatusCodes` counts the warm-up's
 * answers (scenarios that check invariants afterwards need every request that was sent).
 */
export async function measure({ url, requests, settings, serverPid, connections, rate, background }) {
  const base = { url, requests, connections: connections ?? settings.connections, rate, timeoutSeconds: 10 };
  const backgroundRun = background
    ? runWorker({
        url: background.url ?? url,
        requests: background.requests,
        connections: background.connections ?? settings.connections,
        perConnection: background.perConnection,
        timeoutSeconds: 30,
        durationSeconds: settings.warmupSeconds + settings.durationSeconds,
      })
    : undefined;
  // A failing background run must not become an unhandled rejection while the foreground runs.
  backgroundRun?.catch(() => {});
  let warmupStatusCodes = {};
  if (settings.warmupSeconds > 0) {
    const warm = await runWorker({ ...base, durationSeconds: settings.warmupSeconds });
    warmupStatusCodes = warm.statusCodes ?? {};
  }
  const cpuBefore = cpuTimeMs(serverPid);
  const result = await runWorker({ ...base, durationSeconds: settings.durationSeconds });
  const cpuAfter = cpuTimeMs(serverPid);
  const served = result.totalRequests;
  result.connections = base.connections;
  result.warmupStatusCodes = warmupStatusCodes;
  result.serverCpuMs = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : null;
  result.serverCpuUsPerRequest =
    result.serverCpuMs !== null && served > 0 ? (result.serverCpuMs * 1000) / served : null;
  if (backgroundRun) result.background = await backgroundRun;
  return result;
}
