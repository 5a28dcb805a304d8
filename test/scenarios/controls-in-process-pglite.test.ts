// PGlite is one process: two Express apps in this process on one PGlite instance, changed by the CLI's own main(), in force on both.
import { PGlite } from '@electric-sql/pglite';
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { tracks } from '../../adapters/express.js';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/command.js';
import { SimpleTrackSet } from '../../src/index.js';
import { migrate, postgresControls, publishSets, type PostgresControls } from '../../src/postgres/index.js';

// Anonymous visitors send a browser's User-Agent: one without a User-Agent counts as a bot.
import { BROWSER } from '../adapters/harness.js';

class DelayTracks extends SimpleTrackSet {
  static override setName = 'delay';
  static shortTrack(): void {}
  static longTrack(): void {}
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function appOn(controls: PostgresControls): express.Express {
  const app = express();
  app.use(tracks([DelayTracks], { cookie: { secret: 'in-process-secret' }, controls }));
  app.get('/delay', (req, res) => {
    const delay = req.tracks.get(DelayTracks);
    res.json({ name: delay.name, reason: delay.reason });
  });
  return app;
}

async function inForceAfter(app: express.Express, reason: string, since: number, cookie = ''): Promise<number> {
  for (;;) {
    const res = await request(app).get('/delay').set('user-agent', BROWSER).set('cookie', cookie);
    if ((res.body as { reason: string }).reason === reason) return Date.now() - since;
    if (Date.now() - since > 20_000) throw new Error(`not ${reason} after 20 s`);
    await sleep(2);
  }
}

for (const mode of [
  { title: 'with PGlite listen', options: { pollIntervalMs: 600_000 }, bound: 1_000 },
  { title: 'with polling only every 500 ms', options: { listen: false, pollIntervalMs: 500 }, bound: 500 },
]) {
  describe(`two apps in one process on one PGlite database, ${mode.title}`, function () {
    this.timeout(120_000);
    let db: PGlite;
    const sources: PostgresControls[] = [];
    const out: string[] = [];
    const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => out.push(t), env: {} };
    // The command line's own code, on this process's PGlite (two processes cannot open one PGlite directory).
    const cli = (...args: string[]): Promise<number> =>
      main([...args, '--pglite', 'in-process'], io, () => Promise.resolve({ client: db, close: async () => {} }));

    before(async () => {
      db = await PGlite.create();
      await migrate(db);
      await publishSets(db, [DelayTracks]);
    });
    after(async () => {
      await Promise.all(sources.map((s) => s.close()));
      await db.close();
    });

    it('disables the set on both apps within the bound, and enable gives every visitor their variant back', async () => {
      const apps = [0, 1].map(() => {
        const source = postgresControls(db, mode.options);
        sources.push(source);
        return appOn(source);
      });
      await Promise.all(sources.map((s) => s.ready()));
      const visitors: Array<{ cookie: string; first: { name: string; reason: string } }> = [];
      for (let i = 0; i < 20; i++) {
        const res = await request(apps[i % 2]!)
          .get('/delay')
          .set('user-agent', BROWSER);
        const cookie = ((res.headers['set-cookie'] as unknown as string[]) ?? []).map((c) => c.split(';')[0]).join('; ');
        visitors.push({ cookie, first: res.body as { name: string; reason: string } });
      }
      expect(visitors.every((v) => v.first.reason === 'hash')).to.equal(true);

      expect(await cli('controls', 'disable', 'delay')).to.equal(0);
      let since = Date.now();
      const off = await Promise.all(apps.map((app) => inForceAfter(app, 'disabled', since)));
      expect(await cli('controls', 'enable', 'delay')).to.equal(0);
      since = Date.now();
      const on = await Promise.all(apps.map((app) => inForceAfter(app, 'sticky', since, visitors[0]!.cookie)));
      console.log(`      PGlite, ${mode.title}: disable in force after ${off.join(' and ')} ms, enable after ${on.join(' and ')} ms`);
      for (const d of [...off, ...on]) expect(d).to.be.below(mode.bound + 2_000);
      for (const v of visitors) {
        for (const app of apps)
          expect((await request(app).get('/delay').set('user-agent', BROWSER).set('cookie', v.cookie)).body).to.deep.equal({
            ...v.first,
            reason: 'sticky',
          });
      }
      expect(out).to.deep.equal(['delay: disabled', 'delay: running']);
    });
  });
}
