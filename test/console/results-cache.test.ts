// The console's results cache: young results reused, stale ones shown while one new read runs, `?fresh=1`, failures never kept; over real HTTP and PostgreSQL.
import type { Server } from 'node:http';
import { expect } from 'chai';
import pg from 'pg';
import request from 'supertest';
import { ResultsCache, tracksConsole } from '../../src/console/index.js';
import { changeControl, migrate, postgresControls, publishSets, type PostgresControls } from '../../src/postgres/index.js';
import { freshDatabase } from '../cli/run-cli.js';
import { closeServer, ConsoleDelay, consoleServer } from './console-apps.js';

describe('the console’s results cache', function () {
  this.timeout(60_000);

  describe('ResultsCache', () => {
    let now = 0;
    const clock = () => now;
    const errors: unknown[] = [];
    beforeEach(() => {
      now = 1_000;
      errors.length = 0;
    });

    /** A read that counts its calls and resolves when told. */
    function reads() {
      const waiting: ((v: number) => void)[] = [];
      let calls = 0;
      return {
        get calls() {
          return calls;
        },
        read: () =>
          new Promise<number>((resolve) => {
            calls += 1;
            waiting.push(resolve);
          }),
        finish: (value: number) => waiting.shift()!(value),
      };
    }
    const settle = () => new Promise((r) => setImmediate(r));
    const always = () => true;

    it('shares one read among views at the same time, and reuses it while young', async () => {
      const cache = new ResultsCache<number>(60_000, (e) => errors.push(e), clock);
      const r = reads();
      const views = [cache.get('delay', r.read, always), cache.get('delay', r.read, always), cache.get('delay', r.read, always)];
      await settle();
      expect(r.calls).to.equal(1);
      now += 250;
      r.finish(7);
      const answers = await Promise.all(views);
      expect(answers.map((a) => a.value)).to.deep.equal([7, 7, 7]);
      expect(answers[0]).to.include({ readMs: 250, refreshing: false });
      expect(answers[0]!.readAt.getTime()).to.equal(1_250);
      now += 59_999;
      const young = await cache.get('delay', r.read, always);
      expect(young).to.deep.include({ value: 7, refreshing: false });
      expect(r.calls).to.equal(1);
    });

    it('answers a stale view with the last read at once and starts one new read, which the next view gets', async () => {
      const cache = new ResultsCache<number>(1_000, (e) => errors.push(e), clock);
      const r = reads();
      const first = cache.get('delay', r.read, always);
      await settle();
      r.finish(1);
      await first;
      now += 1_001;
      const stale = await cache.get('delay', r.read, always);
      expect(stale).to.deep.include({ value: 1, refreshing: true });
      const again = await cache.get('delay', r.read, always);
      expect(again).to.deep.include({ value: 1, refreshing: true });
      expect(r.calls).to.equal(2);
      r.finish(2);
      await settle();
      expect(await cache.get('delay', r.read, always)).to.deep.include({ value: 2, refreshing: false });
      expect(r.calls).to.equal(2);
    });

    it('runs the reads it starts in the background one after another, each timed from its own start', async () => {
      const cache = new ResultsCache<number>(1_000, (e) => errors.push(e), clock);
      const delay = reads();
      const price = reads();
      const first = [cache.get('delay', delay.read, always), cache.get('price', price.read, always)];
      await settle();
      delay.finish(1);
      price.finish(1);
      await Promise.all(first);
      now += 5_000;
      await cache.get('delay', delay.read, always);
      await cache.get('price', price.read, always);
      await settle();
      // Both stale: delay's new read runs, price's waits for it.
      expect([delay.calls, price.calls]).to.deep.equal([2, 1]);
      now += 300;
      delay.finish(2);
      await settle();
      expect([delay.calls, price.calls]).to.deep.equal([2, 2]);
      now += 200;
      price.finish(2);
      await settle();
      expect(await cache.get('price', price.read, always)).to.deep.include({ value: 2, readMs: 200, refreshing: false });
    });

    it('waits for a new read when asked for fresh results, and keeps no failed read', async () => {
      const cache = new ResultsCache<number>(60_000, (e) => errors.push(e), clock);
      let n = 0;
      const read = () => {
        n += 1;
        return n === 2 ? Promise.reject(new Error('the database went away')) : Promise.resolve(n);
      };
      expect((await cache.get('delay', read, always)).value).to.equal(1);
      let failure: unknown = null;
      await cache.get('delay', read, always, true).catch((e: unknown) => (failure = e));
      expect((failure as Error).message).to.equal('the database went away');
      // The failed read replaced nothing: the young read is still served.
      expect((await cache.get('delay', read, always)).value).to.equal(1);
      expect((await cache.get('delay', read, always, true)).value).to.equal(3);
      // A failure waited for goes to the view (the handler tells onError), not to onError here.
      expect(errors).to.deep.equal([]);
    });

    it('tells onError once of a failed read nobody waited for, and serves the last read until one succeeds', async () => {
      const cache = new ResultsCache<number>(1_000, (e) => errors.push(e), clock);
      let fail = false;
      const read = () => (fail ? Promise.reject(new Error('statement timeout')) : Promise.resolve(5));
      await cache.get('delay', read, always);
      fail = true;
      now += 5_000;
      expect(await cache.get('delay', read, always)).to.deep.include({ value: 5, refreshing: true });
      await settle();
      expect(errors.map((e) => (e as Error).message)).to.deep.equal(['statement timeout']);
      expect(await cache.get('delay', read, always)).to.deep.include({ value: 5, refreshing: true });
      await settle();
      expect(errors).to.have.length(2);
    });

    it('reads again on the next view when a read holds a problem, and drops the keys the page no longer shows', async () => {
      const cache = new ResultsCache<string>(60_000, (e) => errors.push(e), clock);
      let n = 0;
      const read = () => Promise.resolve(++n === 1 ? 'problem' : 'fine');
      const keep = (v: string) => v !== 'problem';
      expect((await cache.get('delay', read, keep)).value).to.equal('problem');
      // Shown once, then read again (the view that finds it waits for nothing: it gets it and a new read starts).
      expect(await cache.get('delay', read, keep)).to.deep.include({ value: 'problem', refreshing: true });
      await settle();
      expect(await cache.get('delay', read, keep)).to.deep.include({ value: 'fine', refreshing: false });
      await cache.get('price', read, keep);
      cache.retain(new Set(['price']));
      const before = n;
      await cache.get('delay', read, keep);
      expect(n).to.equal(before + 1);
    });
  });

  describe('over HTTP on PostgreSQL', () => {
    let database: { url: string; drop: () => Promise<void> };
    let pool: pg.Pool;
    let controls: PostgresControls;
    let metricReads = 0;
    let metricsFail = false;
    const servers: Server[] = [];

    before(async () => {
      database = await freshDatabase();
      pool = new pg.Pool({ connectionString: database.url, max: 4 });
      await migrate(pool);
      await publishSets(pool, [ConsoleDelay]);
      controls = postgresControls(pool, { pollIntervalMs: 600_000, listen: false });
      await controls.refresh();
    });

    after(async () => {
      for (const s of servers) await closeServer(s);
      await controls?.close();
      await pool?.end();
      await database?.drop();
    });

    beforeEach(async () => {
      metricReads = 0;
      metricsFail = false;
      await pool.query('truncate tracks_exposures');
    });

    async function serve(resultsMaxAgeSeconds?: number): Promise<Server> {
      const handler = tracksConsole({
        db: pool,
        sets: [ConsoleDelay],
        controls,
        allow: () => true,
        onError: () => {},
        conversions: { sql: 'select null::text, null::timestamptz where false' },
        // Called once per read of the set's results: the count of reads.
        metrics: () => {
          metricReads += 1;
          if (metricsFail) throw new Error('the metric query failed');
          return [];
        },
        ...(resultsMaxAgeSeconds === undefined ? {} : { resultsMaxAgeSeconds }),
      });
      const server = await consoleServer('express', handler, controls);
      servers.push(server);
      return server;
    }

    async function expose(from: number, count: number): Promise<void> {
      await pool.query(
        `insert into tracks_exposures (user_key, set_name, variant, run_id, reason, first_exposure, exposed_at)
         select 'u' || i, 'delay', (array['control', 'short', 'long'])[1 + i % 3], 'run-' || i, 'hash', true, now()
         from generate_series($1::int, $2::int) i`,
        [from, from + count - 1],
      );
    }

    async function view(server: Server, path = '/console/') {
      const res = await request(server).get(path).expect(200);
      const users = /<td><a href="#set-delay">delay<\/a><\/td><td>.*?<\/td><td class="num">([\d,]+)<\/td>/.exec(res.text)?.[1];
      return {
        users: Number(users?.replace(/,/g, '')),
        readAt: /data-read-at="([^"]+)"/.exec(res.text)?.[1],
        refreshing: /data-refreshing="(true|false)"/.exec(res.text)?.[1] === 'true',
        html: res.text,
      };
    }

    it('reuses young results (default 60 s) while controls stay live, and reads now with ?fresh=1', async () => {
      const server = await serve();
      await expose(1, 30);
      const first = await view(server);
      expect(first.users).to.equal(30);
      expect(metricReads).to.equal(1);
      expect(first.html).to.match(/Results as read at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(in \d+ ms\)\. <a href="\/console\/\?fresh=1#set-delay">/);
      await expose(31, 15);
      await changeControl(pool, 'delay', { disabled: true }, { by: 'test' });
      const second = await view(server);
      expect(second).to.include({ users: 30, readAt: first.readAt, refreshing: false });
      expect(second.html).to.include('data-status="disabled"');
      expect(metricReads).to.equal(1);
      const fresh = await view(server, '/console/?fresh=1');
      expect(fresh.users).to.equal(45);
      expect(metricReads).to.equal(2);
      expect(Date.parse(fresh.readAt!)).to.be.at.least(Date.parse(first.readAt!));
      await changeControl(pool, 'delay', { disabled: null }, { by: 'test' });
    });

    it('reads on every view with resultsMaxAgeSeconds 0', async () => {
      const server = await serve(0);
      await expose(1, 12);
      expect((await view(server)).users).to.equal(12);
      await expose(13, 3);
      const next = await view(server);
      expect(next).to.include({ users: 15, refreshing: false });
      expect(metricReads).to.equal(2);
    });

    it('shows stale results while one new read runs, then the new ones', async () => {
      const server = await serve(0.2);
      await expose(1, 9);
      expect((await view(server)).users).to.equal(9);
      await expose(10, 6);
      await new Promise((r) => setTimeout(r, 300));
      const stale = await view(server);
      expect(stale).to.include({ users: 9, refreshing: true });
      expect(stale.html).to.include('newer ones are being read, reload in a moment');
      let latest = stale;
      for (let i = 0; i < 100 && latest.users !== 15; i++) {
        await new Promise((r) => setTimeout(r, 50));
        latest = await view(server);
      }
      expect(latest.users).to.equal(15);
    });

    it('reads the metrics while the counts run on a pool, and after them on one connection', async () => {
      await expose(1, 6);
      // The app's conversion query sleeps; the metrics callback looks for that statement, running.
      const sleeping = 'select null::text, null::timestamptz from pg_sleep(0.8) as s';
      const busy = async (): Promise<number> =>
        Number(
          (
            await pool.query<{ n: string }>(
              `select count(*) as n from pg_stat_activity where state = 'active' and query like '%pg_sleep(0.8)%' and pid <> pg_backend_pid()`,
            )
          ).rows[0]!.n,
        );
      const seen: number[] = [];
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        for (const db of [pool, client]) {
          const handler = tracksConsole({
            db,
            sets: [ConsoleDelay],
            controls,
            allow: () => true,
            onError: () => {},
            conversions: { sql: sleeping },
            metrics: async () => {
              // Looked for over a second: the counts' statement starts a few round trips after the call.
              let found = 0;
              for (let i = 0; i < 20 && found === 0; i++) {
                found = await busy();
                if (found === 0) await new Promise((r) => setTimeout(r, 50));
              }
              seen.push(found);
              return [];
            },
          });
          const server = await consoleServer('express', handler, controls);
          servers.push(server);
          expect((await view(server)).users).to.equal(6);
        }
      } finally {
        await client.end();
      }
      expect(seen).to.deep.equal([1, 0]);
    });

    it('reads again on the next view when the metrics could not be read', async () => {
      const server = await serve();
      await expose(1, 6);
      metricsFail = true;
      const failed = await view(server);
      expect(failed.html).to.include('the metrics could not be read: the metric query failed');
      metricsFail = false;
      await view(server);
      const settled = await view(server, '/console/?fresh=1');
      expect(settled.html).not.to.include('the metrics could not be read');
      expect(metricReads).to.be.at.least(2);
    });
  });
});
