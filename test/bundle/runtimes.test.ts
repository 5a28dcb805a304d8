// The neutral bundle of a tracks-ab/fetch app, run by Bun and Deno themselves (when installed), with their own Web APIs.
import { expect } from 'chai';
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { Signer } from '../../src/request/signer.js';

const root = resolve(__dirname, '../..');
const dir = join(root, '.tmp', 'runtimes');
const SECRET = 'runtime-secret';

const APP = `
import { SimpleTrackSet } from 'tracks-ab';
import { withTracks, tracks } from 'tracks-ab/fetch';
import { Hono } from 'hono';

class DelayTracks extends SimpleTrackSet {
  static setName = 'delay';
  static shortTrack() {}
  static longTrack() {}
}
const options = { key: (r) => (r.headers instanceof Headers ? r.headers : r.req.raw.headers).get('x-user-id'), cookie: { secret: '${SECRET}' } };
export const plain = withTracks([DelayTracks], options, (request, t) => Response.json(t.get(DelayTracks)));
export const hono = new Hono().use(tracks([DelayTracks], options)).get('/', (c) => c.json(c.get('tracks').get(DelayTracks)));
`;

// Two requests through each form: a new user, then the same user with the cookie they were given.
const SMOKE = `
import { plain, hono } from './app.bundle.mjs';
const headers = { 'x-user-id': 'ulla', 'user-agent': 'Mozilla/5.0 Chrome/126.0' };
const out = {};
for (const [name, fetch] of [['plain', plain], ['hono', (r) => hono.fetch(r)]]) {
  const first = await fetch(new Request('https://shop.test/', { headers }));
  const cookies = first.headers.getSetCookie();
  const value = cookies[0].split(';')[0].slice('tracks='.length);
  const again = await fetch(new Request('https://shop.test/', { headers: { ...headers, cookie: 'tracks=' + value } }));
  out[name] = { first: await first.json(), cookies, again: await again.json(), againCookies: again.headers.getSetCookie() };
}
out.runtime = typeof Deno !== 'undefined' ? 'deno ' + Deno.version.deno : typeof Bun !== 'undefined' ? 'bun ' + Bun.version : 'other';
console.log(JSON.stringify(out));
`;

/** A runtime's executable on the PATH, or null. */
function find(name: string): string | null {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) if (folder && existsSync(join(folder, name))) return join(folder, name);
  return null;
}

interface Smoke {
  first: { name: string; reason: string };
  cookies: string[];
  again: { name: string; reason: string };
  againCookies: string[];
}

describe('the neutral bundle under Bun and Deno', function () {
  this.timeout(60_000);

  before(async function () {
    if (!existsSync(join(root, 'dist/adapters/fetch.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'app.mjs'), APP);
    writeFileSync(join(dir, 'smoke.mjs'), SMOKE);
    await build({
      entryPoints: [join(dir, 'app.mjs')],
      outfile: join(dir, 'app.bundle.mjs'),
      bundle: true,
      platform: 'neutral',
      format: 'esm',
      mainFields: ['module', 'main'],
      conditions: ['worker', 'browser'],
      tsconfigRaw: '{}',
      logLevel: 'silent',
    });
  });

  for (const [runtime, args] of [
    ['bun', ['run', 'smoke.mjs']],
    // No permission flag at all: the bundle needs no file, network or environment access.
    ['deno', ['run', '--no-prompt', 'smoke.mjs']],
  ] as const) {
    it(`serves, signs and honours the cookie under ${runtime}`, function () {
      const executable = find(runtime);
      if (executable === null) this.skip();
      const out = JSON.parse(
        execFileSync(executable, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } }),
      ) as Record<'plain' | 'hono', Smoke> & { runtime: string };
      expect(out.runtime.startsWith(runtime)).to.equal(true);
      for (const form of ['plain', 'hono'] as const) {
        const { first, cookies, again, againCookies } = out[form];
        expect(first.reason, form).to.equal('hash');
        const value = cookies[0]!.split(';')[0]!.slice('tracks='.length);
        // The signature Web Crypto made there is the one node:crypto makes here.
        expect(new Signer([SECRET]).unsign(value).value, form).to.match(/^2~[A-Za-z0-9_-]{12}~[0-9a-f]{14}$/);
        expect(new Signer([SECRET]).unsign(value).value!.split('~')[1], form).to.equal(new Signer([SECRET]).tag('ulla'));
        expect(cookies[0], form).to.include('Secure');
        expect([again.name, again.reason, againCookies], form).to.deep.equal([first.name, 'sticky', []]);
      }
    });
  }
});
