/* global AbortSignal */
// Every process the harness starts is registered here, so it can stop all of them on success,
// on failure and on Ctrl-C. Stopping is bounded: SIGTERM, then SIGKILL after a grace period.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';

const children = new Set();
const canPin = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
const cpuCount = (await import('node:os')).availableParallelism();

/** Pinning plan: servers on the last CPU, the load generator on CPU 0 (only with ≥ 2 CPUs and taskset). */
export const pinning = canPin && cpuCount >= 2 ? { server: String(cpuCount - 1), load: '0' } : null;

/** Spawns `node args…`, pinned to a CPU list when taskset is there; stdin stays a pipe (closing it tells baselines to exit). */
export function spawnNode(args, { cpu, env, stdout = 'pipe', stderr = 'pipe', label }) {
  const command = cpu && pinning ? 'taskset' : process.execPath;
  const argv = cpu && pinning ? ['-c', cpu, process.execPath, ...args] : args;
  const child = spawn(command, argv, { env, stdio: ['pipe', stdout, stderr] });
  child.label = label;
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function alive(child) {
  return child.exitCode === null && child.signalCode === null;
}

/** Stops one child: SIGTERM, wait up to graceMs, then SIGKILL. */
export async function stopChild(child, graceMs = 5000) {
  if (!alive(child)) return;
  child.stdin?.destroy();
  child.kill('SIGTERM');
  const timer = setTimeout(() => alive(child) && child.kill('SIGKILL'), graceMs);
  await once(child, 'exit').catch(() => {});
  clearTimeout(timer);
}

export async function stopAll(graceMs = 5000) {
  await Promise.all([...children].map((child) => stopChild(child, graceMs)));
}

/** Last resort when the harness itself is exiting: synchronous, no waiting. */
export function killAllNow() {
  for (const child of children) if (alive(child)) child.kill('SIGKILL');
}

/** A free loopback port (the OS picks one; tiny race until the server binds it, fine on a bench box). */
export async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** Polls url until it answers 2xx; fails fast if the child dies, gives up after timeoutMs. */
export async function waitForHttp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!alive(child))
      throw new Error(`${child.label} exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${child.label} not ready at ${url} after ${timeoutMs} ms (${last})`);
}
