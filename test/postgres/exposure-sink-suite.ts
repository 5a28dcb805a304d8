// The exposure log and its PostgreSQL sink on one database: counts in SQL after real HTTP traffic, failures, overflow, close.
import { expect } from 'chai';
import { exposureLog, type ExposureLogOptions } from '../../src/exposures/exposure-log.js';
import type { ExposureRow, ExposureSink } from '../../src/exposures/exposure-rows.js';
import { exposureSink } from '../../src/postgres/exposure-sink.js';
import { migrate } from '../../src/postgres/migrations.js';
import type { Queryable } from '../../src/postgres/queryable.js';
import { forEachDatabase } from '../support/databases.js';
import { MANY_SETS, readAsUsers, startApp } from '../support/exposure-app.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const usersNamed = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

/** Row counts of both tables, and how many distinct rows each would have without duplicates. */
interface Counts {
  first: number;
  distinctFirst: number;
  views: number;
  distinctViews: number;
}

async function counts(db: TestSchema): Promise<Counts> {
  const { rows } = await db.session.query<Counts>(
    `select (select count(*)::int from ${db.schema}.tracks_exposures) as first,
            (select count(distinct (set_name, coalesce(user_key, run_id), variant))::int from ${db.schema}.tracks_exposures) as "distinctFirst",
            (select count(*)::int from ${db.schema}.tracks_exposure_views) as views,
            (select count(distinct run_id)::int from ${db.schema}.tracks_exposure_views) as "distinctViews"`,
  );
  return rows[0]!;
}

function row(key: string | null, setName: string, variant: string, runId: string, kind: ExposureRow['kind'] = 'first'): ExposureRow {
  return { kind, setName, variant, key, runId, reason: 'hash', firstExposure: true, multiSetName: null, at: '2025-01-02T03:04:05.006Z' };
}

/** One test's view of the suite's database: its client, and a schema no other test uses. */
interface TestSchema {
  readonly client: Queryable;
  /** The same client: migrate lends itself one connection, and the counts need none of their own. */
  readonly session: Queryable;
  readonly schema: string;
}

let schemas = 0;

/**
 * Runs the database tests of the exposure log on PGlite and on the PostgreSQL server (the one
 * database helper, test/support/databases.ts), in a fresh schema for each test.
 */
export function runExposureDatabaseSuite(): void {
  forEachDatabase((database) => describeSuite(database.name, database));
}

function describeSuite(name: string, database: { readonly client: Queryable }): void {
  describe('the exposure log and its PostgreSQL sink', function () {
    this.timeout(30_000);
    let db: TestSchema;
    const sinkOf = (): ExposureSink => exposureSink(db.client, { schema: db.schema });
    const quiet: Pick<ExposureLogOptions, 'onError' | 'onDrop'> = { onError: () => undefined, onDrop: () => undefined };

    beforeEach(() => {
      db = { client: database.client, session: database.client, schema: `exposures_${process.pid}_${++schemas}` };
    });
    afterEach(async () => void (await database.client.query(`drop schema if exists ${db.schema} cascade`)));

    it('creates its tables with migration 002-exposures, once', async () => {
      expect((await migrate(db.session, { schema: db.schema })).applied).to.include('002-exposures');
      expect((await migrate(db.session, { schema: db.schema })).applied).to.deep.equal([]);
      expect(await counts(db)).to.deep.equal({ first: 0, distinctFirst: 0, views: 0, distinctViews: 0 });
    });

    it('keeps one first row per user, set and variant, and one view per run id, however often a batch is written', async () => {
      await migrate(db.session, { schema: db.schema });
      const sink = sinkOf();
      const batch = [
        row('u1', 'color', 'blue', 'r1'),
        row('u1', 'size', 'big', 'r2'),
        row('u2', 'color', 'green', 'r3'),
        row('u1', 'color', 'blue', 'r1', 'view'),
      ];
      await sink.write(batch);
      await sink.write(batch); // a retry after a lost acknowledgement
      // The same triples again from another process (new run ids), a repeat inside one batch, and a new variant for u1.
      await sink.write([
        row('u1', 'color', 'blue', 'r9'),
        row('u2', 'color', 'green', 'r10'),
        row('u2', 'color', 'green', 'r11'),
        row('u1', 'color', 'green', 'r12'),
      ]);
      // Keyless exposures: one row per run id.
      await sink.write([row(null, 'color', 'blue', 'k1'), row(null, 'color', 'blue', 'k2')]);
      await sink.write([row(null, 'color', 'blue', 'k1')]);
      expect(await counts(db)).to.deep.equal({ first: 6, distinctFirst: 6, views: 1, distinctViews: 1 });
      const { rows } = await db.session.query<{ run_id: string }>(
        `select run_id from ${db.schema}.tracks_exposures where user_key = 'u1' and set_name = 'color' and variant = 'blue'`,
      );
      expect(rows).to.deep.equal([{ run_id: 'r1' }]); // the first write wins
    });

    it('stores every field of a row, the time as timestamptz', async () => {
      await migrate(db.session, { schema: db.schema });
      const sink = sinkOf();
      await sink.write([{ ...row('u7', 'grid', 'dense', 'r7', 'view'), reason: 'sticky', firstExposure: false, multiSetName: 'layout' }]);
      const { rows } = await db.session.query(
        `select user_key, set_name, variant, run_id, reason, first_exposure, multi_set_name, (extract(epoch from exposed_at) * 1000)::bigint::text as ms
           from ${db.schema}.tracks_exposure_views`,
      );
      expect(rows).to.deep.equal([
        {
          user_key: 'u7',
          set_name: 'grid',
          variant: 'dense',
          run_id: 'r7',
          reason: 'sticky',
          first_exposure: false,
          multi_set_name: 'layout',
          ms: String(Date.parse('2025-01-02T03:04:05.006Z')),
        },
      ]);
    });

    it('writes 100,000 exposures from concurrent HTTP requests with none lost and none duplicated', async function () {
      this.timeout(150_000);
      await migrate(db.session, { schema: db.schema });
      // A queue bound above the whole run, so the counts test the pipeline (the bound has its own test).
      const log = exposureLog({ sink: sinkOf(), pageViews: true, memoSize: 50_000, maxBatch: 1000, flushIntervalMs: 50, maxQueue: 200_000 });
      const app = await startApp(MANY_SETS, log);
      const users = usersNamed('load', 2000);
      const started = Date.now();
      // 2,000 users, each twice (a second browser: no cookie, so the hash runs again), 25 sets a request.
      await readAsUsers(app.url, [...users, ...users], 32);
      const served = Date.now();
      await app.close();
      const stats = await log.close(120_000);
      const done = Date.now();
      expect(stats).to.include({ received: 100_000, deduplicated: 50_000, written: 150_000, dropped: 0, queued: 0 });
      expect(await counts(db)).to.deep.equal({ first: 50_000, distinctFirst: 50_000, views: 100_000, distinctViews: 100_000 });
      // Every view has its user's first-exposure row, for the same variant.
      const { rows } = await db.session.query<{ orphans: number }>(
        `select count(*)::int as orphans from ${db.schema}.tracks_exposure_views v
           where not exists (select 1 from ${db.schema}.tracks_exposures f
                              where f.set_name = v.set_name and f.user_key = v.user_key and f.variant = v.variant)`,
      );
      expect(rows[0]!.orphans).to.equal(0);
      console.log(
        `      ${name}: 4,000 requests, 100,000 exposures, 150,000 rows: served in ${served - started} ms, all written ${done - started} ms after the first request`,
      );
    });

    it('loses nothing while the tables are unavailable, and writes it all once they are back', async () => {
      await migrate(db.session, { schema: db.schema });
      // Maintenance takes the tables away: every insert fails with "relation does not exist".
      await db.session.query(`alter table ${db.schema}.tracks_exposures rename to tracks_exposures_away`);
      const errors: unknown[] = [];
      const log = exposureLog({
        sink: sinkOf(),
        pageViews: true,
        flushIntervalMs: 10,
        retryMs: 10,
        maxRetryMs: 40,
        onError: (e) => void errors.push(e),
      });
      const app = await startApp(MANY_SETS, log);
      await readAsUsers(app.url, usersNamed('outage', 200), 8);
      await app.close();
      while (errors.length < 5) await sleep(10);
      expect(log.stats).to.include({ received: 5000, written: 0, dropped: 0, queued: 10_000 });
      expect(String(errors[0])).to.match(/tracks_exposures.*does not exist/);
      await db.session.query(`alter table ${db.schema}.tracks_exposures_away rename to tracks_exposures`);
      expect(await log.flush(20_000)).to.equal(true);
      expect(log.stats).to.include({ written: 10_000, dropped: 0, queued: 0 });
      expect(log.stats.failures).to.be.at.least(5);
      expect(log.stats.retries).to.be.at.least(1);
      expect(await counts(db)).to.deep.equal({ first: 5000, distinctFirst: 5000, views: 5000, distinctViews: 5000 });
      await log.close();
    });

    it('writes no duplicate when a stored batch is retried because its acknowledgement was lost', async () => {
      await migrate(db.session, { schema: db.schema });
      const sink = sinkOf();
      let lost = 3;
      // Rows reach the database, then the connection drops before the reply: the log sees a failure.
      const unreliable: ExposureSink = {
        async write(rows) {
          await sink.write(rows);
          if (lost-- > 0) throw new Error('connection reset before the reply');
        },
      };
      const log = exposureLog({ sink: unreliable, pageViews: true, maxBatch: 300, flushIntervalMs: 10, retryMs: 5, ...quiet });
      const app = await startApp(MANY_SETS, log);
      await readAsUsers(app.url, usersNamed('ack', 40), 8);
      await app.close();
      const stats = await log.close(20_000);
      expect(stats).to.include({ received: 1000, written: 2000, dropped: 0, failures: 3 });
      expect(await counts(db)).to.deep.equal({ first: 1000, distinctFirst: 1000, views: 1000, distinctViews: 1000 });
    });

    it('counts and reports a queue overflow, writes exactly what it kept, and queues a dropped first exposure again later', async () => {
      await migrate(db.session, { schema: db.schema });
      const sink = sinkOf();
      let open: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const slow: ExposureSink = {
        async write(rows) {
          await gate; // the database is slow to answer until the gate opens
          await sink.write(rows);
        },
      };
      const reports: number[] = [];
      const log = exposureLog({ sink: slow, maxQueue: 500, maxBatch: 100, flushIntervalMs: 10, onDrop: (count) => void reports.push(count) });
      const app = await startApp(MANY_SETS, log);
      const users = usersNamed('overflow', 100);
      await readAsUsers(app.url, users, 8); // 2,500 first exposures against a bound of 500 rows
      expect(log.stats).to.include({ received: 2500, queued: 500, dropped: 2000, written: 0 });
      open();
      expect(await log.flush(20_000)).to.equal(true);
      expect(await counts(db)).to.include({ first: 500, distinctFirst: 500 });
      // The same users again, one request at a time: the 2,000 dropped triples are queued this time, the 500 kept are not.
      for (const user of users) {
        await readAsUsers(app.url, [user], 1);
        await log.flush(20_000);
      }
      await app.close();
      const stats = await log.close();
      expect(stats).to.include({ received: 5000, deduplicated: 500, written: 2500, dropped: 2000 });
      expect(reports.reduce((a, b) => a + b, 0)).to.equal(2000);
      expect(await counts(db)).to.include({ first: 2500, distinctFirst: 2500 });
    });

    it('close() writes everything still queued or in flight, and drops (counted) what comes after', async () => {
      await migrate(db.session, { schema: db.schema });
      const drops: number[] = [];
      // Only full batches leave before close: the interval would hold the rest for a minute.
      const log = exposureLog({ sink: sinkOf(), maxBatch: 1000, flushIntervalMs: 60_000, onDrop: (count) => void drops.push(count) });
      const app = await startApp(MANY_SETS, log);
      await readAsUsers(app.url, usersNamed('closing', 100), 8);
      await app.close();
      expect(log.stats.queued).to.be.greaterThan(0);
      const stats = await log.close();
      expect(stats).to.include({ received: 2500, written: 2500, queued: 0, dropped: 0 });
      expect(await counts(db)).to.include({ first: 2500, distinctFirst: 2500 });
      log({ setName: 'late', variant: 'a', key: 'u', runId: 'r', reason: 'hash', firstExposure: true, multiSetName: null });
      expect(log.stats).to.include({ received: 2501, dropped: 1 });
    });
  });
}
