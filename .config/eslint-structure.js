// The house's shape, checked by ESLint (a local plugin, no dependency): imports between the folders of src/
// point down only (docs/architecture.md's layers), and no file imports itself back through a loop.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const defaultSrc = join(projectRoot, 'src');
// Both rules take an optional { src } (another source root: the rules' own tests build small trees).
const options = [{ type: 'object', properties: { src: { type: 'string' } }, additionalProperties: false }];
const srcOf = (context) => context.options[0]?.src ?? defaultSrc;

/**
 * The floors, lowest first. A folder may import only from floors below its own: siblings on one floor
 * (kdc, client, services) share what they need through a lower floor (protocol) instead.
 */
export const FLOORS = [
  ['util'],
  ['crypto', 'asn1'],
  ['formats', 'protocol', 'smb2'],
  ['kdc', 'client', 'services'],
  ['world', 'node'],
  ['azure'],
  ['scenarios'],
  ['fleet', 'support'],
  ['ui', 'cli'],
  ['main.ts'],
];

const floorOf = new Map(FLOORS.flatMap((names, floor) => names.map((name) => [name, floor])));

/** The top folder of src/ a file belongs to ("kdc" for src/kdc/as.ts), or undefined outside src/. */
function topOf(srcRoot, file) {
  const rel = relative(srcRoot, file);
  if (rel.startsWith('..') || rel === '') return undefined;
  return rel.split(sep)[0];
}

const EXTENSIONS = ['', '.ts', '.svelte.ts', '.js', '.svelte', '/index.ts'];

/** The file a relative specifier names, as Vite resolves it here; undefined when it names none. */
function resolveImport(fromFile, specifier) {
  const base = resolve(dirname(fromFile), specifier);
  for (const ext of EXTENSIONS) {
    const candidate = base + ext;
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

// import … from '…', export … from '…', import '…', import('…') with a literal
const SPECIFIERS = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

function specifiersOf(text) {
  return Array.from(text.matchAll(SPECIFIERS), (m) => m[1]);
}

function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|svelte)$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Files of src/ that sit in an import loop, with the loop's members; built once per lint run. */
const loopsByRoot = new Map();
function loopsOf(srcRoot) {
  if (loopsByRoot.has(srcRoot)) return loopsByRoot.get(srcRoot);
  const graph = new Map();
  for (const file of sourceFiles(srcRoot)) {
    const targets = specifiersOf(readFileSync(file, 'utf8'))
      .map((s) => resolveImport(file, s))
      .filter((t) => t !== undefined && t.startsWith(srcRoot));
    graph.set(file, targets);
  }
  // Tarjan's strongly connected components: a component of two or more files is a loop.
  const loops = new Map();
  loopsByRoot.set(srcRoot, loops);
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) for (const f of component) loops.set(f, component);
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return loops;
}

function importSources(node) {
  // ImportDeclaration, ExportNamedDeclaration / ExportAllDeclaration with a source, ImportExpression
  const source = node.source;
  return source && source.type === 'Literal' && typeof source.value === 'string' ? source : undefined;
}

const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'imports between the folders of src/ point to a lower floor only' },
    schema: options,
  },
  create(context) {
    const file = context.filename;
    const srcRoot = srcOf(context);
    const from = topOf(srcRoot, file);
    if (from === undefined || !floorOf.has(from)) return {};
    const check = (node) => {
      const source = importSources(node);
      if (!source || !source.value.startsWith('.')) return;
      const target = resolveImport(file, source.value);
      const to = target && topOf(srcRoot, target);
      if (to === undefined || to === from || !floorOf.has(to)) return;
      if (floorOf.get(to) >= floorOf.get(from)) {
        const how = floorOf.get(to) === floorOf.get(from) ? 'a sibling on the same floor' : 'a higher floor';
        context.report({
          node: source,
          message: `src/${from} may not import src/${to}: ${how} (imports point down only; docs/architecture.md)`,
        });
      }
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

const noCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'no file of src/ imports itself back through other files' },
    schema: options,
  },
  create(context) {
    const file = context.filename;
    const srcRoot = srcOf(context);
    if (topOf(srcRoot, file) === undefined) return {};
    const check = (node) => {
      const source = importSources(node);
      if (!source || !source.value.startsWith('.')) return;
      const target = resolveImport(file, source.value);
      const loop = target && loopsOf(srcRoot).get(file);
      if (loop && loop.includes(target)) {
        const names = loop.map((f) => relative(dirname(srcRoot), f)).sort();
        context.report({ node: source, message: `import circle: ${names.join(', ')}` });
      }
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { layers, 'no-cycle': noCycle } };
