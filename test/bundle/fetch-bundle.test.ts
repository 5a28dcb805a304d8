// An app on tracks-ab/fetch bundles for a neutral platform with no Node built-in, and runs with Web globals only.
import { expect } from 'chai';
import { build, type BuildOptions } from 'esbuild';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { Signer } from '../../src/cookies/node-signer.js';

const root = resolve(__dirname, '../..');
const SECRET = 'bundle-secret';

// A Workers-style module: the package is imported by name, as a user's bundler sees it.
const APP = `
import { SimpleTrackSet } from 'tracks-ab';
import { withTracks } from 'tracks-ab/fetch';

class DelayTracks extends SimpleTrackSet {
  static setName = 'delay';
  static shortTrack() {}
  static longTrack() {}
}

export const fetch = withTracks([DelayTracks], { key: (request) => request.headers.get('x-user-id'), cookie: { secret: '${SECRET}' } },
  (request, tracks) => Response.json(tracks.get(DelayTracks)));
export default { fetch };

/** What a start-up with other cookie options does: the handler, or the configuration error's code. */
export function startWith(cookie) {
  try {
    return withTracks([DelayTracks], { cookie }, (request, tracks) => Response.json(tracks.get(DelayTracks)));
  } catch (error) {
    return error.code;
  }
}
`;

/** What a Worker has: the Web platform's globals, and no process, Buffer, require or module. */
function webGlobals(): Record<string, unknown> {
  return {
    Request,
    Response,
    Headers,
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    ReadableStream,
    crypto,
    btoa,
    atob,
    console,
    setTimeout,
    clearTimeout,
    queueMicrotask,
  };
}

describe('a tracks-ab/fetch app bundled for a neutral platform', function () {
  this.timeout(30_000);
  const dir = join(root, '.tmp', 'bundle');
  const options: BuildOptions = {
    entryPoints: [join(dir, 'app.mjs')],
    bundle: true,
    platform: 'neutral',
    // The package is CommonJS with `main` and `exports`: a neutral build must be told to read them.
    mainFields: ['module', 'main'],
    conditions: ['worker', 'browser'],
    // Resolve through package.json as a user's build does, not through this repository's tsconfig paths.
    tsconfigRaw: '{}',
    write: false,
    logLevel: 'silent',
  };

  before(function () {
    if (!existsSync(join(root, 'dist/adapters/fetch.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'app.mjs'), APP);
  });

  it('resolves every import without a Node built-in, and imports or requires none', async () => {
    const result = await build({ ...options, format: 'esm', metafile: true });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.includes('dist/adapters/fetch.js'))).to.equal(true);
    expect(inputs.filter((input) => input.startsWith('node:') || builtinModules.includes(input))).to.deep.equal([]);
    const code = result.outputFiles![0]!.text;
    const builtins = builtinModules.map((name) => name.replace(/[/]/g, '\\/')).join('|');
    expect(code).to.not.match(new RegExp(`(require\\(|import\\(|from\\s*)["'](node:[^"']+|${builtins})["']`));
    // The one mention of node: is the engine's lazy getBuiltinModule for algorithm 'python', which the Fetch path never calls.
    const mentions = [...code.matchAll(/["']node:[^"']*["']/g)].map((m) => code.slice(m.index - 4, m.index + m[0].length));
    expect(mentions).to.deep.equal(['get("node:crypto"']);
    expect(code).to.include('globalThis.process?.getBuiltinModule');
  });

  it('serves and signs a request in a context with Web globals only', async () => {
    const result = await build({ ...options, format: 'iife', globalName: 'app' });
    const sandbox = webGlobals();
    runInNewContext(result.outputFiles![0]!.text, sandbox);
    const fetch = (sandbox.app as { fetch: (request: Request) => Promise<Response> }).fetch;
    expect(runInNewContext('typeof process + typeof Buffer + typeof require', sandbox)).to.equal('undefinedundefinedundefined');

    const first = await fetch(new Request('https://shop.test/', { headers: { 'x-user-id': 'tove', 'user-agent': 'Mozilla/5.0 Chrome/126.0' } }));
    const body = (await first.json()) as { name: string; reason: string };
    expect(body.reason).to.equal('hash');
    const [cookie] = first.headers.getSetCookie();
    const value = cookie!.split(';')[0]!.slice('tracks='.length);
    // Signed as node:crypto signs, format 2, bound to the user by the tag node:crypto makes.
    const payload = new Signer([SECRET]).unsign(value).value!;
    expect(payload).to.match(/^2~[A-Za-z0-9_-]{12}~[0-9a-f]{14}$/);
    expect(payload.split('~')[1]).to.equal(new Signer([SECRET]).tag('tove'));
    expect(cookie).to.include('Secure');

    const again = await fetch(
      new Request('https://shop.test/', { headers: { 'x-user-id': 'tove', 'user-agent': 'Mozilla/5.0 Chrome/126.0', cookie: `tracks=${value}` } }),
    );
    expect(await again.json()).to.include({ name: body.name, reason: 'sticky' });
    expect(again.headers.getSetCookie()).to.deep.equal([]);
  });

  it('refuses to start without a secret where NODE_ENV cannot be read, as in production, unless the app opts out', async () => {
    const result = await build({ ...options, format: 'iife', globalName: 'app' });
    const sandbox = webGlobals();
    runInNewContext(result.outputFiles![0]!.text, sandbox);
    const startWith = (sandbox.app as { startWith: (cookie: unknown) => unknown }).startWith;
    expect(startWith({})).to.equal('ERR_TRACKS_NO_SECRET');
    const editable = startWith({ editableByVisitors: true }) as (request: Request) => Promise<Response>;
    expect(typeof editable).to.equal('function');
    const res = await editable(new Request('https://shop.test/', { headers: { 'user-agent': 'Mozilla/5.0 Chrome/126.0' } }));
    expect(((await res.json()) as { reason: string }).reason).to.equal('hash');
    // Unsigned, as the app asked: format 1 and a bare id.
    expect(res.headers.getSetCookie().map((c) => c.split(';')[0]!.replace(/=.*/, ''))).to.deep.equal(['tracks', 'tracks_id']);
    expect(res.headers.getSetCookie()[0]).to.match(/^tracks=1~[0-9a-f]{14};/);
  });

  it('keeps the QA override off by default where NODE_ENV cannot be read', async () => {
    const result = await build({ ...options, format: 'iife', globalName: 'app' });
    const sandbox = webGlobals();
    runInNewContext(result.outputFiles![0]!.text, sandbox);
    const fetch = (sandbox.app as { fetch: (request: Request) => Promise<Response> }).fetch;
    const forced = await fetch(
      new Request('https://shop.test/?tracks=delay:long', { headers: { 'x-user-id': 'tove', 'user-agent': 'Mozilla/5.0 Chrome/126.0' } }),
    );
    expect(((await forced.json()) as { reason: string }).reason).to.equal('hash');
  });
});
