// `npm run report:mrr`: the MRR series of a running instance, rendered to SVG with vega-lite (the
// charting library the bench report uses). Bars: the month's (or day's) movements, gains up and losses
// down; line: MRR at the end of each bucket. See docs/analytics.md.
//
//   MAINSPRING_URL=http://127.0.0.1:3000 MAINSPRING_TOKEN=<admin access token> npm run report:mrr -- \
//     --from 2026-01-01 --to 2026-12-31 --interval month [--currency USD] [--out docs/mrr.svg]
//   (instead of MAINSPRING_TOKEN: ADMIN_EMAIL and ADMIN_PASSWORD, to log in; or --input series.json, a
//    saved response of GET /api/v1/billing/metrics/mrr, to render without an instance)
import { readFile, writeFile } from 'node:fs/promises';
import { URLSearchParams } from 'node:url';
import { parseArgs } from 'node:util';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

const { AbortSignal } = globalThis;

const MOVEMENTS = [
  ['newCents', 'new', 1],
  ['expansionCents', 'expansion', 1],
  ['reactivationCents', 'reactivation', 1],
  ['contractionCents', 'contraction', -1],
  ['churnCents', 'churn', -1],
];

/** The vega-lite spec of a `{currency, interval, data}` MRR series (amounts in major units). */
export function mrrChartSpec(series) {
  const movements = series.data.flatMap((bucket) =>
    MOVEMENTS.map(([field, kind, sign]) => ({
      periodStart: bucket.periodStart,
      kind,
      amount: (sign * bucket[field]) / 100,
    })),
  );
  const ending = series.data.map((bucket) => ({ periodStart: bucket.periodStart, mrr: bucket.endingMrrCents / 100 }));
  const timeUnit = series.interval === 'month' ? 'utcyearmonth' : 'utcyearmonthdate';
  const x = { field: 'periodStart', type: 'temporal', timeUnit, title: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `MRR (${series.currency})`,
      subtitle: `${series.data[0]?.periodStart.slice(0, 10) ?? ''} – ${series.data.at(-1)?.periodStart.slice(0, 10) ?? ''}, per ${series.interval}`,
    },
    width: 640,
    height: 320,
    layer: [
      {
        data: { values: movements },
        mark: { type: 'bar', opacity: 0.8 },
        encoding: {
          x,
          y: { field: 'amount', type: 'quantitative', aggregate: 'sum', title: `movements / MRR (${series.currency})` },
          color: {
            field: 'kind',
            type: 'nominal',
            sort: MOVEMENTS.map(([, kind]) => kind),
            scale: { range: ['#2ca02c', '#98df8a', '#1f77b4', '#ff9896', '#d62728'] },
            title: 'movement',
          },
        },
      },
      {
        data: { values: ending },
        mark: { type: 'line', point: true, color: 'black' },
        encoding: { x, y: { field: 'mrr', type: 'quantitative' } },
      },
    ],
    config: { font: 'sans-serif', background: 'white' },
  };
}

export async function renderMrrSvg(series) {
  const view = new vega.View(vega.parse(vegaLite.compile(mrrChartSpec(series)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

async function accessToken(baseUrl) {
  if (process.env.MAINSPRING_TOKEN) return process.env.MAINSPRING_TOKEN;
  const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = process.env;
  if (!email || !password) throw new Error('set MAINSPRING_TOKEN, or ADMIN_EMAIL and ADMIN_PASSWORD');
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  return (await res.json()).accessToken;
}

async function fetchSeries({ from, to, interval, currency }) {
  const baseUrl = (process.env.MAINSPRING_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  const query = new URLSearchParams({ from, to, interval, ...(currency ? { currency } : {}) });
  const res = await fetch(`${baseUrl}/api/v1/billing/metrics/mrr?${query}`, {
    headers: { authorization: `Bearer ${await accessToken(baseUrl)}` },
    signal: AbortSignal.timeout(30_000),
  });
  if (res.status !== 200) throw new Error(`GET /billing/metrics/mrr: ${res.status} ${await res.text()}`);
  return res.json();
}

async function main() {
  const year = new Date().getUTCFullYear();
  const { values } = parseArgs({
    options: {
      from: { type: 'string', default: `${year}-01-01` },
      to: { type: 'string', default: new Date().toISOString().slice(0, 10) },
      interval: { type: 'string', default: 'month' },
      currency: { type: 'string' },
      input: { type: 'string' },
      out: { type: 'string', default: 'mrr.svg' },
    },
  });
  const series = values.input ? JSON.parse(await readFile(values.input, 'utf8')) : await fetchSeries(values);
  await writeFile(values.out, await renderMrrSvg(series));
  process.stdout.write(`${values.out}: ${series.data.length} ${series.interval} buckets, MRR ${series.currency}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    process.stderr.write(`report:mrr: ${error.message}\n`);
    process.exit(1);
  });
}
