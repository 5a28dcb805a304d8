// The neutral bundle of a tracks-ab/fetch and tracks-ab/hono app, run by Bun and Deno themselves (installed by .ci/run; skipped elsewhere when absent), with their own Web APIs.
import { expect } from 'chai';
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { Signer } from '../../src/cookies/node-signer.js';

const root = resolve(__dirname, '../..');
const dir = join(root, '.tmp', 'runtimes');
const SECRET = 'runtime-secret';

const APP = `
import { SimpleTrackSet } from 'tracks-ab';
import { withTracks } from 'tracks-ab/fetch';
import { tracks } from 'tracks-ab/hono';
import { Hono } from 'hono';

class DelayTracks extends SimpleTrackSet {
  static setName = 'delay';
  static shortTrack() {}
  static longTrack() {}
}
const options = { key: (r) => (r.headers instanceof Headers ? r.headers : r.req.raw.headers).get('x-user-id'), cookie: { secret: '${SECRET}' } };
const view = (a) => ({ name: a.name, reason: a.reason, key: a.key });
export const plain = withTracks([DelayTracks], options, (request, t) => Response.json(view(t.get(DelayTracks))));
export const hono = new Hono().use(tracks([DelayTracks], options)).get('/', (c) => c.json(view(c.get('tracks').get(DelayTracks))));
`;

// Through each form: a new user; the same user with their cookie; then an anonymous visitor who
// logs in (continuity), and comes back with the cookie re-bound to them.
const SMOKE = `
import { plain, hono } from './app.bundle.mjs';
const browser = { 'user-agent': 'Mozilla/5.0 Chrome/126.0' };
const pair = (setCookie) => setCookie.split(';')[0];
const out = {};
for (const [name, fetch] of [['plain', plain], ['hono', (r) => hono.fetch(r)]]) {
  const call = async (headers) => {
    const response = await fetch(new Request('https://shop.test/', { headers: { ...browser, ...headers } }));
    return { body: await response.json(), cookies: response.headers.getSetCookie() };
  };
  const first = await call({ 'x-user-id': 'ulla' });
  const again = await call({ 'x-user-id': 'ulla', cookie: pair(first.cookies[0]) });
  const anonymous = await call({});
  const jar = anonymous.cookies.map(pair).join('; ');
  const loggedIn = await call({ 'x-user-id': 'vic', cookie: jar });
  const id = anonymous.cookies.map(pair).find((c) => c.startsWith('tracks_id='));
  const back = await call({ 'x-user-id': 'vic', cookie: id + '; ' + pair(loggedIn.cookies[0]) });
  out[name] = { first, again, anonymous, loggedIn, back };
}
out.runtime = typeof Deno !== 'undefined' ? 'deno ' + Deno.version.deno : typeof Bun !== 'undefined' ? 'bun ' + Bun.version : 'other';
console.log(JSON.stringify(out));
`;

/** A runtime's executable on the PATH, or null. */
function find(name: string): string | null {
  for (const folder of (process.env.PATH ?? '').split(delimiter)) if (folder && existsSync(join(folder, name))) return join(folder, name);
  return null;
}

interface Call {
  body: { name: string; reason: string; key: string | null };
  cookies: string[];
}
type Smoke = Record<'first' | 'again' | 'anonymous' | 'loggedIn' | 'back', Call>;

/** The value of the Set-Cookie for `name` among `cookies`. */
function valueOf(cookies: string[], name: string): string {
  const found = cookies.find((c) => c.startsWith(`${name}=`));
  if (found === undefined) throw new Error(`no ${name} cookie in ${JSON.stringify(cookies)}`);
  return found.split(';')[0]!.slice(name.length + 1);
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
      if (executable === null) {
        // CI installs both from the npm registry (.ci/run): there a missing runtime is a failure, not a skip.
        if (process.env.CI) throw new Error(`${runtime} is not on the PATH: .ci/run installs it into .tmp/js-runtimes`);
        console.warn(
          `      skipping ${runtime}: not on the PATH (npm install --prefix .tmp/js-runtimes ${runtime}, then add .tmp/js-runtimes/node_modules/.bin to PATH)`,
        );
        this.skip();
      }
      const out = JSON.parse(
        execFileSync(executable, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } }),
      ) as Record<'plain' | 'hono', Smoke> & { runtime: string };
      expect(out.runtime.startsWith(runtime)).to.equal(true);
      const node = new Signer([SECRET]);
      for (const form of ['plain', 'hono'] as const) {
        const { first, again, anonymous, loggedIn, back } = out[form];
        expect(first.body.reason, form).to.equal('hash');
        // The tag and the signature Web Crypto made there are the ones node:crypto makes here.
        const payload = node.unsign(valueOf(first.cookies, 'tracks')).value!;
        expect(payload, form).to.match(/^2~[A-Za-z0-9_-]{12}~[0-9a-f]{14}$/);
        expect(payload.split('~')[1], form).to.equal(node.tag('ulla'));
        expect(first.cookies[0], form).to.include('Secure');
        expect([again.body.name, again.body.reason, again.cookies], form).to.deep.equal([first.body.name, 'sticky', []]);
        // The anonymous id is signed there as here, and its cookie bound to it.
        const id = node.unsign(valueOf(anonymous.cookies, 'tracks_id')).value;
        expect([id, anonymous.body.reason], form).to.deep.equal([anonymous.body.key, 'hash']);
        expect(node.unsign(valueOf(anonymous.cookies, 'tracks')).value!.split('~')[1], form).to.equal(node.tag(id!));
        // Logging in keeps the variant (continuity) and re-binds the cookie to the user, once.
        expect([loggedIn.body.name, loggedIn.body.reason, loggedIn.body.key], form).to.deep.equal([anonymous.body.name, 'sticky', 'vic']);
        expect(node.unsign(valueOf(loggedIn.cookies, 'tracks')).value!.split('~')[1], form).to.equal(node.tag('vic'));
        expect([back.body.name, back.body.reason, back.cookies], form).to.deep.equal([anonymous.body.name, 'sticky', []]);
      }
    });
  }
});
