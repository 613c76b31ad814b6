// Runs in its own process (pinned to the load-generator CPU by the harness): one autocannon run,
// and prints the summary as one JSON line on stdout (the harness runs warm-ups as separate runs).
// Options arrive as JSON in argv[2]. It exits if the harness goes away (stdin closes).
import autocannon from 'autocannon';
import { percentile } from './stats.mjs';

const opts = JSON.parse(process.argv[2]);
process.stdin.on('close', () => process.exit(2));
process.stdin.resume();

/** autocannon's own histogram keeps whole milliseconds; we keep every response time (fractional ms) too. */
class Samples {
  constructor() {
    this.values = new Float64Array(1 << 16);
    this.length = 0;
  }
  push(v) {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = v;
  }
  sorted() {
    return this.values.subarray(0, this.length).sort();
  }
}

/**
 * Request chains: a request with `capture: { var: 'jsonField' }` stores that field of its 2xx JSON
 * answer in the connection's context, and `{var}` in a later request's path or JSON body is replaced
 * by it (e.g. create a reservation, then commit it, or order it). Plain requests pass through untouched.
 */
const random = () => Math.random().toString(36).slice(2, 10);

function chained(requests) {
  return requests.map(({ capture, pick, ...request }) => {
    const out = { ...request };
    // `{pick}` in the path: one of `pick` at random per request (spreads writes over many rows);
    // `{rand}` in the path or body: a fresh random token per request (every write really changes something).
    const dynamic =
      (pick && request.path.includes('{pick}')) || /\{rand\}/.test(`${request.path}${request.body ?? ''}`);
    if (dynamic && !/\{(?!pick\}|rand\})\w+\}/.test(request.path)) {
      out.setupRequest = (req) => ({
        ...req,
        path: request.path
          .replace('{pick}', () => pick[Math.floor(Math.random() * pick.length)])
          .replace('{rand}', random),
        ...(request.body !== undefined ? { body: request.body.replaceAll('{rand}', random) } : {}),
      });
    }
    if (capture) {
      out.onResponse = (status, body, context) => {
        if (status < 200 || status >= 300) return;
        try {
          const json = JSON.parse(body);
          for (const [name, field] of Object.entries(capture)) context[name] = json[field];
        } catch {
          // not JSON: leave the context as it was
        }
      };
    }
    const captured = /\{(?!pick\}|rand\})\w+\}/;
    if (captured.test(request.path) || captured.test(request.body ?? '')) {
      out.setupRequest = (req, context) => ({
        ...req,
        path: request.path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(String(context[name] ?? 'none'))),
        // In a JSON body the value goes inside the string literal the template put there.
        ...(request.body !== undefined
          ? { body: request.body.replace(/\{(\w+)\}/g, (_, name) => String(context[name] ?? 'none')) }
          : {}),
      });
    }
    return out;
  });
}

/**
 * `perConnection`: connection i sends only requests[i mod n], over and over. Without it every connection
 * cycles through the whole list from its first entry, so n connections over n users' logins are n
 * devices of one user at a time, then of the next (in step: they start together and wait alike).
 */
function perConnection(requests) {
  if (!opts.perConnection) return {};
  let next = 0;
  return { setupClient: (client) => client.setRequests(chained([requests[next++ % requests.length]])) };
}

function run(duration, samples) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        ...(opts.rate ? { overallRate: opts.rate } : {}),
        pipelining: 1,
        duration,
        timeout: opts.timeoutSeconds,
        requests: chained(opts.requests),
        ...perConnection(opts.requests),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (samples) instance.on('response', (_client, _status, _bytes, ms) => samples.push(ms));
    // No progress bar or table: the harness prints its own line per run.
    autocannon.track(instance, {
      renderProgressBar: false,
      renderResultsTable: false,
      renderLatencyTable: false,
      outputStream: process.stderr,
    });
  });
}

const samples = new Samples();
const r = await run(opts.durationSeconds, samples);
const sorted = samples.sorted();
const summary = {
  rps: r.requests.average,
  rpsStddev: r.requests.stddev,
  totalRequests: r.requests.total,
  // Fractional-ms percentiles over every response (all statuses); autocannon's own (whole ms, 2xx only) kept beside them.
  latency: {
    mean: r.latency.average,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    samples: sorted.length,
  },
  autocannonLatencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
  throughputBytesPerSec: r.throughput.average,
  errors: r.errors,
  timeouts: r.timeouts,
  non2xx: r.non2xx,
  statusCodes: r.statusCodeStats,
  durationSeconds: r.duration,
};
process.stdout.write(JSON.stringify(summary) + '\n', () => process.exit(0));
