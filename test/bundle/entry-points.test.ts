// The built tracks-ab/node, tracks-ab/fetch, tracks-ab/hono and tracks-ab/openfeature load by name, with require and import.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

describe('the node, fetch, hono and openfeature entry points of the built package', function () {
  this.timeout(30_000);
  let project: string;

  before(function () {
    if (!existsSync(join(root, 'dist/adapters/fetch.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
    // A throw-away project whose node_modules holds this package, and the peers it may use.
    project = mkdtempSync(join(tmpdir(), 'tracks-ab-entries-'));
    mkdirSync(join(project, 'node_modules', '@openfeature'), { recursive: true });
    symlinkSync(root, join(project, 'node_modules', 'tracks-ab'), 'dir');
    for (const peer of ['@openfeature/server-sdk', '@openfeature/core'])
      symlinkSync(join(root, 'node_modules', peer), join(project, 'node_modules', peer), 'dir');
    writeFileSync(join(project, 'package.json'), '{"name":"consumer","private":true}');
  });

  after(() => rmSync(project, { recursive: true, force: true }));

  function run(file: string, source: string): string {
    writeFileSync(join(project, file), source);
    return execFileSync(process.execPath, [join(project, file)], { cwd: project, encoding: 'utf8' }).trim();
  }

  it('exports the adapters with require, and neither tracks-ab/fetch nor tracks-ab/hono loads Hono (the app brings it)', () => {
    const out = run(
      'entries.cjs',
      `const loaded = (name) => Object.keys(require.cache).some((f) => f.includes('/node_modules/' + name + '/'));
       const fetchEntry = Object.keys(require('tracks-ab/fetch')).sort().join(',');
       const afterFetch = { hono: loaded('hono'), honoAdapter: Object.keys(require.cache).some((f) => f.endsWith('adapters/hono.js')) };
       const names = ['tracks-ab/node', 'tracks-ab/hono', 'tracks-ab/openfeature'].map((n) => Object.keys(require(n)).sort().join(','));
       console.log(JSON.stringify({ fetchEntry, afterFetch, names, hono: loaded('hono') }));`,
    );
    expect(JSON.parse(out)).to.deep.equal({
      fetchEntry: 'withTracks',
      afterFetch: { hono: false, honoAdapter: false },
      names: ['tracks,withTracks', 'tracks', 'REASONS,TracksProvider'],
      hono: false,
    });
  });

  it('fails at link time, naming the export, where an ES module imports the Hono middleware from tracks-ab/fetch', () => {
    // No stub stands in for it (none shipped in a release; a throwing getter would break every ES
    // module import of tracks-ab/fetch, since Node reads each export): Node refuses the import itself.
    writeFileSync(join(project, 'moved.mjs'), "import { tracks } from 'tracks-ab/fetch';\nconsole.log(typeof tracks);\n");
    const result = spawnSync(process.execPath, [join(project, 'moved.mjs')], { cwd: project, encoding: 'utf8' });
    expect(result.status).to.equal(1);
    expect(result.stdout).to.equal('');
    expect(result.stderr).to.match(/SyntaxError: Named export 'tracks' not found\. The requested module 'tracks-ab\/fetch'/);
  });

  it('serves a request through each, imported as ES modules', () => {
    const out = run(
      'entries.mjs',
      `import { SimpleTrackSet } from 'tracks-ab';
       import { withTracks } from 'tracks-ab/fetch';
       import { tracks } from 'tracks-ab/node';
       import { TracksProvider } from 'tracks-ab/openfeature';
       class Delay extends SimpleTrackSet { static setName = 'delay'; static shortTrack() {} static longTrack() {} }
       const handler = withTracks([Delay], { key: () => 'u1', cookie: { secret: 's' } }, (request, t) => new Response(t.get(Delay).name));
       const fetched = await (await handler(new Request('http://x/', { headers: { 'user-agent': 'Mozilla/5.0 Chrome/126.0' } }))).text();
       const provider = new TracksProvider([Delay]);
       const resolved = (await provider.resolveStringEvaluation('delay', 'x', { targetingKey: 'u1' })).value;
       console.log([typeof tracks, fetched === resolved].join(','));`,
    );
    expect(out).to.equal('function,true');
  });
});
