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
//   compare      optional list of further references (same forms), reported without a target
//   targets      optional { minRatio, maxP99Ratio, maxNon2xx = 0 } against `baseline`
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
  if (s.baseline === undefined) fail('needs a baseline');
}

/** Which servers a set of scenarios needs (targets and baselines, following scenario references). */
export function serversNeeded(selected, all) {
  const needed = new Set();
  const visit = (scenario, depth) => {
    if (depth > 5) throw new Error(`scenario references nest too deep at "${scenario.name}"`);
    needed.add(scenario.target);
    for (const ref of [scenario.baseline, ...scenario.compare]) {
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
    return { method: r.method ?? 'GET', path: r.path, headers, ...(body !== undefined ? { body } : {}) };
  });
}

/** A small fetch wrapper for setup(): bounded in time, JSON in and out. */
function makeHttp(baseUrl) {
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

/** Runs a scenario's setup and returns what to load: { label, server, requests }. */
async function prepare(scenario, urls, runId, log) {
  const baseUrl = urls[scenario.target];
  const ctx = {
    baseUrl,
    url: (name) => urls[name],
    http: makeHttp(baseUrl),
    runId,
    log: (msg) => log(`  [${scenario.name}] ${msg}`),
  };
  const state = scenario.setup
    ? await withTimeout(scenario.setup(ctx), SETUP_TIMEOUT_MS, `${scenario.name} setup`)
    : undefined;
  const request = typeof scenario.request === 'function' ? scenario.request(state) : scenario.request;
  return { server: scenario.target, requests: normaliseRequests(request) };
}

function refLabel(ref) {
  if (typeof ref === 'string') return ref;
  if (ref.scenario) return `scenario:${ref.scenario}`;
  const req = normaliseRequests(ref.request ?? SERVERS[ref.server].request)[0];
  return `${ref.server} ${req.method} ${req.path}`;
}

async function prepareRef(ref, all, urls, runId, log) {
  if (typeof ref === 'string') return { server: ref, requests: normaliseRequests(SERVERS[ref].request) };
  if (ref.scenario) return prepare(lookup(all, ref.scenario), urls, runId, log);
  return { server: ref.server, requests: normaliseRequests(ref.request ?? SERVERS[ref.server].request) };
}

/**
 * The ordered participants of one scenario: references first (primary baseline, then `compare`),
 * the scenario itself last. Each pair of the run loads them in this order.
 */
export async function participantsOf(scenario, all, urls, runId, log) {
  const refs = [scenario.baseline, ...scenario.compare];
  const participants = [];
  for (const [i, ref] of refs.entries()) {
    participants.push({
      role: i === 0 ? 'baseline' : 'compare',
      label: refLabel(ref),
      ...(await prepareRef(ref, all, urls, runId, log)),
    });
  }
  participants.push({ role: 'subject', label: scenario.name, ...(await prepare(scenario, urls, runId, log)) });
  return participants;
}
