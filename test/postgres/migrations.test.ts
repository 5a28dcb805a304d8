// migrate: idempotent, safe from several clients at once, one transaction on one connection; reads run together on a pool.
import { expect } from 'chai';
import type pg from 'pg';
import { inTransaction, migrate, MIGRATIONS } from '../../src/postgres/index.js';
import type { Queryable } from '../../src/postgres/queryable.js';
import { lendsConnections, readTogether } from '../../src/postgres/transaction.js';
import { forEachDatabase } from '../support/databases.js';

const tables = async (client: Queryable, schema: string): Promise<string[]> =>
  (
    await client.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = $1 order by table_name`, [
      schema,
    ])
  ).rows.map((r) => r.table_name);

describe('migrate', () => {
  it('lists its migrations in order, each with a unique version', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions[0]).to.equal('001-assignments');
    expect([...versions].sort()).to.deep.equal(versions);
    expect(new Set(versions).size).to.equal(versions.length);
  });

  forEachDatabase((db) => {
    it('creates the tables once and records each step, then does nothing', async () => {
      expect(await migrate(db.client)).to.deep.equal({ applied: MIGRATIONS.map((m) => m.version) });
      expect(await migrate(db.client)).to.deep.equal({ applied: [] });
      expect(await tables(db.client, 'public')).to.include.members(['tracks_aliases', 'tracks_assignments', 'tracks_migrations']);
      const { rows } = await db.client.query<{ version: string }>('select version from tracks_migrations order by version');
      expect(rows.map((r) => r.version)).to.deep.equal(MIGRATIONS.map((m) => m.version));
    });

    it('is safe from several clients at once: each step applied exactly once', async () => {
      const clients = [db.client, db.connect(), db.connect(), db.client];
      const results = await Promise.all(clients.map((c) => migrate(c, { schema: 'racing' })));
      const applied = results.flatMap((r) => r.applied);
      expect(applied).to.deep.equal(MIGRATIONS.map((m) => m.version));
      expect(await tables(db.client, 'racing')).to.include.members(['tracks_aliases', 'tracks_assignments', 'tracks_migrations']);
    });

    it('leaves no transaction open on any connection', async () => {
      await Promise.all([migrate(db.client, { schema: 'open_a' }), migrate(db.client, { schema: 'open_b' })]);
      if (db.name === 'PostgreSQL') {
        const { rows } = await db.client.query<{ n: string }>(
          `select count(*) as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`,
        );
        expect(Number(rows[0]!.n)).to.equal(0);
      }
      const { rows } = await db.client.query<{ n: number }>('select count(*)::int as n from open_b.tracks_migrations');
      expect(rows[0]!.n).to.equal(MIGRATIONS.length);
    });

    it('keeps the whole migration on one connection while neighbours use the same client', async () => {
      const client = db.connect();
      const borrowed: unknown[] = [];
      // A pg Pool says when a connection is lent; PGlite has one connection and keeps others out of its transaction.
      if (db.name === 'PostgreSQL') (client as pg.Pool).on('acquire', (c) => borrowed.push(c));
      const neighbours = Array.from({ length: 5 }, () => client.query('select pg_sleep(0.05)'));
      expect((await migrate(client, { schema: 'one_connection' })).applied).to.have.length(MIGRATIONS.length);
      await Promise.all(neighbours);
      if (db.name === 'PostgreSQL') {
        expect(borrowed).to.have.length(6); // five neighbours, one migration
        expect((client as pg.Pool).totalCount - (client as pg.Pool).idleCount).to.equal(0);
      }
    });

    it('migrates through a single connection too: a connection lent by a pool, or PGlite', async () => {
      const lent = db.name === 'PostgreSQL' ? await (db.client as pg.Pool).connect() : null;
      try {
        expect((await migrate(lent ?? db.client, { schema: 'single' })).applied).to.have.length(MIGRATIONS.length);
        expect(await tables(lent ?? db.client, 'single')).to.include('tracks_assignments');
      } finally {
        lent?.release();
      }
    });

    it('runs a transaction on one connection and rolls all of it back on failure', async () => {
      const failing = inTransaction(db.client, async (tx) => {
        await tx.query('create table half_made (id int)');
        // Many statements: on a pool, each would go to any idle connection if the transaction did not hold one.
        for (let i = 0; i < 20; i++) await tx.query('insert into half_made values ($1)', [i]);
        const { rows } = await tx.query<{ n: number }>('select count(*)::int as n from half_made');
        expect(rows[0]!.n).to.equal(20);
        throw new Error('step 2 failed');
      });
      await failing.then(
        () => expect.fail('the transaction should fail'),
        (error: Error) => expect(error.message).to.equal('step 2 failed'),
      );
      const { rows } = await db.client.query<{ t: string | null }>(`select to_regclass('half_made')::text as t`);
      expect(rows[0]!.t).to.equal(null);
    });

    it('reads together: results in order, the first failure in order, and nothing left running when it settles', async () => {
      const ended: string[] = [];
      const read = (name: string, sql: string) => async () => {
        const { rows } = await db.client.query<{ v: unknown }>(sql);
        ended.push(name);
        return rows[0]!.v;
      };
      const [one, two] = await readTogether(db.client, [read('one', 'select 1 as v'), read('two', `select 'two' as v`)]);
      expect([one, two]).to.deep.equal([1, 'two']);
      ended.length = 0;
      const failing = readTogether(db.client, [
        read('slow', 'select pg_sleep(0.2)::text as v'),
        read('bad', 'select v from nowhere'),
        read('after', 'select 3 as v'),
      ]);
      await failing.then(
        () => expect.fail('a read failed'),
        (error: Error) => expect(error.message).to.match(/nowhere/),
      );
      // A pool started all three and settled when the slow one ended; one connection ran them in turn and stopped at the failure.
      expect([...ended].sort()).to.deep.equal(lendsConnections(db.client) ? ['after', 'slow'] : ['slow']);
    });

    it('reads together: a read that throws before it returns a promise fails it only once the others have settled', async () => {
      const ended: string[] = [];
      const slow = async (): Promise<string> => {
        await db.client.query('select pg_sleep(0.2)');
        ended.push('slow');
        return 'slow';
      };
      const throwsAtOnce = (): Promise<string> => {
        throw new Error('thrown at once');
      };
      await readTogether(db.client, [slow, throwsAtOnce]).then(
        () => expect.fail('a read failed'),
        (error: Error) => expect(error.message).to.equal('thrown at once'),
      );
      expect(ended).to.deep.equal(['slow']);
    });

    it('refuses a schema name that is not a plain lowercase identifier', async () => {
      await migrate(db.client, { schema: 'Robert"); drop table x; --' }).then(
        () => expect.fail('migrate should refuse it'),
        (error: Error) => expect(error.message).to.match(/^option schema is invalid: /),
      );
    });
  });
});
