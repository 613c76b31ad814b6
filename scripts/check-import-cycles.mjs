#!/usr/bin/env node
/**
 * Fails (exit 1) when the import graph of src/ has a cycle, type-only imports included: a cycle
 * means two files cannot be understood (or moved) apart. Run by `npm run lint`. The layer and
 * module-boundary arrows themselves are checked by the ESLint rule in eslint/architecture.js.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g;

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

const files = sourceFiles(src).filter((file) => relative(src, file) !== 'metadata.ts');
const graph = new Map(
  files.map((file) => {
    const targets = [...readFileSync(file, 'utf8').matchAll(IMPORT)]
      .map((match) => resolve(dirname(file), match[1]).replace(/\.js$/, '.ts'))
      .filter((target) => target.startsWith(src) && existsSync(target));
    return [file, targets];
  }),
);

// Tarjan's strongly connected components: any component of two or more files is a cycle.
let index = 0;
const indices = new Map();
const lowlinks = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
function visit(file) {
  indices.set(file, index);
  lowlinks.set(file, index++);
  stack.push(file);
  onStack.add(file);
  for (const target of graph.get(file) ?? []) {
    if (!indices.has(target)) {
      visit(target);
      lowlinks.set(file, Math.min(lowlinks.get(file), lowlinks.get(target)));
    } else if (onStack.has(target)) {
      lowlinks.set(file, Math.min(lowlinks.get(file), indices.get(target)));
    }
  }
  if (lowlinks.get(file) === indices.get(file)) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1) cycles.push(component);
  }
}
for (const file of graph.keys()) if (!indices.has(file)) visit(file);

if (cycles.length > 0) {
  for (const cycle of cycles) console.error(`import cycle: ${cycle.map((file) => relative(root, file)).join(' ↔ ')}`);
  process.exit(1);
}
console.log(`import graph: ${graph.size} files in src/, no cycles`);
