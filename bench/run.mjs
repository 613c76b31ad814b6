// `npm run bench`: builds the service, starts it and the baseline servers, runs every scenario in
// bench/scenarios/ as interleaved pairs (baseline, service, baseline, service, …), then every
// measurement in bench/measurements/ (one child process each), and writes
// bench/results/<timestamp>.json, bench/RESULTS.md and bench/latency.svg. See bench/README.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { dropBenchDatabase } from './lib/database.mjs';
import { freePort, killAllNow, pinning, spawnNode, stopAll, waitForHttp } from './lib/children.mjs';
import { measure } from './lib/load.mjs';
import { writeReport } from './lib/report.mjs';
import { contextFor, loadScenarios, participantsOf, serversNeeded } from './lib/scenarios.mjs';
import { isService, SERVERS } from './lib/servers.mjs';
import { loadSettings } from './lib/settings.mjs';
import { medianOfRatios, median, round } from './lib/stats.mjs';

const log = (msg) => console.log(msg);
const rank = (name) => (name === 'service' ? 0 : isService(name) ? 1 : 2);
const settings = loadSettings();
const RESULTS_DIR = path.join(settings.root, 'bench', 'results');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const loadAverageAtStart = os.loadavg().map((n) => Math.round(n * 100) / 100);

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`\n${signal}: stopping everything the bench started`);
    stopAll(3000).finally(() => process.exit(130));
  });
}
process.on('exit', killAllNow);

function checkInterrupted() {
  if (interrupted) throw new Error('interrupted');
}

async function startServer(name) {
  const def = SERVERS[name];
  const port = await freePort();
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    ...(def.env?.(settings) ?? {}),
    PORT: String(port),
  };
  const nodeArgs = [];
  if (isService(name) && settings.cpuProfile) {
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${path.join(RESULTS_DIR, 'profiles')}`);
  }
  let logFd;
  let logFile;
  if (def.logToFile) {
    logFile = path.join(RESULTS_DIR, `${name}-${stamp}.log`);
    logFd = openSync(logFile, 'a');
  }
  const child = spawnNode([...nodeArgs, path.join(settings.root, def.script)], {
    cpu: pinning?.server,
    env,
    stdout: logFd ?? 'ignore',
    stderr: 'pipe',
    label: name,
  });
  if (logFd !== undefined) closeSync(logFd);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(url + def.readyPath, child, settings.startTimeoutMs);
  } catch (error) {
    throw new Error(`${error.message}\n${stderr.trim()}${logFile ? `\n(service log: ${logFile})` : ''}`);
  }
  log(`  ${name} ready on ${url}${logFile ? ` (log: ${path.relative(settings.root, logFile)})` : ''}`);
  return { url, pid: child.pid };
}

function line(label, r) {
  return (
    `    ${label.padEnd(28)} ${round(r.rps, 0).padStart(7)} req/s  p50 ${round(r.latency.p50)} ms  p99 ${round(r.latency.p99)} ms` +
    `  errors ${r.errors + r.timeouts}  non2xx ${r.non2xx}  server CPU ${round(r.serverCpuUsPerRequest, 1)} µs/req`
  );
}

/** Aggregates one scenario's runs: medians of each participant, median of pairwise ratios to each reference. */
function summarise(scenario, participants, runs, verification) {
  const subjectRuns = runs[participants.length - 1];
  const rows = participants.map((p, i) => {
    const rs = runs[i];
    const row = {
      label: p.label,
      role: p.role,
      server: p.server,
      requests: p.requests.map((r) => `${r.method} ${r.path}`),
      rps: median(rs.map((r) => r.rps)),
      p50: median(rs.map((r) => r.latency.p50)),
      p90: median(rs.map((r) => r.latency.p90)),
      p99: median(rs.map((r) => r.latency.p99)),
      cpuUsPerRequest: median(rs.map((r) => r.serverCpuUsPerRequest ?? NaN)),
      errors: rs.reduce((n, r) => n + r.errors + r.timeouts, 0),
      non2xx: rs.reduce((n, r) => n + r.non2xx, 0),
      connections: rs[0]?.connections,
      runs: rs,
    };
    const bg = rs.map((r) => r.background).filter(Boolean);
    if (bg.length > 0) {
      row.background = {
        requests: p.background.requests.map((r) => `${r.method} ${r.path}`),
        connections: p.background.connections,
        rps: median(bg.map((b) => b.rps)),
        p50: median(bg.map((b) => b.latency.p50)),
        p99: median(bg.map((b) => b.latency.p99)),
        errors: bg.reduce((n, b) => n + b.errors + b.timeouts, 0),
        non2xx: bg.reduce((n, b) => n + b.non2xx, 0),
      };
    }
    if (p.role !== 'subject' && runs[participants.length - 1].length > 0) {
      const rps = medianOfRatios(
        subjectRuns.map((r) => r.rps),
        rs.map((r) => r.rps),
      );
      const p99 = medianOfRatios(
        subjectRuns.map((r) => r.latency.p99),
        rs.map((r) => r.latency.p99),
      );
      row.subjectRpsRatio = rps.median;
      row.subjectRpsRatios = rps.ratios;
      row.subjectP99Ratio = p99.median;
      row.subjectP99Ratios = p99.ratios;
      const cpu = medianOfRatios(
        subjectRuns.map((r) => r.serverCpuUsPerRequest ?? NaN),
        rs.map((r) => r.serverCpuUsPerRequest ?? NaN),
      );
      row.subjectCpuRatio = cpu.median;
      row.subjectCpuRatios = cpu.ratios;
    }
    return row;
  });
  const subject = rows.at(-1);
  const primary = rows[0];
  let verdict = null;
  if (scenario.targets) {
    const t = { maxNon2xx: 0, ...scenario.targets };
    const checks = [];
    if (t.minRatio !== undefined)
      checks.push({ what: `req/s ≥ ${t.minRatio}× baseline`, ok: primary.subjectRpsRatio >= t.minRatio });
    if (t.maxP99Ratio !== undefined)
      checks.push({ what: `p99 ≤ ${t.maxP99Ratio}× baseline`, ok: primary.subjectP99Ratio <= t.maxP99Ratio });
    checks.push({ what: `non-2xx + errors ≤ ${t.maxNon2xx}`, ok: subject.non2xx + subject.errors <= t.maxNon2xx });
    if (t.maxBackgroundNon2xx !== undefined && subject.background)
      checks.push({
        what: `background non-2xx + errors ≤ ${t.maxBackgroundNon2xx}`,
        ok: subject.background.non2xx + subject.background.errors <= t.maxBackgroundNon2xx,
      });
    verdict = { targets: t, checks, pass: checks.every((c) => c.ok) };
  }
  if (verification) {
    verdict ??= { targets: {}, checks: [], pass: true };
    verdict.checks.push({ what: `check after the runs: ${verification.detail}`, ok: verification.ok });
    verdict.pass = verdict.checks.every((c) => c.ok);
  }
  return { name: scenario.name, description: scenario.description ?? '', target: scenario.target, rows, verdict };
}

/** A ramp scenario: one run per connection count on the subject alone; the knee is the first count whose p99 passes the limit. */
async function runRamp(scenario, participant) {
  const limitMs = scenario.rampP99Ms ?? 250;
  const steps = [];
  for (const connections of scenario.ramp) {
    checkInterrupted();
    const result = await measure({
      url: urls[participant.server],
      requests: participant.requests,
      settings,
      serverPid: pids[participant.server],
      connections,
    });
    log(line(`${connections} connections`, result));
    steps.push({
      connections,
      rps: result.rps,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      cpuUsPerRequest: result.serverCpuUsPerRequest,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
    });
  }
  const knee = steps.find((s) => s.p99 > limitMs);
  const non2xx = steps.reduce((n, s) => n + s.non2xx + s.errors, 0);
  log(
    knee
      ? `  knee: p99 passes ${limitMs} ms at ${knee.connections} connections (${round(knee.p99)} ms)`
      : `  knee: p99 stays under ${limitMs} ms up to ${scenario.ramp.at(-1)} connections`,
  );
  return {
    name: scenario.name,
    description: scenario.description ?? '',
    target: scenario.target,
    ramp: { limitMs, steps, kneeConnections: knee?.connections ?? null },
    rows: [],
    verdict: {
      targets: {},
      checks: [{ what: `non-2xx + errors = 0 at every step (${non2xx})`, ok: non2xx === 0 }],
      pass: non2xx === 0,
    },
  };
}

const MEASUREMENTS_DIR = path.join(settings.root, 'bench', 'measurements');
const MEASUREMENT_TIMEOUT_MS = 900_000;

/** bench/measurements/<name>.mjs → name (BENCH_ONLY uses it). */
function loadMeasurements() {
  return readdirSync(MEASUREMENTS_DIR)
    .filter((f) => f.endsWith('.mjs'))
    .sort()
    .map((f) => ({ name: f.slice(0, -'.mjs'.length), file: path.join(MEASUREMENTS_DIR, f) }));
}

/**
 * Runs one measurement script pinned like the servers (with --expose-gc, for its memory baseline),
 * relays its progress (stderr), and parses the one JSON line it prints on stdout. It passes when it
 * exited 0 (its own checks held) and met its target, if it has one.
 */
async function runMeasurement(m) {
  const child = spawnNode(['--expose-gc', m.file], {
    cpu: pinning?.server,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      BENCH_DATABASE_URL: settings.databaseUrl,
      BENCH_REDIS_URL: settings.redisUrl,
    },
    label: m.name,
  });
  child.stdin.end();
  let stdout = '';
  let stderrTail = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderrTail = (stderrTail + d).slice(-4000);
    for (const l of d.split('\n').filter(Boolean)) log(`    ${l}`);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), MEASUREMENT_TIMEOUT_MS);
  const [exitCode, signal] = await once(child, 'exit');
  clearTimeout(timer);
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  let figures;
  try {
    figures = JSON.parse(lastLine);
  } catch {
    figures = {
      name: m.name,
      error: `no JSON result line (exit ${exitCode ?? signal}): ${stderrTail.trim().split('\n').at(-1) ?? ''}`,
    };
  }
  const checksOk = exitCode === 0 && figures.ok !== false && !figures.error;
  const pass = checksOk && (figures.target?.pass ?? true);
  return { ...figures, name: m.name, exitCode, signal, checksOk, pass };
}

function measurementLine(r) {
  const target = r.target ? `target ${r.target.description}: ${r.target.pass ? 'PASS' : 'FAIL'}` : 'no target';
  const failedChecks = (r.checks ?? []).filter((c) => !c.ok).map((c) => c.what);
  const checks = r.error
    ? `FAILED: ${r.error}`
    : r.checksOk
      ? 'checks ok'
      : `checks FAILED${failedChecks.length > 0 ? `: ${failedChecks.join('; ')}` : ` (exit ${r.exitCode ?? r.signal})`}`;
  return `  ${r.name}: ${r.figures ?? 'no figures'}; ${target}; ${checks}`;
}

const urls = {};
const pids = {};

async function main() {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const all = await loadScenarios(path.join(settings.root, 'bench', 'scenarios'));
  const measurements = loadMeasurements();
  for (const m of measurements)
    if (all.has(m.name)) throw new Error(`"${m.name}" is both a scenario and a measurement: rename one`);
  for (const name of settings.only)
    if (!all.has(name) && !measurements.some((m) => m.name === name))
      throw new Error(
        `BENCH_ONLY: unknown scenario or measurement "${name}" (scenarios: ${[...all.keys()].join(', ')}; measurements: ${measurements.map((m) => m.name).join(', ')})`,
      );
  const chosen = (name) => settings.only.length === 0 || settings.only.includes(name);
  const selected = [...all.values()].filter((s) => chosen(s.name));
  const selectedMeasurements = measurements.filter((m) => chosen(m.name));
  const needed = serversNeeded(selected, all);

  log(
    `bench: ${selected.length} scenario(s), ${settings.pairs} pairs × ${settings.durationSeconds} s (+${settings.warmupSeconds} s warm-up), ${settings.connections} connections; ${selectedMeasurements.length} measurement(s)`,
  );
  log(
    pinning
      ? `  pinning: servers on CPU ${pinning.server}, load generator on CPU ${pinning.load}`
      : '  pinning: off (needs taskset and ≥ 2 CPUs)',
  );

  const services = [...needed].filter(isService);
  // Measurements import the built app from dist/ too.
  if ((services.length > 0 || selectedMeasurements.length > 0) && settings.build) {
    log('  building the service (npm run build)…');
    const build = spawnSync('npm', ['run', 'build'], {
      cwd: settings.root,
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 300_000,
    });
    if (build.status !== 0) throw new Error(`npm run build failed (status ${build.status})`);
  }
  if (!settings.keepDatabase && (services.length > 0 || needed.has('fastify-mysql')))
    await dropBenchDatabase(settings.databaseUrl);

  // The service first (it runs the migrations and creates the bootstrap admin), then its variants, then the rest.
  const order = [...needed].sort((a, b) => rank(a) - rank(b));
  for (const name of order) {
    checkInterrupted();
    ({ url: urls[name], pid: pids[name] } = await startServer(name));
  }

  const runId = stamp.replace(/\W/g, '').toLowerCase();
  const scenarioResults = [];
  for (const scenario of selected) {
    checkInterrupted();
    log(`\nscenario ${scenario.name}: ${scenario.description ?? ''}`);
    const participants = await participantsOf(scenario, all, urls, runId, log);
    if (scenario.ramp) {
      scenarioResults.push(await runRamp(scenario, participants.at(-1)));
      continue;
    }
    const runs = participants.map(() => []);
    const pairs = Math.max(settings.pairs, scenario.minPairs ?? 0);
    for (let pair = 0; pair < pairs; pair++) {
      log(`  pair ${pair + 1}/${pairs}`);
      for (const [i, p] of participants.entries()) {
        checkInterrupted();
        const result = await measure({
          url: urls[p.server],
          requests: p.requests,
          settings,
          serverPid: pids[p.server],
          connections: p.connections,
          rate: p.rate,
          background: p.background,
        });
        runs[i].push(result);
        log(line(p.label, result));
        if (result.background) log(line(`  (background)`, result.background));
      }
    }
    let verification;
    if (scenario.verify) {
      const ctx = contextFor(scenario, urls, runId, log);
      try {
        verification = await scenario.verify(ctx, participants.at(-1).state, runs.at(-1));
      } catch (error) {
        verification = { ok: false, detail: `verify failed: ${error.message}` };
      }
      log(`  check: ${verification.ok ? 'ok' : 'FAILED'} — ${verification.detail}`);
    }
    const summary = summarise(scenario, participants, runs, verification);
    for (const row of summary.rows.slice(0, -1)) {
      log(
        `  ${scenario.name} / ${row.label}: req/s ratio ${round(row.subjectRpsRatio)} (pairs ${row.subjectRpsRatios.map((r) => round(r)).join(', ')}), ` +
          `p99 ratio ${round(row.subjectP99Ratio)}, CPU/request ratio ${round(row.subjectCpuRatio)}`,
      );
    }
    if (summary.verdict)
      log(
        `  target: ${summary.verdict.pass ? 'PASS' : 'FAIL'} (${summary.verdict.checks.map((c) => `${c.what}: ${c.ok ? 'ok' : 'missed'}`).join('; ')})`,
      );
    scenarioResults.push(summary);
  }

  // Measurements run after the scenarios, with the servers stopped: each is its own process on its own
  // scratch database, pinned to the servers' CPU.
  await stopAll(5000);
  const measurementResults = [];
  for (const m of selectedMeasurements) {
    checkInterrupted();
    log(`\nmeasurement ${m.name}`);
    const result = await runMeasurement(m);
    log(measurementLine(result));
    measurementResults.push(result);
  }

  const cpus = os.cpus();
  const report = {
    date: new Date().toISOString(),
    machine: {
      nproc: os.availableParallelism(),
      cpuModel: cpus[0]?.model ?? 'unknown',
      node: process.version,
      nodePath: process.execPath,
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      loadAverageAtStart,
      loadAverageAtEnd: os.loadavg().map((n) => Math.round(n * 100) / 100),
    },
    settings: {
      durationSeconds: settings.durationSeconds,
      warmupSeconds: settings.warmupSeconds,
      pairs: settings.pairs,
      connections: settings.connections,
      pinning,
      only: settings.only,
      cpuProfile: settings.cpuProfile,
    },
    servers: Object.fromEntries([...needed].map((n) => [n, SERVERS[n].description])),
    scenarios: scenarioResults,
    measurements: measurementResults,
  };
  const jsonFile = path.join(RESULTS_DIR, `${stamp}.json`);
  writeFileSync(jsonFile, JSON.stringify(report, null, 2) + '\n');
  log(`\nraw results: ${path.relative(settings.root, jsonFile)}`);
  if (settings.writeReport && (settings.only.length === 0 || settings.forceReport)) {
    await writeReport(report, path.join(settings.root, 'bench'));
    log('report: bench/RESULTS.md, chart: bench/latency.svg');
  } else {
    log('RESULTS.md and latency.svg left as they were (subset run or BENCH_REPORT=0)');
  }
  const failed = [
    ...scenarioResults.filter((s) => s.verdict && !s.verdict.pass).map((s) => s.name),
    ...measurementResults.filter((r) => !r.pass).map((r) => r.name),
  ];
  if (failed.length > 0) log(`targets missed: ${failed.join(', ')}`);
}

try {
  await main();
} catch (error) {
  if (!interrupted) {
    console.error(`bench failed: ${error.stack ?? error}`);
    process.exitCode = 1;
  }
} finally {
  await stopAll(5000);
}
