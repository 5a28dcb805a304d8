// `git clone` then `npm pack`: the tarball holds the built code, declarations and source maps of every
// entry point in `exports`, and nothing else; its package.json says what a user and npm need to know.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { entryPoints, packedPackage, root, type Packed } from './packed-package.js';

/** The packages the test suite runs, by the name a user installs: each must satisfy the peer range. */
const testedAs: Record<string, string[]> = {
  express: ['express', 'express4'],
  koa: ['koa', 'koa2'],
  fastify: ['fastify', 'fastify4'],
  pg: ['pg'],
  '@electric-sql/pglite': ['@electric-sql/pglite'],
  hono: ['hono'],
  ioredis: ['ioredis', 'ioredis5'],
  '@openfeature/server-sdk': ['@openfeature/server-sdk'],
};

type Version = [number, number, number];

function parseVersion(text: string): Version {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (!match) throw new Error(`not a version: ${text}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function atLeast(version: Version, floor: Version): boolean {
  for (let i = 0; i < 3; i++) if (version[i] !== floor[i]) return version[i]! > floor[i]!;
  return true;
}

/** Whether `version` is in one alternative of a peer range: `^1.2.3` (1.x) or `>=0.2.0`, the forms package.json uses. */
function inAlternative(version: string, alternative: string): boolean {
  const match = /^(\^|>=)(\d+\.\d+\.\d+)$/.exec(alternative.trim());
  if (!match) throw new Error(`peer range alternative ${alternative} is neither ^x.y.z nor >=x.y.z`);
  const [v, floor] = [parseVersion(version), parseVersion(match[2]!)];
  if (match[1] === '>=') return atLeast(v, floor);
  return v[0] === floor[0] && (floor[0] > 0 || v[1] === floor[1]) && atLeast(v, floor);
}

function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

describe('the tarball of a fresh clone (npm pack)', function () {
  let packed: Packed;

  before(async function () {
    this.timeout(300_000);
    packed = await packedPackage();
  });

  it('ships the JavaScript and the declarations of every entry point in exports, and every bin', function () {
    const entries = entryPoints(packed.manifest);
    expect(entries.map((e) => e.specifier)).to.include.members(['tracks-ab', 'tracks-ab/express', 'tracks-ab/koa', 'tracks-ab/fastify']);
    for (const entry of entries) {
      expect(packed.files, entry.specifier).to.include.members([entry.js, entry.types]);
      expect(entry.js, entry.specifier).to.match(/^dist\/.*\.js$/);
    }
    for (const target of Object.values(packed.manifest.bin ?? {})) expect(packed.files).to.include(target.replace(/^\.\//, ''));
  });

  it('ships only dist/, docs/ and the top-level documents: no tests, examples, benchmarks or sources', function () {
    const allowed = /^(dist\/(src|adapters)\/.+\.(js|d\.ts|js\.map)|docs\/[\w-]+\.md|README\.md|CHANGELOG\.md|LICENSE|package\.json)$/;
    expect(packed.files.filter((f) => !allowed.test(f))).to.deep.equal([]);
    expect(packed.files).to.include.members(['README.md', 'CHANGELOG.md', 'LICENSE', 'package.json']);
  });

  it('maps every subpath to its declarations for node10 resolution (typesVersions), as exports does', function () {
    const mapped = packed.manifest.typesVersions?.['*'] ?? {};
    for (const entry of entryPoints(packed.manifest)) {
      if (entry.subpath === '.') expect((packed.manifest as { types?: string }).types).to.equal(`./${entry.types}`);
      else expect(mapped[entry.subpath.slice(2)], entry.specifier).to.deep.equal([`./${entry.types}`]);
    }
  });

  it('carries the TypeScript source in every source map, and ships no declaration map pointing at unshipped files', function () {
    const unpacked = join(packed.dir, 'unpacked');
    mkdirSync(unpacked, { recursive: true });
    execFileSync('tar', ['-xzf', packed.tarball, '-C', unpacked, '--strip-components=1']);
    const maps = packed.files.filter((f) => f.endsWith('.map'));
    expect(maps.filter((f) => f.endsWith('.d.ts.map'))).to.deep.equal([]);
    expect(maps).to.have.length(packed.files.filter((f) => f.endsWith('.js')).length);
    for (const file of maps) {
      const map = JSON.parse(readFileSync(join(unpacked, file), 'utf8')) as { sources: string[]; sourcesContent?: unknown[] };
      expect(map.sources, file).to.have.length(1);
      expect(map.sourcesContent, file).to.have.length(1);
      expect(map.sourcesContent![0], file)
        .to.be.a('string')
        // A source file starts with its one-line comment (after a shebang, for the command line).
        .that.matches(/^(#!.*\n)?\/\/ \S/);
    }
  });

  it('states its module type and side effects, and where its repository, home page and issues are', function () {
    const m = packed.manifest;
    expect(m.type).to.equal('commonjs');
    expect(m.sideEffects).to.equal(false);
    expect(m.repository).to.deep.equal({ type: 'git', url: 'git+https://github.com/tracks-ab/tracks-ab.git' });
    expect(m.homepage).to.equal('https://github.com/tracks-ab/tracks-ab#readme');
    expect(m.bugs).to.deep.equal({ url: 'https://github.com/tracks-ab/tracks-ab/issues' });
    expect(m.keywords).to.include.members(['ab-testing', 'express', 'koa', 'fastify']);
  });

  it('declares each framework and database client as an optional peer whose every range the tests run', function () {
    const peers = packed.manifest.peerDependencies ?? {};
    expect(Object.keys(peers).sort()).to.deep.equal(Object.keys(testedAs).sort());
    for (const [name, range] of Object.entries(peers)) {
      expect(packed.manifest.peerDependenciesMeta?.[name], name).to.deep.equal({ optional: true });
      expect(packed.manifest.dependencies ?? {}, name).not.to.have.property(name);
      const tested = testedAs[name]!.map(installedVersion);
      const alternatives = range.split('||');
      for (const version of tested)
        expect(
          alternatives.some((a) => inAlternative(version, a)),
          `${name} ${version} in ${range}`,
        ).to.equal(true);
      for (const alternative of alternatives) {
        expect(
          tested.some((v) => inAlternative(v, alternative)),
          `${name} ${alternative.trim()} is run by the tests`,
        ).to.equal(true);
      }
    }
  });

  it('links from its README and docs only to files it ships, and to the repository for the rest', function () {
    const documents = packed.files.filter((f) => f.endsWith('.md'));
    const unpacked = join(packed.dir, 'unpacked-docs');
    mkdirSync(unpacked, { recursive: true });
    execFileSync('tar', ['-xzf', packed.tarball, '-C', unpacked, '--strip-components=1']);
    const broken: string[] = [];
    for (const document of documents) {
      for (const [, target] of readFileSync(join(unpacked, document), 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https:|mailto:|#)/.test(target!)) continue;
        const file = normalize(join(dirname(document), target!.replace(/#.*$/, '')));
        if (!packed.files.includes(file)) broken.push(`${document} -> ${target}`);
      }
    }
    expect(broken).to.deep.equal([]);
  });

  it('names in the README the framework and TypeScript versions the tests run', function () {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Supported versions'));
    for (const name of ['express', 'koa', 'fastify']) {
      for (const version of testedAs[name]!.map(installedVersion)) expect(table, `${name} ${version}`).to.include(version);
    }
    for (const name of ['typescript', 'typescript-min']) expect(table, name).to.include(installedVersion(name));
  });
});
