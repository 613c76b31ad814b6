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

export async function measure({ url, requests, settings, serverPid }) {
  const base = { url, requests, connections: settings.connections, timeoutSeconds: 10 };
  if (settings.warmupSeconds > 0) await runWorker({ ...base, durationSeconds: settings.warmupSeconds });
  const cpuBefore = cpuTimeMs(serverPid);
  const result = await runWorker({ ...base, durationSeconds: settings.durationSeconds });
  const cpuAfter = cpuTimeMs(serverPid);
  const served = result.totalRequests;
  result.serverCpuMs = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : null;
  result.serverCpuUsPerRequest =
    result.serverCpuMs !== null && served > 0 ? (result.serverCpuMs * 1000) / served : null;
  return result;
}
