// bench/RESULTS.md (tables + how to read them) and bench/latency.svg (vega-lite → vega → SVG, headless).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { round } from './stats.mjs';

const ms = (v) => (Number.isFinite(v) ? `${round(v, 2)} ms` : 'n/a');

function rampTable(s) {
  const head =
    '| connections | req/s | p50 | p90 | p99 | server CPU per request | errors | non-2xx |\n|--:|--:|--:|--:|--:|--:|--:|--:|';
  const rows = s.ramp.steps.map(
    (r) =>
      `| ${r.connections} | ${round(r.rps, 0)} | ${ms(r.p50)} | ${ms(r.p90)} | ${ms(r.p99)} | ${Number.isFinite(r.cpuUsPerRequest) ? `${round(r.cpuUsPerRequest, 1)} µs` : 'n/a'} | ${r.errors} | ${r.non2xx} |`,
  );
  const knee =
    s.ramp.kneeConnections === null
      ? `**Knee: p99 stays under ${s.ramp.limitMs} ms up to ${s.ramp.steps.at(-1).connections} connections.**`
      : `**Knee: p99 first passes ${s.ramp.limitMs} ms at ${s.ramp.kneeConnections} connections.**`;
  const checks = s.verdict.checks.map((c) => `${c.what} — ${c.ok ? 'met' : '**missed**'}`).join('; ');
  return `### ${s.name}\n\n${s.description}\n\n${head}\n${rows.join('\n')}\n\n${knee} ${checks}.\n`;
}

function backgroundNote(s) {
  return s.rows
    .filter((r) => r.background)
    .map(
      (r) =>
        `Background load during **${r.label}**: \`${r.background.requests[0]}\`${r.background.requests.length > 1 ? ` (+${r.background.requests.length - 1} more)` : ''} on ${r.background.connections} connections — ${round(r.background.rps, 1)} req/s, p50 ${ms(r.background.p50)}, p99 ${ms(r.background.p99)}, errors ${r.background.errors}, non-2xx ${r.background.non2xx} (medians over the runs; each background run spans the warm-up and the measured run).`,
    )
    .join('  \n');
}

function scenarioTable(s) {
  if (s.ramp) return rampTable(s);
  const head =
    '| run | what is loaded | req/s | p50 | p90 | p99 | server CPU per request | errors | non-2xx | scenario ÷ this: req/s | scenario ÷ this: p99 | scenario ÷ this: CPU per request |\n' +
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|';
  const rows = s.rows.map((r) => {
    const name =
      r.role === 'subject'
        ? `**${r.label}** (${r.server})`
        : `${r.label}${r.role === 'baseline' ? ' *(baseline)*' : ''}`;
    const ratio = r.role === 'subject' ? '—' : `${round(r.subjectRpsRatio)}×`;
    const p99 = r.role === 'subject' ? '—' : `${round(r.subjectP99Ratio)}×`;
    const cpuRatio = r.role === 'subject' ? '—' : `${round(r.subjectCpuRatio)}×`;
    const cpu = Number.isFinite(r.cpuUsPerRequest) ? `${round(r.cpuUsPerRequest, 1)} µs` : 'n/a';
    return `| ${name} | ${r.server}: \`${r.requests.join(', ')}\` | ${round(r.rps, 0)} | ${ms(r.p50)} | ${ms(r.p90)} | ${ms(r.p99)} | ${cpu} | ${r.errors} | ${r.non2xx} | ${ratio} | ${p99} | ${cpuRatio} |`;
  });
  let verdict = '_No target set for this scenario._';
  if (s.verdict) {
    const checks = s.verdict.checks.map((c) => `${c.what} — ${c.ok ? 'met' : '**missed**'}`).join('; ');
    const against = s.rows[0].role === 'subject' ? '' : ` (vs ${s.rows[0].label})`;
    verdict = `**Target${against}: ${s.verdict.pass ? 'PASS' : 'FAIL'}** — ${checks}.`;
  }
  const bg = backgroundNote(s);
  if (bg) verdict += `\n\n${bg}`;
  const pairs = s.rows
    .filter((r) => r.role !== 'subject')
    .map(
      (r) =>
        `${r.label}: req/s ratios ${r.subjectRpsRatios.map((x) => round(x)).join(', ')}; p99 ratios ${r.subjectP99Ratios.map((x) => round(x)).join(', ')}; CPU-per-request ratios ${r.subjectCpuRatios.map((x) => round(x)).join(', ')}`,
    )
    .join('  \n');
  const perPair = pairs ? `\n\nPer-pair ratios (scenario ÷ reference):  \n${pairs}` : '';
  return `### ${s.name}\n\n${s.description}\n\n${head}\n${rows.join('\n')}\n\n${verdict}${perPair}\n`;
}

const cell = (text) =>
  String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');

/** Measurements (bench/measurements/): one row each; PASS needs its own checks and its target (if any). */
function measurementsSection(measurements) {
  if (!measurements?.length) return '';
  const head = '| measurement | figures | target | result | detail |\n|---|---|---|---|---|';
  const rows = measurements.map((r) => {
    const target = r.target ? `${r.target.description} — ${r.target.pass ? 'met' : '**missed**'}` : '_none_';
    const failed = (r.checks ?? []).filter((c) => !c.ok).map((c) => c.what);
    let why = '';
    if (r.error) why = ` (${r.error})`;
    else if (!r.checksOk) why = ` (check failed${failed.length > 0 ? `: ${failed.join('; ')}` : ''})`;
    const detail = [r.detail, r.checksOk ? `checks: ${(r.checks ?? []).map((c) => c.what).join('; ')}` : '']
      .filter(Boolean)
      .join('. ');
    return `| ${r.name} | ${cell(r.figures ?? 'n/a')} | ${cell(target)} | **${r.pass ? 'PASS' : 'FAIL'}**${cell(why)} | ${cell(detail)} |`;
  });
  return `## Measurements

One run each (\`bench/measurements/\`, after the scenarios, servers stopped; its own process pinned to the servers' CPU, its own scratch database). PASS means its correctness checks held and it met its target, if it has one. Absolute figures: they move with the machine's load (see the load average above).

${head}
${rows.join('\n')}
`;
}

export function renderMarkdown(report) {
  const { machine: m, settings: st } = report;
  const pin = st.pinning
    ? `servers on CPU ${st.pinning.server}, load generator on CPU ${st.pinning.load} (taskset)`
    : 'off';
  const servers = Object.entries(report.servers)
    .map(([name, desc]) => `  - \`${name}\`: ${desc}`)
    .join('\n');
  return `# Benchmark results

Generated by \`npm run bench\` (bench/run.mjs) on ${report.date}. Raw numbers of every run: \`bench/results/<timestamp>.json\` (not committed).

${st.only?.length ? `- **Subset run** (\`BENCH_ONLY=${st.only.join(',')}\`, \`BENCH_REPORT=1\`): only these scenarios ran; other scenarios' figures are in earlier reports.\n` : ''}- Node ${m.node} for every process: the service, every baseline and the load generators run on the harness's own binary (\`${m.nodePath ?? 'process.execPath'}\`).
- Machine: ${m.nproc} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}; load average (1/5/15 min) at start ${m.loadAverageAtStart.join(' / ')}, at end ${m.loadAverageAtEnd.join(' / ')}. Shared and noisy: compare ratios, not absolute numbers.
- Settings: ${st.pairs} interleaved pairs per scenario (more where a scenario sets \`minPairs\`), each run ${st.warmupSeconds} s warm-up + ${st.durationSeconds} s measured, ${st.connections} connections, no pipelining; pinning: ${pin}.
- Servers:
${servers}

![Latency percentiles per scenario and baseline](latency.svg)

## How to read this

- Each scenario loads its **subject** (the service route, in bold) and its **references** (the baseline it is judged against, and any extra comparisons) **interleaved**: reference, subject, reference, subject, … — one *pair* per round. Machine noise (other tenants, CPU frequency, GC of a neighbour) drifts over seconds to minutes, so the two halves of a pair see nearly the same machine.
- **Ratios are per pair, then the median**: for each pair, subject req/s ÷ reference req/s (and subject p99 ÷ reference p99); the table shows the **median of those ratios**, with each pair's ratio listed below the table. The median ignores a single disturbed run, where a mean would be dragged by it. A req/s ratio of 0.90× means the service serves 90 % of what the reference serves on the same machine at the same moment; a p99 ratio of 1.2× means its 99th-percentile latency is 20 % higher.
- **Server CPU per request** is the server process's CPU time (all threads, from \`/proc/<pid>/stat\`) during the measured run divided by the requests it answered. It is the steadiest figure on a shared machine: when the box is busy, every server is starved and req/s ratios drift towards 1.0 (the load generator, not the server, becomes the limit), while CPU per request still shows what each request costs. When req/s and CPU ratios disagree, trust the CPU ratio and re-run when the machine is quiet (\`uptime\` load average below the CPU count).
- req/s, p50, p90, p99 columns are the medians of each run's own figures (autocannon: req/s is the mean of per-second samples; latencies are per request, in ms, at ${st.connections} concurrent connections, so they include queueing). errors (socket errors + timeouts) and non-2xx are totals over all measured runs.
- \`nest\` (a bare NestJS-on-Fastify app with one route) is the framework's floor: a service route cannot be faster than it, so its ratio says what the service's own pipeline (hooks, logging, metrics, helmet, etag, guards, interceptors) costs. \`fastify\` (bare Fastify) is the platform's limit. \`fastify-mysql\` (bare Fastify + mysql2, one primary-key SELECT) is the floor for a DB read.
- A target (e.g. req/s ≥ 0.85× nest, p99 ≤ 1.5× nest, zero non-2xx) is judged against the scenario's primary baseline. One run on this box is evidence, not proof: a narrow miss is worth re-running (\`BENCH_ONLY=<name> BENCH_PAIRS=5 npm run bench\`).

How to add a scenario, the settings, and what profiling found: [bench/README.md](README.md).

## Results

${report.scenarios.map(scenarioTable).join('\n')}${report.measurements?.length ? `\n${measurementsSection(report.measurements)}` : ''}`;
}

export async function renderSvg(report) {
  const values = [];
  for (const s of report.scenarios) {
    for (const r of s.ramp?.steps ?? []) {
      for (const pct of ['p50', 'p90', 'p99'])
        values.push({
          scenario: s.name,
          run: `${String(r.connections).padStart(3)} connections`,
          percentile: pct,
          ms: Number.isFinite(r[pct]) ? r[pct] : 0,
        });
    }
    for (const r of s.rows) {
      const run = r.role === 'subject' ? `${r.label} (service)` : r.label;
      for (const pct of ['p50', 'p90', 'p99'])
        values.push({ scenario: s.name, run, percentile: pct, ms: Number.isFinite(r[pct]) ? r[pct] : 0 });
    }
  }
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Latency percentiles (median of runs)',
      subtitle: `${report.settings.connections} connections · ${report.date.slice(0, 10)}`,
    },
    data: { values },
    facet: { row: { field: 'scenario', type: 'nominal', title: null } },
    spec: {
      width: 420,
      height: { step: 14 },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        y: { field: 'run', type: 'nominal', title: null, axis: { labelLimit: 260 } },
        yOffset: { field: 'percentile', sort: ['p50', 'p90', 'p99'] },
        x: { field: 'ms', type: 'quantitative', title: 'latency (ms)' },
        color: { field: 'percentile', type: 'nominal', sort: ['p50', 'p90', 'p99'], title: 'percentile' },
      },
    },
    resolve: { scale: { y: 'independent' } },
    config: { font: 'sans-serif', background: 'white' },
  };
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export async function writeReport(report, benchDir) {
  await writeFile(path.join(benchDir, 'RESULTS.md'), renderMarkdown(report));
  await writeFile(path.join(benchDir, 'latency.svg'), await renderSvg(report));
}
