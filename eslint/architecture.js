/**
 * ESLint rule `architecture/layers`: the import arrows allowed inside src/ (README, "Architecture").
 *
 *   config          → config
 *   infrastructure  → config, infrastructure
 *   common          → config, infrastructure, common
 *   modules/<m>     → config, infrastructure, common, its own files, another module's index.ts only
 *   src/*.ts (composition root) → anything, a module through its index.ts only
 *
 * Files outside src/ (tests, bench, scripts) are not checked: tests may reach internals they must drive.
 */
import { dirname, relative, resolve, sep } from 'node:path';

/** Where a file sits: its layer and, for modules, the module's name. Null outside src/. */
export function placeOf(file, srcRoot) {
  const parts = relative(srcRoot, file).split(sep);
  if (parts[0] === '..' || parts.length === 0) return null;
  if (parts.length === 1) return { layer: 'root' };
  if (parts[0] === 'modules') return { layer: 'modules', module: parts[1], rest: parts.slice(2).join('/') };
  return { layer: parts[0] };
}

const ALLOWED_LAYERS = {
  config: ['config'],
  infrastructure: ['config', 'infrastructure'],
  common: ['config', 'infrastructure', 'common'],
  modules: ['config', 'infrastructure', 'common', 'modules'],
  root: ['config', 'infrastructure', 'common', 'modules', 'root'],
};

const isIndex = (rest) => /^index\.(js|ts)$/.test(rest) || rest === '';

/** Why `from` may not import `to`, or null when it may. */
export function violation(from, to) {
  if (from === null || to === null) return null;
  const allowed = ALLOWED_LAYERS[from.layer];
  if (allowed === undefined) return null; // a folder the rule does not know yet: no claim about it
  if (!allowed.includes(to.layer)) return `${from.layer} must not import from ${to.layer}`;
  if (to.layer === 'modules' && from.module !== to.module && !isIndex(to.rest))
    return `import modules/${to.module} through its public entry point modules/${to.module}/index.js`;
  return null;
}

const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'layers import only downwards; modules use each other only through index.ts' },
    schema: [{ type: 'object', properties: { srcRoot: { type: 'string' } }, additionalProperties: false }],
    messages: { forbidden: '{{reason}} (README: Architecture)' },
  },
  create(context) {
    const srcRoot = resolve(context.cwd, context.options[0]?.srcRoot ?? 'src');
    const file = context.filename;
    const from = placeOf(file, srcRoot);
    if (from === null) return {};
    const check = (node) => {
      const specifier = node.source?.value;
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const target = resolve(dirname(file), specifier);
      const reason = violation(from, placeOf(target, srcRoot));
      if (reason !== null) context.report({ node: node.source, messageId: 'forbidden', data: { reason } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { meta: { name: 'architecture' }, rules: { layers } };
