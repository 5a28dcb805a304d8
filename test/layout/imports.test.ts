// The layout by room: imports flow down (adapters → request → cookies, stores, exposures, controls → bounded → engine), no cycle, no framework in src/.
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports or re-exports, type-only imports included (they can form cycles too). */
function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true).importedFiles.map((i) => i.fileName);
}

/** A relative import resolved to the repository's .ts file; other specifiers stay as they are. */
function resolveImport(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  return relative(root, resolve(root, dirname(from), specifier)).replace(/\.js$/, '.ts');
}

const files = [...sourceFiles('src'), ...sourceFiles('adapters')];
const graph = new Map(files.map((f) => [f, importsOf(f).map((s) => resolveImport(f, s))]));

/** Each room and the rooms (and packages) it may import; docs/architecture.md draws the same rule. */
const ROOMS = [
  'engine',
  'bounded',
  'cookies',
  'controls',
  'assignment-store',
  'exposures',
  'metrics',
  'request',
  'postgres',
  'redis',
  'analysis',
  'console',
  'cli',
] as const;
function layerOf(file: string): string {
  if (file.startsWith('adapters/')) return 'adapters';
  const layer = file.split('/')[1]!;
  return file.split('/').length === 2 ? 'entry' : layer;
}
const LEAVES = ['engine', 'bounded'];
const MIDDLE = ['cookies', 'controls', 'assignment-store', 'exposures', 'metrics'];
const MAY_IMPORT: Record<string, readonly string[]> = {
  engine: ['engine'],
  bounded: ['engine', 'bounded'],
  ...Object.fromEntries(MIDDLE.map((room) => [room, [...LEAVES, room]])),
  request: [...LEAVES, ...MIDDLE, 'request'],
  postgres: [...LEAVES, 'controls', 'assignment-store', 'exposures', 'metrics', 'postgres'],
  redis: [...LEAVES, 'assignment-store', 'redis'],
  analysis: ['analysis'],
  console: [...ROOMS.filter((r) => r !== 'cli')],
  cli: [...ROOMS],
  entry: [...ROOMS],
  adapters: [...ROOMS, 'entry', 'adapters'],
};

describe('the source layout', () => {
  it('has no import cycle in src/ and adapters/', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const walk = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const next of graph.get(file) ?? []) if (graph.has(next)) walk(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) walk(file, []);
    expect(cycles).to.deep.equal([]);
  });

  it('resolves every relative import to a file of the tree', () => {
    const missing = [...graph].flatMap(([file, deps]) => deps.filter((d) => d.endsWith('.ts') && !graph.has(d)).map((d) => `${file} → ${d}`));
    expect(missing).to.deep.equal([]);
  });

  it('keeps every file in a room the rules know, each room with an index.ts', () => {
    const rooms = new Set(files.filter((f) => f.startsWith('src/')).map(layerOf));
    expect([...rooms].filter((r) => r !== 'entry' && !(ROOMS as readonly string[]).includes(r))).to.deep.equal([]);
    const withoutIndex = [...rooms].filter((r) => r !== 'entry' && !graph.has(`src/${r}/index.ts`) && r !== 'cli');
    expect(withoutIndex).to.deep.equal([]);
  });

  it('keeps every source file under 300 lines', () => {
    const long = files.filter((f) => readFileSync(join(root, f), 'utf8').split('\n').length > 300);
    expect(long).to.deep.equal([]);
  });

  it('lets each room import only the rooms below it', () => {
    const wrong = [...graph].flatMap(([file, deps]) =>
      deps
        .filter((d) => graph.has(d))
        .filter((d) => !MAY_IMPORT[layerOf(file)]!.includes(layerOf(d)))
        .map((d) => `${file} → ${d}`),
    );
    expect(wrong).to.deep.equal([]);
  });

  it('lets adapters into src/ only through the public index and the adapter kit', () => {
    const doors = ['src/index.ts', 'src/request/adapter-kit.ts'];
    const wrong = [...graph].flatMap(([file, deps]) =>
      file.startsWith('adapters/') ? deps.filter((d) => d.startsWith('src/') && !doors.includes(d)).map((d) => `${file} → ${d}`) : [],
    );
    expect(wrong).to.deep.equal([]);
  });

  it('imports no framework from src/, and nothing but types from Node in the engine', () => {
    const frameworks = /^(express|koa|fastify|fastify-plugin|hono)(\/|$)/;
    const wrong: string[] = [];
    for (const [file, deps] of graph) {
      if (!file.startsWith('src/')) continue;
      for (const dep of deps) if (frameworks.test(dep)) wrong.push(`${file} imports ${dep}`);
      if (layerOf(file) !== 'engine') continue;
      const text = readFileSync(join(root, file), 'utf8');
      // `import type` is erased at build time; a value import of a built-in would load it on import.
      for (const m of text.matchAll(/^import (?!type )[^;]*from '(node:[^']+|[^.'][^']*)'/gm)) wrong.push(`${file} imports ${m[1]}`);
    }
    expect(wrong).to.deep.equal([]);
  });

  it("gives each framework's types to its own entry point only, so an app without that framework compiles the others", () => {
    // An entry point's declarations carry what it imports, type-only imports and re-exports included:
    // one entry point importing another (tracks-ab/fetch re-exporting tracks-ab/hono once) makes a
    // project without that framework fail to compile under skipLibCheck: false.
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, string | { default: string }> };
    const entries = Object.values(manifest.exports).flatMap((target) => {
      const match = typeof target === 'string' ? null : /^\.\/dist\/(adapters\/[\w-]+)\.js$/.exec(target.default);
      return match ? [`${match[1]}.ts`] : [];
    });
    expect(entries).to.include.members(['adapters/fetch.ts', 'adapters/hono.ts', 'adapters/express.ts']);
    const ownPackages: Record<string, RegExp> = {
      'adapters/express.ts': /^express$/,
      'adapters/koa.ts': /^koa$/,
      'adapters/fastify.ts': /^fastify(-plugin)?$/,
      'adapters/hono.ts': /^hono$/,
      'adapters/openfeature.ts': /^@openfeature\/server-sdk$/,
    };
    // A file that is no entry point (express-exchange.ts) may import a framework when every adapter
    // importing it is that framework's entry point: its types then reach that entry point only.
    const importers = (file: string): string[] => [...graph].filter(([, deps]) => deps.includes(file)).map(([f]) => f);
    const allowed = (file: string): RegExp | undefined => {
      if (entries.includes(file)) return ownPackages[file];
      const own = [...new Set(importers(file).map((f) => ownPackages[f]))];
      return own.length === 1 ? own[0] : undefined;
    };
    const wrong = [...graph].flatMap(([file, deps]) =>
      file.startsWith('adapters/')
        ? deps
            .filter((d) => (entries.includes(d) && d !== file) || (!d.endsWith('.ts') && !d.startsWith('node:') && !allowed(file)?.test(d)))
            .map((d) => `${file} → ${d}`)
        : [],
    );
    expect(wrong).to.deep.equal([]);
  });
});
