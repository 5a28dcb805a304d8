// The packed package loads as a user would load it, from a project that installed the tarball:
// require and import of every entry point, the same variant both ways, errors mapped to the source.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { entryPoints, installInto, packedPackage, type EntryPoint } from './packed-package.js';

describe('the packed package, installed', function () {
  let project: string;
  let entries: EntryPoint[];

  before(async function () {
    this.timeout(300_000);
    const packed = await packedPackage();
    entries = entryPoints(packed.manifest);
    project = join(packed.dir, 'load');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'package.json'), '{"name":"consumer","private":true}');
    // tracks-ab/openfeature loads its optional peer at run time, as a user of it has installed it.
    installInto(project, packed, { '@openfeature/server-sdk': '@openfeature/server-sdk' });
  });

  function run(file: string, source: string, flags: string[] = []): string {
    writeFileSync(join(project, file), source);
    return execFileSync(process.execPath, [...flags, join(project, file)], { cwd: project, encoding: 'utf8' }).trim();
  }

  it('loads every entry point with require', function () {
    const out = run(
      'consumer.cjs',
      `const names = ${JSON.stringify(entries.map((e) => e.specifier))};
       console.log(JSON.stringify(Object.fromEntries(names.map((n) => [n, Object.keys(require(n)).sort()]))));`,
    );
    const keys = JSON.parse(out) as Record<string, string[]>;
    expect(Object.keys(keys)).to.deep.equal(entries.map((e) => e.specifier));
    for (const [name, exported] of Object.entries(keys)) expect(exported, name).to.have.length.above(0);
    expect(keys['tracks-ab']).to.include.members(['assign', 'SimpleTrackSet', 'MultiTrackSet', 'ParamTrackSet', 'TracksError']);
    expect(keys['tracks-ab/express']).to.deep.equal(['tracks']);
    expect(keys['tracks-ab/koa']).to.deep.equal(['mountConsole', 'tracks']);
    expect(keys['tracks-ab/fastify']).to.include.members(['default', 'mountConsole', 'tracks']);
    expect(keys['tracks-ab/console']).to.include.members(['tracksConsole', 'readConsole', 'renderConsole']);
  });

  it('gives the Fastify plugin as the module itself, its default and its tracks, with require and import', function () {
    const viaRequire = run(
      'fastify.cjs',
      `const m = require('tracks-ab/fastify');
       console.log([typeof m, m.default === m, m.tracks === m].join(','));`,
    );
    expect(viaRequire).to.equal('function,true,true');
    const viaImport = run(
      'fastify.mjs',
      `import plugin, { tracks } from 'tracks-ab/fastify';
       const ns = await import('tracks-ab/fastify');
       console.log([typeof plugin, tracks === plugin, ns.default === plugin, typeof ns.default].join(','));`,
    );
    expect(viaImport).to.equal('function,true,true,function');
  });

  it('loads every entry point with import and assigns through them', function () {
    const out = run(
      'consumer.mjs',
      `const names = ${JSON.stringify(entries.map((e) => e.specifier))};
       const loaded = await Promise.all(names.map((n) => import(n)));
       const { SimpleTrackSet, assign } = loaded[0];
       class Delay extends SimpleTrackSet { static setName = 'delay'; static shortTrack() {} }
       const a = assign(Delay, { key: 'user-1' });
       console.log([loaded.every((m) => Object.keys(m).length > 0), a.setName, typeof a.name].join(','));`,
    );
    expect(out).to.equal('true,delay,string');
  });

  it('gives the same variant through require and import', function () {
    const body = `class Delay extends SimpleTrackSet { static setName = 'delay'; static shortTrack() {} static longTrack() {} }
      console.log(['a', 'b', 'c', 42].map((key) => assign(Delay, { key }).name).join(','));`;
    const viaRequire = run('same.cjs', `const { SimpleTrackSet, assign } = require('tracks-ab');\n${body}`);
    const viaImport = run('same.mjs', `import { SimpleTrackSet, assign } from 'tracks-ab';\n${body}`);
    expect(viaImport).to.equal(viaRequire);
  });

  it('maps a configuration error to the line of TypeScript that threw, with node --enable-source-maps', function () {
    const stack = run(
      'mapped.cjs',
      `const { SimpleTrackSet } = require('tracks-ab');
       const { tracks } = require('tracks-ab/express');
       class Delay extends SimpleTrackSet { static setName = 'delay'; static shortTrack() {} }
       try { tracks([Delay], { cookie: { maxAge: -1 } }); } catch (error) { console.log(error.stack); }`,
      ['--enable-source-maps'],
    );
    expect(stack).to.match(/option cookie\.maxAge is invalid: -1/);
    // The first frame inside the package names its TypeScript file; the map carries that file's text.
    const frame = /node_modules\/tracks-ab\/(src\/[\w/-]+\.ts):(\d+):\d+/.exec(stack);
    expect(frame, stack).to.not.equal(null);
    const [, source, line] = frame!;
    const map = JSON.parse(readFileSync(join(project, 'node_modules/tracks-ab/dist', source!.replace(/\.ts$/, '.js.map')), 'utf8')) as {
      sourcesContent: string[];
    };
    expect(map.sourcesContent[0]!.split('\n')[Number(line) - 1]).to.match(/throw|TracksError/);
  });
});
