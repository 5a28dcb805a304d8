// The built package loads as a user would load it: require and import, every entry point.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const entries = ['tracks-ab', 'tracks-ab/express', 'tracks-ab/koa', 'tracks-ab/fastify'];

describe('the built package', function () {
  let project: string;

  before(function () {
    if (!existsSync(join(root, 'dist/src/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
    // A throw-away project whose node_modules/tracks-ab is this package, as after `npm install`.
    project = mkdtempSync(join(tmpdir(), 'tracks-ab-pkg-'));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(root, join(project, 'node_modules', 'tracks-ab'), 'dir');
    writeFileSync(join(project, 'package.json'), '{"name":"consumer","private":true}');
  });

  after(function () {
    rmSync(project, { recursive: true, force: true });
  });

  function run(file: string, source: string): string {
    writeFileSync(join(project, file), source);
    return execFileSync(process.execPath, [join(project, file)], { cwd: project, encoding: 'utf8' }).trim();
  }

  it('loads every entry point with require', function () {
    const out = run(
      'consumer.cjs',
      `const names = ${JSON.stringify(entries)}.map((n) => Object.keys(require(n)).sort().join(','));
       console.log(JSON.stringify(names));`,
    );
    const [engine, express, koa, fastify] = JSON.parse(out) as string[];
    expect(engine).to.include('assign').and.include('SimpleTrackSet').and.include('MultiTrackSet');
    expect(express).to.equal('tracks');
    expect(koa).to.equal('tracks');
    expect(fastify).to.equal('tracks');
  });

  it('loads every entry point with import and assigns through them', function () {
    const out = run(
      'consumer.mjs',
      `import { SimpleTrackSet, assign } from 'tracks-ab';
       import { tracks as express } from 'tracks-ab/express';
       import { tracks as koa } from 'tracks-ab/koa';
       import { tracks as fastify } from 'tracks-ab/fastify';
       class Delay extends SimpleTrackSet { static setName = 'delay'; static shortTrack() {} }
       const a = assign(Delay, { key: 'user-1' });
       console.log([typeof express, typeof koa, typeof fastify, a.setName, typeof a.name].join(','));`,
    );
    expect(out).to.equal('function,function,function,delay,string');
  });

  it('gives the same variant through require and import', function () {
    const body = `class Delay extends SimpleTrackSet { static setName = 'delay'; static shortTrack() {} static longTrack() {} }
      console.log(['a', 'b', 'c', 42].map((key) => assign(Delay, { key }).name).join(','));`;
    const viaRequire = run('same.cjs', `const { SimpleTrackSet, assign } = require('tracks-ab');\n${body}`);
    const viaImport = run('same.mjs', `import { SimpleTrackSet, assign } from 'tracks-ab';\n${body}`);
    expect(viaImport).to.equal(viaRequire);
  });

  it('ships type declarations for every entry point and only built files', function () {
    const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as Array<{
      files: Array<{ path: string }>;
    }>;
    const files = packed[0]!.files.map((f) => f.path);
    for (const name of ['index', 'express', 'koa', 'fastify']) {
      const dir = name === 'index' ? 'dist/src' : 'dist/adapters';
      expect(files).to.include(`${dir}/${name}.js`);
      expect(files).to.include(`${dir}/${name}.d.ts`);
    }
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('examples/') || f.startsWith('bench/'))).to.deep.equal([]);
  });
});
