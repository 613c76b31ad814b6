// Every knob of a bench run, read once from the environment and bounded.
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function int(name, fallback, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function loopbackUrl(name, fallback) {
  const value = process.env[name] || fallback;
  const host = new URL(value).hostname;
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host))
    throw new Error(`${name} must point at loopback, got ${host}`);
  return value;
}

export function loadSettings() {
  const only = (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    root: ROOT,
    durationSeconds: int('BENCH_DURATION', 5, 1, 120),
    warmupSeconds: int('BENCH_WARMUP', 2, 0, 30),
    pairs: int('BENCH_PAIRS', 3, 1, 20),
    connections: int('BENCH_CONNECTIONS', 32, 1, 1000),
    only,
    build: process.env.BENCH_SKIP_BUILD !== '1',
    keepDatabase: process.env.BENCH_KEEP_DB === '1',
    cpuProfile: process.env.BENCH_CPU_PROFILE === '1',
    // Only regenerate RESULTS.md and the chart when the full set ran (a subset still writes its JSON),
    // unless BENCH_REPORT=1 asks for a report of the subset (it says so at its top).
    writeReport: process.env.BENCH_REPORT !== '0',
    forceReport: process.env.BENCH_REPORT === '1',
    databaseUrl: loopbackUrl('BENCH_DATABASE_URL', 'mysql://root@127.0.0.1:3306/mainspring_bench'),
    redisUrl: loopbackUrl('BENCH_REDIS_URL', 'redis://127.0.0.1:6379/9'),
    startTimeoutMs: int('BENCH_START_TIMEOUT_MS', 60_000, 1000, 300_000),
  };
}
