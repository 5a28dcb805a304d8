// The examples sign their cookies: TRACKS_SECRET, a development-only default, and a refusal in production.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createApp } from '../../examples/coconut-store/app.js';
import { cookieSecret } from '../../examples/coconut-store/secret.js';
import { createKoaApp } from '../../examples/koa/app.js';
import { TracksError } from '../../src/index.js';

const root = join(__dirname, '..', '..');

/** Runs `npm start`'s script with `env` until it prints its first line or exits. */
function startStore(env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'examples', 'coconut-store', 'server.ts')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', PORT: '0', COCONUT_DATA_DIR: ':memory:', DATABASE_URL: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // Once: a second SIGINT while the store closes its database would kill it outright.
      if (stdout.includes('Coconut store') && !signalled) signalled = child.kill('SIGINT');
    });
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ stdout, stderr, code }));
  });
}

describe('the examples’ cookie secret', function () {
  // Each start creates an in-memory PGlite (initdb in WebAssembly: seconds on a busy machine).
  this.timeout(90_000);

  it('is TRACKS_SECRET, else a development-only default that production never gets', () => {
    expect(cookieSecret(undefined, { TRACKS_SECRET: 'from-env', NODE_ENV: 'production' })).to.equal('from-env');
    expect(cookieSecret('given', { TRACKS_SECRET: 'from-env' })).to.equal('given');
    expect(cookieSecret(undefined, {})).to.be.a('string').that.includes('development-only');
    expect(cookieSecret(undefined, { TRACKS_SECRET: '' }))
      .to.be.a('string')
      .that.includes('development-only');
    expect(cookieSecret(undefined, { NODE_ENV: 'production' })).to.equal(undefined);
    expect(cookieSecret(undefined, { NODE_ENV: 'production', TRACKS_SECRET: '' })).to.equal(undefined);
  });

  it('makes the Express and Koa stores refuse to start in production without TRACKS_SECRET', async () => {
    const saved = { NODE_ENV: process.env.NODE_ENV, TRACKS_SECRET: process.env.TRACKS_SECRET };
    process.env.NODE_ENV = 'production';
    delete process.env.TRACKS_SECRET;
    try {
      // Refused before the database is opened.
      const refused = await createApp({ database: { dataDir: ':memory:' } }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).to.be.instanceOf(TracksError).with.property('code', 'ERR_TRACKS_NO_SECRET');
      expect((refused as Error).message).to.include('option cookie.secret is missing');
      expect(() => createKoaApp()).to.throw(TracksError, 'option cookie.secret is missing');
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('lets `npm start` serve with no variable set, and refuses to serve in production without a secret', async () => {
    const dev = await startStore({});
    expect(dev.stdout).to.include('Coconut store');
    expect(dev.code).to.equal(0);
    const production = await startStore({ NODE_ENV: 'production' });
    expect(production.code).to.not.equal(0);
    expect(production.stderr).to.include('ERR_TRACKS_NO_SECRET').and.include('option cookie.secret is missing');
  });
});
