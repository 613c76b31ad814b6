// Summarises a V8 .cpuprofile (from BENCH_CPU_PROFILE=1): self time by package/file and by function.
// Usage: node bench/profile-summary.mjs <file>.cpuprofile [top=25] [lastSeconds]
// lastSeconds: only count the final N seconds of the profile (the service is the last one loaded in a
// scenario, so with BENCH_PAIRS=1 the tail of the profile is its load run, without start-up and idle).
import { readFileSync } from 'node:fs';

const [file, topArg, lastArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const from = lastArg ? profile.endTime - Number(lastArg) * 1e6 : -Infinity;
const selfUs = new Map();
let t = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  if (t < from) continue;
  selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function area(url) {
  if (!url) return '(native/V8)';
  const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return url;
  const m = url.match(/\/(dist\/.*|bench\/.*)$/);
  return m ? m[1] : url;
}

const byArea = new Map();
const byFn = new Map();
for (const [id, us] of selfUs) {
  const { callFrame: cf } = byId.get(id);
  const a = area(cf.url);
  byArea.set(a, (byArea.get(a) ?? 0) + us);
  const fn = `${cf.functionName || '(anonymous)'}  ${a}:${cf.lineNumber + 1}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + us);
}
// Inclusive: time with at least one frame of that package/file on the stack.
const inclusive = new Map();
for (const [id, us] of selfUs) {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) seen.add(area(byId.get(cur).callFrame.url));
  for (const a of seen) inclusive.set(a, (inclusive.get(a) ?? 0) + us);
}
const show = (title, map) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * us) / total).toFixed(1).padStart(6)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  }
};
console.log(`total sampled: ${(total / 1000).toFixed(0)} ms`);
show('self time by package / file', byArea);
show('self time by function', byFn);
show('inclusive time by package / file (stack contains it)', inclusive);
