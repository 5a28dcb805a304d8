// The consumer type-check matrix: throw-away projects with the packed package installed, checked by
// TypeScript under each module setting a user may choose, with the strictest flags and every library
// declaration checked (skipLibCheck: false), for both supported majors of Express, Koa and Fastify,
// and in a project that installed no optional peer at all (a Worker or Bun app on tracks-ab/fetch).
import { expect } from 'chai';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { entryPoints, installInto, packedPackage, root, runCommand, type EntryPoint, type Packed } from './packed-package.js';

/**
 * Entry points whose declarations import an optional peer's types: a project that uses one has that
 * peer installed. Every other entry point must type-check in a project without any optional peer.
 */
const NEEDS_PEER: Record<string, string> = {
  'tracks-ab/express': 'express',
  'tracks-ab/koa': 'koa',
  'tracks-ab/fastify': 'fastify',
  'tracks-ab/hono': 'hono',
  'tracks-ab/openfeature': '@openfeature/server-sdk',
};

interface Generation {
  name: string;
  dir: string;
  /** Packages installed under another name: `{ fastify: 'fastify4' }`. */
  links: Record<string, string>;
  /** Whether every other package installed here is linked too (every optional peer), or only the package's dependencies. */
  everyPackage: boolean;
  majors: Record<string, number>;
}

/**
 * One major of each framework with its type package; a project resolves one version of each name.
 * `content-disposition` is the copy Koa installs: in this repository's tree npm hoists Express 5's
 * content-disposition 2, whose own declarations lack the `Options` that @types/koa names, so a project
 * with both Express 5 and @types/koa fails @types/koa's own check (an upstream mismatch, not ours).
 */
const generations: Generation[] = [
  {
    name: 'Express 5, Koa 3, Fastify 5',
    dir: 'current',
    links: {
      express: 'express',
      '@types/express': '@types/express',
      koa: 'koa',
      '@types/koa': '@types/koa',
      'content-disposition': 'koa/node_modules/content-disposition',
      fastify: 'fastify',
    },
    everyPackage: true,
    majors: { express: 5, koa: 3, fastify: 5 },
  },
  {
    name: 'Express 4, Koa 2, Fastify 4',
    dir: 'previous',
    links: {
      express: 'express4',
      '@types/express': 'types-express4',
      koa: 'koa2',
      '@types/koa': 'types-koa2',
      'content-disposition': 'koa2/node_modules/content-disposition',
      fastify: 'fastify4',
    },
    everyPackage: true,
    majors: { express: 4, koa: 2, fastify: 4 },
  },
  {
    name: 'no optional peer (no framework, no Hono)',
    dir: 'no-peers',
    links: { '@types/node': '@types/node' },
    everyPackage: false,
    majors: {},
  },
];

type Flavour = 'esm' | 'cjs';

interface Configuration {
  name: string;
  dir: string;
  compilerOptions: Record<string, string | boolean>;
  /** The consumer files, in which syntax and with which extension. */
  sources: Array<{ flavour: Flavour; extension: '.ts' | '.mts' | '.cts' }>;
}

const configurations: Configuration[] = [
  {
    name: 'node10 (module commonjs)',
    dir: 'node10',
    // Fastify's own logger types (pino's `import ThreadStream from 'thread-stream'`) need esModuleInterop
    // under module commonjs; without it they fail their own check, whatever the consumer imports.
    compilerOptions: { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true },
    sources: [{ flavour: 'cjs', extension: '.ts' }],
  },
  {
    name: 'nodenext, .mts and .cts files',
    dir: 'nodenext',
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' },
    sources: [
      { flavour: 'esm', extension: '.mts' },
      { flavour: 'cjs', extension: '.cts' },
    ],
  },
  {
    name: 'bundler (module esnext)',
    dir: 'bundler-esnext',
    compilerOptions: { module: 'esnext', moduleResolution: 'bundler' },
    sources: [{ flavour: 'esm', extension: '.ts' }],
  },
  {
    name: 'bundler (module preserve)',
    dir: 'bundler-preserve',
    compilerOptions: { module: 'preserve', moduleResolution: 'bundler' },
    sources: [{ flavour: 'esm', extension: '.ts' }],
  },
];

/** The flags every configuration adds: the strictest a user may turn on. */
const strictest = {
  strict: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  skipLibCheck: false,
  noEmit: true,
  target: 'es2022',
  lib: ['es2022'],
  types: ['node'],
};

const fixtures = join(root, 'test', 'consumers');

/** A file that imports every entry point of the package, so each must resolve with its declarations. */
function everyEntryPoint(entries: EntryPoint[], flavour: Flavour): string {
  const names = entries.map((_, i) => `entry${i}`);
  if (flavour === 'esm') {
    return `${entries.map((e, i) => `import * as ${names[i]} from '${e.specifier}';`).join('\n')}\nexport const entries = [${names.join(', ')}];\n`;
  }
  return `${entries.map((e, i) => `import ${names[i]} = require('${e.specifier}');`).join('\n')}\nexport = [${names.join(', ')}];\n`;
}

/**
 * Writes one configuration's project folder: its tsconfig and its consumer files. A consumer file
 * named after an entry point (`hono.ts` uses tracks-ab/hono) is left out where that entry point is.
 */
function writeProject(dir: string, configuration: Configuration, entries: EntryPoint[], every: EntryPoint[]): void {
  const left = new Set(every.filter((e) => !entries.includes(e)).map((e) => e.specifier));
  const wanted = (file: string): boolean => !left.has(`tracks-ab/${file.replace(/\.ts$/, '')}`);
  mkdirSync(dir, { recursive: true });
  const compilerOptions = { ...configuration.compilerOptions, ...strictest };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts', '*.mts', '*.cts'] }, null, 2));
  for (const { flavour, extension } of configuration.sources) {
    const js = { '.ts': '.js', '.mts': '.mjs', '.cts': '.cjs' }[extension];
    for (const file of readdirSync(join(fixtures, flavour)).filter(wanted)) {
      const source = readFileSync(join(fixtures, flavour, file), 'utf8').replace(/(['"]\.\/[\w-]+)\.js(['"])/g, `$1${js}$2`);
      writeFileSync(join(dir, file.replace(/\.ts$/, extension)), source);
    }
    writeFileSync(join(dir, `entry-points${extension}`), everyEntryPoint(entries, flavour));
  }
}

/** Runs the tasks at most `limit` at a time (the machine has two cores). */
async function inPool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

interface Check {
  title: string;
  generation: Generation;
  configuration: Configuration;
  tsc: string;
  /** Its project folder, under the generation's: one per check, so that two checks of one configuration keep their own files. */
  dir: string;
}

function check(generation: string, configuration: string, tsc = 'typescript'): Check {
  const g = generations.find((x) => x.dir === generation)!;
  const c = configurations.find((x) => x.dir === configuration)!;
  const by = tsc === 'typescript' ? '' : ` with ${tsc}`;
  return { title: `${g.name} under ${c.name}${by}`, generation: g, configuration: c, tsc, dir: join(g.dir, c.dir + (by && `-${tsc}`)) };
}

/** The oldest TypeScript the README promises, installed as `typescript-min`. */
const minimumTypeScript = 'typescript-min';
/** Entry points whose declarations import a peer's that need a newer TypeScript than the minimum (README, Supported versions). */
const NEEDS_NEWER_TYPESCRIPT = new Set(['tracks-ab/hono']);

// How the package resolves depends on the configuration, not on the framework's major; how its
// declarations fit a framework's depends on the major, not on the resolution. So the current majors
// run under every configuration, the previous ones under both Node resolutions (CommonJS and ES
// module syntax), and the minimum TypeScript checks one configuration. The project without peers
// checks, in both syntaxes, every entry point that names no peer: eight tsc runs in all.
const checks: Check[] = [
  ...configurations.map((c) => check('current', c.dir)),
  check('previous', 'node10'),
  check('previous', 'nodenext'),
  check('current', 'nodenext', minimumTypeScript),
  check('no-peers', 'nodenext'),
];

/** The entry points a check type-checks: those its TypeScript and its installed peers allow. */
function checkedEntries(entries: EntryPoint[], { generation, tsc }: Check): EntryPoint[] {
  return entries.filter(
    (e) => (generation.everyPackage || !NEEDS_PEER[e.specifier]) && (tsc !== minimumTypeScript || !NEEDS_NEWER_TYPESCRIPT.has(e.specifier)),
  );
}

describe('the consumer type-check matrix (the packed package, strict, exactOptionalPropertyTypes, verbatimModuleSyntax, skipLibCheck: false)', function () {
  let base: string;
  let packed: Packed;
  const outcomes = new Map<string, { code: number; output: string }>();

  before(async function () {
    this.timeout(300_000);
    packed = await packedPackage();
    base = join(packed.dir, 'consumers');
    const entries = entryPoints(packed.manifest);
    for (const generation of generations) installInto(join(base, generation.dir), packed, generation.links, generation.everyPackage);
    for (const check of checks) writeProject(join(base, check.dir), check.configuration, checkedEntries(entries, check), entries);
    // One tsc per project, every framework's files in it; two at a time.
    const results = await inPool(
      checks.map((check) => () => {
        const tsc = join(root, 'node_modules', check.tsc, 'bin', 'tsc');
        return runCommand(process.execPath, [tsc, '-p', join(base, check.dir, 'tsconfig.json'), '--pretty', 'false'], root);
      }),
      2,
    );
    checks.forEach((check, i) => outcomes.set(check.title, results[i]!));
  });

  it('installs the framework majors each project is meant to resolve', function () {
    for (const generation of generations) {
      for (const [name, major] of Object.entries(generation.majors)) {
        const manifest = JSON.parse(readFileSync(join(base, generation.dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
        expect(Number(manifest.version.split('.')[0]), `${name} in ${generation.dir}`).to.equal(major);
      }
    }
  });

  it('leaves every optional peer out of the project without peers, and checks there every entry point that names none', function () {
    const peers = Object.keys(packed.manifest.peerDependencies ?? {});
    expect(peers).to.include.members(Object.values(NEEDS_PEER));
    const modules = join(base, 'no-peers', 'node_modules');
    expect(peers.filter((peer) => existsSync(join(modules, peer)))).to.deep.equal([]);
    const source = readFileSync(join(base, 'no-peers', 'nodenext', 'entry-points.mts'), 'utf8');
    const named = [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(named).to.include.members(['tracks-ab', 'tracks-ab/fetch', 'tracks-ab/node']);
    expect(named).to.have.length(entryPoints(packed.manifest).length - Object.keys(NEEDS_PEER).length);
    expect(readdirSync(join(base, 'no-peers', 'nodenext'))).to.include.members(['fetch.mts', 'fetch.cts']);
  });

  for (const check of checks) {
    it(`type-checks ${check.title}`, function () {
      const outcome = outcomes.get(check.title)!;
      expect(outcome.output.trim(), `${check.tsc} -p ${check.dir}`).to.equal('');
      expect(outcome.code).to.equal(0);
    });
  }

  it('runs the minimum TypeScript that the README states', function () {
    const version = (JSON.parse(readFileSync(join(root, 'node_modules', minimumTypeScript, 'package.json'), 'utf8')) as { version: string }).version;
    const [major, minor] = version.split('.');
    expect(readFileSync(join(root, 'README.md'), 'utf8')).to.match(new RegExp(`\\| TypeScript \\| ${major}\\.${minor} or later`));
  });
});
