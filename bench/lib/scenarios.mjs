/* global AbortSignal */
// Loads bench/scenarios/*.mjs and turns each into "participants": the load runs to interleave.
//
// A scenario module's default export (see bench/README.md):
//   name         unique, used by BENCH_ONLY
//   description  one line for the report
//   target       server to load: 'service' (default) or a baseline server name
//   setup(ctx)   optional, async: prepare over HTTP (register, log in, create data); returns state
//   request      { method, path, headers?, body? } or an array of them (autocannon cycles through),
//                or (state) => either of those
//   baseline     what the target is measured against, one of:
//                  'nest' | 'fastify' | 'fastify-mysql'   a baseline server and its own route
//                  { server, request }                     a server with a request of your choice
//                  { scenario: 'other-name' }              another scenario's load (its setup runs too)
//                  null                                    none: the figures are recorded, nothing compared
//   compare      optional list of further references (same forms), reported without a target
//   targets      optional { minRatio, maxP99Ratio, maxNon2xx = 0 } against `baseline`
//   connections  optional: connections for this scenario's runs (default BENCH_CONNECTIONS)
//   minPairs     optional: at least this many pairs whatever BENCH_PAIRS says (noisy scenarios)
//   rate         optional: requests/s over all connections (autocannon quota per second; default: as fast as answered)
//   background   optional (state) => { requests, connections?, perConnection? }: load fired at the target
//                at the same time as every run of this scenario and its references (see lib/load.mjs);
//                `perConnection: true`: connection i sends only requests[i mod n] (n clients, one each)
//   ramp         optional list of connection counts: instead of pairs, one run per count on the
//                subject alone; `rampP99Ms` names the p99 whose crossing is reported as the knee
//   verify(ctx, state, runs)  optional, async, after the runs: checks invariants, returns
//                { ok: boolean, detail: string } (recorded in the report; ok=false fails the scenario)
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SERVERS } from './servers.mjs';

export async function loadScenarios(dir) {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.mjs')).sort();
  const scenarios = new Map();
  for (const file of files) {
    const scenario = (await import(pathToFileURL(path.join(dir, file)).href)).default;
    validate(scenario, file);
    if (scenarios.has(scenario.name)) throw new Error(`duplicate scenario name "${scenario.name}" (${file})`);
    scenarios.set(scenario.name, { target: 'service', compare: [], ...scenario, file });
  }
  return scenarios;
}

function validate(s, file) {
  const fail = (msg) => {
    throw new Error(`bench/scenarios/${file}: ${msg}`);
  };
  if (!s || typeof s !== 'object') fail('must `export default` a scenario object');
  if (typeof s.name !== 'string' || !/^[\w.-]+$/.test(s.name)) fail('needs a name (letters, digits, . _ -)');
  if (s.target !== undefined && !SERVERS[s.target]) fail(`unknown target server "${s.target}"`);
  if (s.setup !== undefined && typeof s.setup !== 'function') fail('setup must be a function');
  if (typeof s.request !== 'function' && typeof s.request !== 'object') fail('needs a request');
  if (s.baseline === undefined && !s.ramp) fail('needs a baseline (null for none)');
  if (
    s.ramp !== undefined &&
    (!Array.isArray(s.ramp) || !s.ramp.every((n) => Number.isInteger(n) && n > 0 && n <= 1000))
  )
    fail('ramp must be a list of connection counts (1–1000)');
  if (s.verify !== undefined && typeof s.verify !== 'function') fail('verify must be a function');
  if (s.background !== undefined && typeof s.background !== 'function') fail('background must be a function');
}

/** Which servers a set of scenarios needs (targets and baselines, following scenario references). */
export function serversNeeded(selected, all) {
  const needed = new Set();
  const visit = (scenario, depth) => {
    if (depth > 5) throw new Error(`scenario references nest too deep at "${scenario.name}"`);
    needed.add(scenario.target);
    for (const ref of [scenario.baseline, ...scenario.compare]) {
      if (ref === null || ref === undefined) continue;
      if (typeof ref === 'string') needed.add(ref);
      else if (ref.server) needed.add(ref.server);
      else if (ref.scenario) visit(lookup(all, ref.scenario), depth + 1);
    }
  };
  for (const s of selected) visit(s, 0);
  for (const name of needed) if (!SERVERS[name]) throw new Error(`unknown server "${name}"`);
  return needed;
}

function lookup(all, name) {
  const s = all.get(name);
  if (!s) throw new Error(`unknown scenario "${name}"`);
  return s;
}

function normaliseRequests(value) {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new Error('a scenario needs at least one request');
  return list.map((r) => {
    if (typeof r.path !== 'string' || !r.path.startsWith('/'))
      throw new Error(`request path must start with /: ${r.path}`);
    const headers = { ...(r.headers ?? {}) };
    let body = r.body;
    if (body !== undefined && typeof body !== 'string') {
      body = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    return {
      method: r.method ?? 'GET',
      path: r.path,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(r.capture ? { capture: r.capture } : {}),
      ...(r.pick ? { pick: r.pick } : {}),
    };
  });
}

/** A small fetch wrapper for setup(): bounded in time, JSON in and out. */
/** `ctx.http`: one JSON request to `baseUrl` (10 s timeout) → { status, headers, json, text }. Also for scripts outside the harness. */
export function makeHttp(baseUrl) {
  return async function http(method, pathname, { body, headers = {} } = {}) {
    const res = await fetch(new URL(pathname, baseUrl), {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text };
  };
}

const SETUP_TIMEOUT_MS = 120_000;

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The `ctx` handed to a scenario's setup() and verify(). */
export function contextFor(scenario, urls, runId, log) {
  const baseUrl = urls[scenario.target];
  return {
    baseUrl,
    url: (name) => urls[name],
    http: makeHttp(baseUrl),
    runId,
    log: (msg) => log(`  [${scenario.name}] ${msg}`),
  };
}

/** Runs a scenario's setup and returns what to load: { server, requests, state, background? }. */
async function prepare(scenario, urls, runId, log) {
  const ctx = contextFor(scenario, urls, runId, log);
  const state = scenario.setup
    ? await withTimeout(scenario.setup(ctx), SETUP_TIMEOUT_MS, `${scenario.name} setup`)
    : undefined;
  const request = typeof scenario.request === 'function' ? scenario.request(state) : scenario.request;
  const prepared = { server: scenario.target, requests: normaliseRequests(request), state };
  if (scenario.background) {
    const bg = scenario.background(state);
    prepared.background = {
      url: urls[scenario.target],
      requests: normaliseRequests(bg.requests),
      connections: bg.connections,
      perConnection: bg.perConnection === true,
    };
  }
  if (scenario.connections) prepared.connections = scenario.connections;
  if (scenario.rate) prepared.rate = scenario.rate;
  return prepared;
}

function refLabel(ref, requests) {
  if (ref.label) return ref.label;
  if (typeof ref === 'string') return ref;
  if (ref.scenario) return `scenario:${ref.scenario}`;
  return `${ref.server} ${requests[0].method} ${requests[0].path}`;
}

/** A reference's `request` may be a function of the subject's setup state (e.g. the same id, no token). */
async function prepareRef(ref, all, urls, runId, log, subjectState) {
  if (typeof ref === 'string') return { server: ref, requests: normaliseRequests(SERVERS[ref].request) };
  if (ref.scenario) return prepare(lookup(all, ref.scenario), urls, runId, log);
  const request = typeof ref.request === 'function' ? ref.request(subjectState) : ref.request;
  return { server: ref.server, requests: normaliseRequests(request ?? SERVERS[ref.server].request) };
}

/**
 * The ordered participants of one scenario: references first (primary baseline, then `compare`),
 * the scenario itself last. Each pair of the run loads them in this order.
 */
export async function participantsOf(scenario, all, urls, runId, log) {
  const refs = [scenario.baseline, ...scenario.compare].filter((ref) => ref !== null && ref !== undefined);
  const participants = [];
  // The subject's setup runs first (references may use its state); it still loads last in each pair.
  const subject = { role: 'subject', label: scenario.name, ...(await prepare(scenario, urls, runId, log)) };
  for (const [i, ref] of refs.entries()) {
    const prepared = await prepareRef(ref, all, urls, runId, log, subject.state);
    participants.push({ role: i === 0 ? 'baseline' : 'compare', label: refLabel(ref, prepared.requests), ...prepared });
  }
  participants.push(subject);
  // A scenario's background load (and connection count) apply to its references too: a reference is
  // "the same thing without the one difference", and the background is not that difference unless the
  // scenario says so (`backgroundOnReferences: false`, e.g. an idle baseline).
  for (const p of participants.slice(0, -1)) {
    p.connections ??= subject.connections;
    p.rate ??= subject.rate;
    if (scenario.backgroundOnReferences !== false && subject.background) p.background ??= subject.background;
  }
  return participants;
}
