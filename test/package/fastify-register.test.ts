// Fastify 4 and 5 register the packed plugin every way a user writes it, the documented
// `app.register(import('tracks-ab/fastify'))` included, and serve a request through it over HTTP.
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROWSER } from '../adapters/harness.js';
import { installInto, packedPackage, runCommand } from './packed-package.js';

/** How a user hands the plugin to register(), as an expression of the consumer script below. */
const ways: Record<string, string> = {
  'the default import': 'plugin',
  'the named export': 'tracks',
  "import('tracks-ab/fastify')": "import('tracks-ab/fastify')",
  "require('tracks-ab/fastify')": "require('tracks-ab/fastify')",
  "require('tracks-ab/fastify').default": "require('tracks-ab/fastify').default",
  "require('tracks-ab/fastify').tracks": "require('tracks-ab/fastify').tracks",
};

const frameworks = { 'Fastify 5': 'fastify', 'Fastify 4': 'fastify4' };

// An ES module in a project that installed the tarball: one app per framework and way, each asked
// once over HTTP for the variant of a fixed user; prints what each answered.
const consumer = `
import { createRequire } from 'node:module';
import { SimpleTrackSet, assign } from 'tracks-ab';
import plugin, { tracks } from 'tracks-ab/fastify';
const require = createRequire(import.meta.url);
class Delay extends SimpleTrackSet { static setName = 'delay'; static shortTrack() {} static longTrack() {} }
const results = {};
for (const framework of ${JSON.stringify(Object.values(frameworks))}) {
  const Fastify = (await import(framework)).default;
  for (const [way, get] of Object.entries({ ${Object.entries(ways)
    .map(([way, expression]) => `${JSON.stringify(way)}: () => ${expression}`)
    .join(', ')} })) {
    const app = Fastify();
    await app.register(get(), { sets: [Delay], key: { header: 'x-user-id' } });
    app.get('/', async (request) => request.tracks.get(Delay).name);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const response = await fetch(url, { headers: { 'x-user-id': 'user-7', 'user-agent': ${JSON.stringify(BROWSER)} } });
    results[framework + ' ' + way] = { version: app.version, status: response.status, body: await response.text(), cookie: response.headers.get('set-cookie') };
    await app.close();
  }
}
console.log(JSON.stringify({ expected: assign(Delay, { key: 'user-7' }).name, results }));
`;

interface Answer {
  version: string;
  status: number;
  body: string;
  cookie: string | null;
}

describe('the packed Fastify plugin in real Fastify 4 and 5 apps', function () {
  let expected: string;
  let results: Record<string, Answer>;

  before(async function () {
    this.timeout(300_000);
    const packed = await packedPackage();
    const project = join(packed.dir, 'fastify-register');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'package.json'), '{"name":"consumer","private":true,"type":"module"}');
    installInto(project, packed, Object.fromEntries(Object.values(frameworks).map((name) => [name, name])));
    writeFileSync(join(project, 'app.js'), consumer);
    const { code, output } = await runCommand(process.execPath, [join(project, 'app.js')], project);
    if (code !== 0) throw new Error(`the consumer app failed:\n${output}`);
    ({ expected, results } = JSON.parse(output) as { expected: string; results: Record<string, Answer> });
  });

  for (const [framework, name] of Object.entries(frameworks)) {
    for (const way of Object.keys(ways)) {
      it(`${framework} registers ${way} and serves the user's variant with its cookie`, function () {
        const answer = results[`${name} ${way}`]!;
        expect(answer.version.split('.')[0]).to.equal(framework.slice(-1));
        expect(answer.status).to.equal(200);
        expect(answer.body).to.equal(expected);
        expect(answer.cookie).to.match(/^tracks=/);
      });
    }
  }
});
