// `tracks-ab console` as a person runs it: the built command serving a PostgreSQL database's console, a write with the token, Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import pg from 'pg';
import request from 'supertest';
import { SimpleTrackSet } from '../../src/index.js';
import { migrate, publishSets, readControlChanges } from '../../src/postgres/index.js';
import { CLI, freshDatabase, runCli } from './run-cli.js';

class Checkout extends SimpleTrackSet {
  static override setName = 'checkout';
  static oneClickTrack(): void {}
}

const TOKEN = 'cli-console-token-0123456789';

/** Starts `tracks-ab console --port 0` and resolves with its URL once it prints it. */
function serve(url: string): Promise<{ child: ChildProcess; base: string; stderr: () => string }> {
  const child = spawn(process.execPath, [CLI, 'console', '--port', '0'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', DATABASE_URL: url, TRACKS_CONSOLE_TOKEN: TOKEN },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /tracks-ab console: (http:\/\/\S+)\/console\//.exec(out);
      if (match) resolve({ child, base: match[1]!, stderr: () => err });
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${err}`)));
  });
}

describe('tracks-ab console', function () {
  this.timeout(60_000);
  let database: { url: string; drop: () => Promise<void> };

  before(async () => {
    database = await freshDatabase();
    const pool = new pg.Pool({ connectionString: database.url });
    try {
      await migrate(pool);
      await publishSets(pool, [Checkout]);
    } finally {
      await pool.end();
    }
  });

  after(() => database?.drop());

  it('serves the catalogue, takes a write with the bearer token, records it, and stops on SIGTERM with 0', async () => {
    const { child, base } = await serve(database.url);
    try {
      const page = await request(base).get('/console/').expect(200);
      expect(page.text).to.include('<section id="set-checkout" data-set="checkout">');
      expect(page.text).to.include('Split not checked: the catalogue holds no weights');
      await request(base).post('/console/controls').type('form').send({ set: 'checkout', action: 'disable', by: 'carol' }).expect(403);
      await request(base)
        .post('/console/controls')
        .set('Authorization', `Bearer ${TOKEN}`)
        .type('form')
        .send({ set: 'checkout', action: 'disable', by: 'carol', note: 'broken' })
        .expect(303);
      expect((await request(base).get('/console/').expect(200)).text).to.include('data-status="disabled"');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
    }
    const pool = new pg.Pool({ connectionString: database.url });
    try {
      const [last] = await readControlChanges(pool, { setName: 'checkout' });
      expect([last!.changedBy, last!.note, last!.after]).to.deep.equal([
        'carol',
        'broken',
        { disabled: true, pinned: null, coverage: null, paused: null },
      ]);
    } finally {
      await pool.end();
    }
  });

  it('refuses a PGlite folder with what to do instead (exit 2)', async () => {
    const run = await runCli(['console', '--pglite', '/tmp/nowhere']);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include('Mount tracksConsole in the app');
  });
});
