// Scenario: an app process writes exposures while PostgreSQL is killed mid-run, and killed again just before the app gets SIGTERM: no good row is lost, the poison is counted.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { migrate } from '../../src/postgres/migrations.js';
import { PostgresServer } from '../support/postgres-server.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const SCRIPT = join(__dirname, '..', 'support', 'shutdown-app.ts');
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

interface Closed {
  received: number;
  written: number;
  refused: number;
  dropped: number;
  queued: number;
  outages: number;
}

describe('exposures through two PostgreSQL outages and a SIGTERM (app in a child process)', function () {
  this.timeout(180_000);
  let server: PostgresServer;
  let child: ChildProcess | null = null;

  before(async () => {
    // A server of its own: killing the run's shared server would fail every other suite.
    server = await PostgresServer.start();
    const client = new pg.Client({ connectionString: server.url() });
    await client.connect();
    await migrate(client);
    await client.end();
  });

  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await server?.stop();
  });

  it('writes every good row, counts the poisoned ones, and drops nothing when SIGTERM follows an outage', async () => {
    const app = spawn(process.execPath, ['--import', 'tsx', SCRIPT, server.url()], {
      cwd: join(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = app;
    let out = '';
    app.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    app.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => app.once('exit', (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      const check = (): void => {
        const m = /listening (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      };
      app.stdout.on('data', check);
      void exited.then(() => reject(new Error(`the app exited before listening:\n${out}`)));
    });

    let users = 0;
    let served = 0;
    let running = true;
    const visit = async (): Promise<void> => {
      const res = await fetch(`http://127.0.0.1:${port}/checkout`, { headers: { 'user-agent': BROWSER, 'x-user-id': `shopper-${users++}` } });
      if (res.status === 200) served++;
      await res.arrayBuffer();
    };
    const traffic = (async () => {
      while (running) await Promise.all([visit(), visit(), sleep(10)]);
    })();

    await sleep(600);
    await (await fetch(`http://127.0.0.1:${port}/poison`)).arrayBuffer();
    await sleep(300);
    await server.kill('SIGKILL'); // mid-run: the postmaster, as a crash would
    await sleep(1500);
    await server.restart();
    await sleep(800);
    await server.kill('SIGKILL'); // again: rows queue, the back-off grows (1 s, 2 s, 4 s…)
    await sleep(1200);
    running = false;
    await traffic;
    await sleep(2500);
    const before = (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as Closed;
    await server.restart();
    app.kill('SIGTERM'); // just after the database is back, long before the pending retry
    expect(await exited, out).to.equal(0);
    const m = /closed (\{.*\})/.exec(out);
    expect(m, out).to.not.equal(null);
    const closed = JSON.parse(m![1]!) as Closed;

    const client = new pg.Client({ connectionString: server.url() });
    await client.connect();
    const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from tracks_exposures where user_key like 'shopper-%'`);
    const { rows: poison } = await client.query<{ n: number }>(
      `select count(*)::int as n from tracks_exposures where user_key like 'poison%' or user_key like 'evil%'`,
    );
    await client.end();
    console.log(
      `      ${served} exposures served; queued before SIGTERM ${before.queued} after ${before.outages} failed writes; ` +
        `at close ${JSON.stringify(closed)}; rows ${rows[0]!.n}`,
    );

    expect(served).to.be.above(100);
    expect(before.queued).to.be.above(0); // rows of the second outage waited for the database
    expect(rows[0]!.n).to.equal(served); // 0 good rows lost
    expect(poison[0]!.n).to.equal(0);
    expect(closed).to.include({ received: served + 2, written: served, refused: 2, dropped: 0, queued: 0 });
  });
});
