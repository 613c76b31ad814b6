// Shared by the scripts in bench/measurements/: each runs the built app (dist/) in its own process on a
// scratch database (dropped before and after), measures one thing, and prints exactly one JSON line on
// stdout; progress goes to stderr. bench/run.mjs runs them after the scenarios (see bench/README.md).
import 'reflect-metadata';
import { clearInterval, setInterval } from 'node:timers';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchDatabaseName, dropBenchDatabase } from './database.mjs';
import { loadSettings } from './settings.mjs';

const settings = loadSettings();

/** Progress for the reader (stderr: stdout carries only the result line). */
export const progress = (msg) => process.stderr.write(`${msg}\n`);

/** Imports a module of the built app, e.g. dist('src/bootstrap.js'). */
export const dist = (file) => import(pathToFileURL(path.join(settings.root, 'dist', file)).href);

/**
 * Where a measurement keeps its data: BENCH_DATABASE_URL's database with `_<name>` appended (so it
 * contains "bench" and is never the scenarios' database), BENCH_REDIS_URL with a key prefix of its own.
 */
export function scratchTarget(name) {
  const url = new URL(settings.databaseUrl);
  url.pathname = `/${url.pathname.slice(1)}_${name.replace(/\W/g, '_')}`;
  const database = benchDatabaseName(url.toString());
  return { database, databaseUrl: url.toString(), redisUrl: settings.redisUrl, redisKeyPrefix: `bench-${name}:` };
}

/** Starts the built app on the scratch database (not listening: measurements call its services directly). */
export async function startApp(target, env = {}) {
  const [{ createApp }, { loadConfig }, { ensureDatabase }, { pino }] = await Promise.all([
    dist('src/bootstrap.js'),
    dist('src/config/app-config.js'),
    dist('src/infrastructure/database/prepare-database.js'),
    import('pino'),
  ]);
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: target.databaseUrl,
    REDIS_URL: target.redisUrl,
    REDIS_KEY_PREFIX: target.redisKeyPrefix,
    JWT_SECRET: 'bench-only-secret-not-for-production-0123456789',
    JOBS_ENABLED: 'false',
    LOG_LEVEL: 'silent',
    ...env,
  });
  await ensureDatabase(config);
  const app = await createApp(config, pino({ level: 'silent' }));
  await app.init();
  return app;
}

/** Samples heapUsed and rss every 5 ms from a baseline taken after a GC (run node with --expose-gc). */
export function memorySampler() {
  globalThis.gc?.();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 5);
  const mb = (n) => Math.round((n / 2 ** 20) * 10) / 10;
  return {
    stop() {
      clearInterval(timer);
      return {
        gcExposed: typeof globalThis.gc === 'function',
        heapBeforeMB: mb(before.heapUsed),
        heapPeakMB: mb(peakHeap),
        heapPeakDeltaMB: mb(peakHeap - before.heapUsed),
        rssBeforeMB: mb(before.rss),
        rssPeakMB: mb(peakRss),
      };
    },
  };
}

export const seconds = (startedNs) => Number(process.hrtime.bigint() - startedNs) / 1e9;

/**
 * Runs one measurement: drops its scratch database, calls measure(target), drops the database again,
 * prints one JSON line { name, …what measure returned, ok } and exits 1 when a check failed or the
 * measurement threw (the line then carries `error`). measure returns at least:
 *   figures  one short line for the report ("10000 in 8.3 s = 1211 renewals/s"), plus raw numbers
 *            (count, seconds, perSecond, …) as further fields
 *   target   { description, pass } or null (figures recorded, nothing judged)
 *   detail   what was measured and how, one line
 *   checks   [{ what, ok }]: its own correctness checks (not the performance target)
 */
export async function runMeasurement(name, measure) {
  const target = scratchTarget(name);
  let result;
  try {
    await dropBenchDatabase(target.databaseUrl);
    const figures = await measure(target);
    const checks = figures.checks ?? [];
    result = { name, ...figures, checks, ok: checks.every((c) => c.ok) };
  } catch (error) {
    progress(error.stack ?? String(error));
    result = { name, ok: false, checks: [], error: String(error.message ?? error) };
  }
  try {
    await dropBenchDatabase(target.databaseUrl);
  } catch (error) {
    progress(`could not drop ${target.database}: ${error.message}`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(result.ok ? 0 : 1);
}
