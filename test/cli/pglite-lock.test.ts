// The built CLI refuses a PGlite folder that a real second process holds open, says what to do, and works once it is closed.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from './run-cli.js';

const DIST = resolve(__dirname, '../../dist/src');

/** A node process that opens the folder as an app does (PGlite, migrate, publishSets), then waits for "close" on stdin. */
const APP = `
const { PGlite } = require('@electric-sql/pglite');
const { SimpleTrackSet } = require(${JSON.stringify(join(DIST, 'index.js'))});
const { migrate, publishSets } = require(${JSON.stringify(join(DIST, 'postgres/index.js'))});
class Delay extends SimpleTrackSet { static setName = 'delay'; static shortTrack() {} static longTrack() {} }
(async () => {
  const db = await PGlite.create(process.argv[1]);
  await migrate(db);
  await publishSets(db, [Delay]);
  console.log('ready');
  process.stdin.on('data', async () => { await db.close(); console.log('closed'); });
})();
`;

function startApp(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', APP, dir], { stdio: ['pipe', 'pipe', 'inherit'], cwd: resolve(__dirname, '../..') });
  return new Promise((done, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) done(child);
    });
    child.once('exit', (code) => fail(new Error(`the app process exited early (${code})`)));
  });
}

function closeDatabase(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('closed')) done();
    });
    child.stdin!.write('close\n');
  });
}

describe('tracks-ab on a PGlite folder another process has open', function () {
  this.timeout(180_000);
  let dir: string;
  let app: ChildProcess | null = null;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracks-lock-'));
  });
  afterEach(() => {
    app?.kill('SIGKILL');
    app = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses writes and reads naming the process and saying what to do, and works once the app closes it', async () => {
    app = await startApp(dir);
    const disable = await runCli(['controls', 'disable', 'delay', '--pglite', dir]);
    expect(disable.code).to.equal(1);
    expect(disable.stdout).to.equal('');
    expect(disable.stderr).to.include(`tracks-ab controls: the PGlite folder ${dir} is open in another process (pid ${app.pid}`);
    expect(disable.stderr).to.include('a change written here would never reach it');
    expect(disable.stderr).to.include('Stop the app first; or use the console mounted in the app');
    expect(disable.stderr).to.include('--database-url');
    const migrate = await runCli(['migrate', '--pglite', dir]);
    expect([migrate.code, migrate.stderr.startsWith(`tracks-ab migrate: the PGlite folder ${dir} is open`)]).to.deep.equal([1, true]);
    const list = await runCli(['controls', 'list', '--pglite', dir]);
    expect(list.code).to.equal(1);
    expect(list.stderr).to.include('can be older than what it holds');

    await closeDatabase(app);
    const after = await runCli(['controls', 'disable', 'delay', '--pglite', dir]);
    expect([after.code, after.stdout.trim()]).to.deep.equal([0, 'delay: disabled']);
  });

  it('refuses a folder left open by a process that died, and says how to clear it', async () => {
    app = await startApp(dir);
    app.kill('SIGKILL');
    await new Promise((done) => app!.once('exit', done));
    app = null;
    expect(existsSync(join(dir, 'postmaster.pid'))).to.equal(true);
    const run = await runCli(['controls', 'enable', 'delay', '--pglite', dir]);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include('or it was not closed cleanly');
    expect(run.stderr).to.include(`delete ${join(dir, 'postmaster.pid')} and run again`);
    rmSync(join(dir, 'postmaster.pid'));
    const again = await runCli(['controls', 'enable', 'delay', '--pglite', dir]);
    expect([again.code, again.stdout.trim()]).to.deep.equal([0, 'delay: running']);
  });
});
