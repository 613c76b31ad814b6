// Runs one load measurement in a child process (pinned to the load CPU) and returns its summary.
import { once } from 'node:events';
import path from 'node:path';
import { pinning, spawnNode, stopChild } from './children.mjs';

const WORKER = path.join(import.meta.dirname, 'load-worker.mjs');

export async function measure({ url, requests, settings }) {
  const opts = {
    url,
    requests,
    connections: settings.connections,
    durationSeconds: settings.durationSeconds,
    warmupSeconds: settings.warmupSeconds,
    timeoutSeconds: 10,
  };
  const child = spawnNode([WORKER, JSON.stringify(opts)], {
    cpu: pinning?.load,
    env: { PATH: process.env.PATH, NODE_ENV: 'production' },
    stderr: 'pipe',
    label: 'autocannon',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const limitMs = (opts.durationSeconds + opts.warmupSeconds + 30) * 1000;
  const timer = setTimeout(() => void stopChild(child, 1000), limitMs);
  const [code] = await once(child, 'exit');
  clearTimeout(timer);
  if (code !== 0) throw new Error(`load generator failed (exit ${code}): ${stderr.trim().slice(-1000)}`);
  return JSON.parse(stdout.trim().split('\n').pop());
}
