// Two app processes on one PostgreSQL database: `tracks-ab controls disable delay` is in force on both within the bound, `enable` restores everyone.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { freshDatabase, runCli } from '../cli/run-cli.js';

// Anonymous visitors send a browser's User-Agent: one without a User-Agent counts as a bot.
import { BROWSER } from '../adapters/harness.js';

const ROOT = resolve(__dirname, '../..');
const USERS = 30;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface App {
  child: ChildProcess;
  url: string;
}

function startApp(env: Record<string, string>): Promise<App> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'controls-app-server.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolveApp, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolveApp({ child, url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}` });
    });
    child.once('exit', (code) => reject(new Error(`the app exited with code ${code}`)));
  });
}

function stopApp(app: App): Promise<void> {
  return new Promise((done) => {
    if (app.child.exitCode !== null) return done();
    app.child.once('exit', () => done());
    app.child.kill('SIGTERM');
    // Not every close is graceful within the test's patience: end it for sure after a while (our own child, by its handle).
    setTimeout(() => app.child.kill('SIGKILL'), 5_000).unref();
  });
}

interface Answer {
  name: string;
  reason: string;
}

/** A visitor: their cookies once the first answer set them. */
type Visitor = { cookie: string; first: Answer };

function cookiesOf(res: request.Response): string {
  const header = res.headers['set-cookie'] as unknown as string[] | undefined;
  return (header ?? []).map((c) => c.split(';')[0]!).join('; ');
}

/** Polls `app` with a new visitor until it answers with `reason`; the time since `since`. */
async function inForceAfter(app: App, reason: string, since: number, cookie?: string): Promise<number> {
  for (;;) {
    const req = request(app.url).get('/delay').set('user-agent', BROWSER);
    const res = await (cookie ? req.set('cookie', cookie) : req);
    if ((res.body as Answer).reason === reason) return Date.now() - since;
    if (Date.now() - since > 30_000) throw new Error(`${app.url} not ${reason} after 30 s`);
    await sleep(2);
  }
}

const MODES: Array<{ title: string; env: Record<string, string>; bound: number }> = [
  { title: 'with LISTEN/NOTIFY', env: { TRACKS_LISTEN: '1', TRACKS_POLL_MS: '600000' }, bound: 1_000 },
  { title: 'with polling only (the default 5 s)', env: { TRACKS_LISTEN: '0' }, bound: 5_000 },
];

for (const mode of MODES) {
  describe(`two app processes on one PostgreSQL database, ${mode.title}`, function () {
    this.timeout(120_000);
    let db: { url: string; drop: () => Promise<void> };
    let apps: App[] = [];
    const visitors: Visitor[] = [];

    before(async () => {
      db = await freshDatabase();
      const migrated = await runCli(['migrate'], { DATABASE_URL: db.url });
      expect(migrated.code).to.equal(0);
      apps = await Promise.all([startApp({ DATABASE_URL: db.url, ...mode.env }), startApp({ DATABASE_URL: db.url, ...mode.env })]);
      if (mode.env.TRACKS_LISTEN === '1') {
        for (const app of apps) while (!((await request(app.url).get('/listening')).body as { listening: boolean }).listening) await sleep(10);
      }
      for (let i = 0; i < USERS; i++) {
        const res = await request(apps[i % 2]!.url)
          .get('/delay')
          .set('user-agent', BROWSER);
        visitors.push({ cookie: cookiesOf(res), first: res.body as Answer });
      }
    });
    after(async () => {
      await Promise.all(apps.map(stopApp));
      await db.drop();
    });

    it('hashes every new visitor on either server', () => {
      expect(visitors.map((v) => v.first.reason)).to.deep.equal(Array.from({ length: USERS }, () => 'hash'));
      expect(new Set(visitors.map((v) => v.first.name)).size).to.equal(3);
    });

    it('puts `controls disable delay` in force on both servers within the bound', async () => {
      const cli = await runCli(['controls', 'disable', 'delay'], { DATABASE_URL: db.url });
      const exited = Date.now();
      expect([cli.code, cli.stdout]).to.deep.equal([0, 'delay: disabled\n']);
      const delays = await Promise.all(apps.map((app) => inForceAfter(app, 'disabled', exited)));
      console.log(`      disable in force ${delays.map((d) => `${d} ms`).join(' and ')} after the command exited (${mode.title})`);
      // The documented bound (docs/middleware.md), with room for a machine shared by many test runs.
      for (const d of delays) expect(d).to.be.below(mode.bound + 2_000);
      for (const [i, v] of visitors.entries()) {
        for (const app of apps) {
          const res = await request(app.url).get('/delay').set('user-agent', BROWSER).set('cookie', v.cookie);
          expect(res.body, `visitor ${i}`).to.deep.include({ name: 'control', reason: 'disabled' });
        }
      }
    });

    it('gives every visitor their own variant back, reason sticky, on both servers after `controls enable delay`', async () => {
      const cli = await runCli(['controls', 'enable', 'delay'], { DATABASE_URL: db.url });
      const exited = Date.now();
      expect(cli.code).to.equal(0);
      const delays = await Promise.all(apps.map((app) => inForceAfter(app, 'sticky', exited, visitors[0]!.cookie)));
      console.log(`      enable in force ${delays.map((d) => `${d} ms`).join(' and ')} after the command exited (${mode.title})`);
      for (const d of delays) expect(d).to.be.below(mode.bound + 2_000);
      for (const [i, v] of visitors.entries()) {
        for (const app of apps) {
          const res = await request(app.url).get('/delay').set('user-agent', BROWSER).set('cookie', v.cookie);
          expect(res.body, `visitor ${i}`).to.deep.include({ name: v.first.name, reason: 'sticky' });
        }
      }
    });
  });
}
