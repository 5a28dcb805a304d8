// Sustained write rate of the exposure log through the PostgreSQL sink: PGlite in-process, and a PostgreSQL server.
import * as path from 'node:path';
import type { Row, RunSuite } from '../suite.js';

type Queryable = { query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }> };
type Store = { migrate(client: Queryable): Promise<unknown>; exposureSink(client: Queryable): { write(rows: readonly unknown[]): Promise<void> } };
type Library = {
  exposureLog(options: { sink: { write(rows: readonly unknown[]): Promise<void> }; maxQueue?: number; flushIntervalMs?: number }): ((
    e: object,
  ) => void) & {
    close(): Promise<{ written: number; dropped: number }>;
  };
};

interface Target {
  id: string;
  label: string;
  open(): Promise<{ client: Queryable; close(): Promise<void> }>;
}

/**
 * Each round queues `count` distinct first exposures as fast as the request path can, then closes
 * the log; the rate is rows written over the time from the first enqueue to `close()` resolving
 * (batches of 500, one write in flight, `insert … on conflict do nothing`). Each target gets a fresh
 * database; rounds alternate between targets.
 */
export const run: RunSuite = async (options) => {
  const lib = (await import(path.join(options.repoRoot, 'dist/src/index.js'))) as Library;
  const store = (await import(path.join(options.repoRoot, 'dist/src/postgres/index.js'))) as Store;
  const count = options.quick ? 10_000 : 50_000;
  const rounds = options.quick ? 2 : 5;
  const { PGlite } = await import('@electric-sql/pglite');
  // The same throw-away server the tests use: its own cluster on a loopback port, stopped at the end.
  const { PostgresServer } = await import('../../test/support/postgres-server.js');
  const pg = (await import('pg')).default;
  const server = await PostgresServer.start();
  let database = 0;
  const targets: Target[] = [
    {
      id: 'pglite',
      label: 'PGlite (in-process, in memory)',
      open: async () => {
        const db = await PGlite.create();
        return { client: db as unknown as Queryable, close: () => db.close() };
      },
    },
    {
      id: 'postgres',
      label: 'PostgreSQL server (loopback, one connection)',
      open: async () => {
        const name = `bench_${process.pid}_${database++}`;
        const admin = new pg.Client({ connectionString: server.url() });
        await admin.connect();
        await admin.query(`create database ${name}`);
        await admin.end();
        const client = new pg.Client({ connectionString: server.url(name) });
        await client.connect();
        return { client, close: () => client.end() };
      },
    },
  ];
  const rates = new Map<string, number[]>(targets.map((t) => [t.id, []]));
  const failures: string[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const target of targets) {
        const db = await target.open();
        await store.migrate(db.client);
        const log = lib.exposureLog({ sink: store.exposureSink(db.client), maxQueue: count + 1, flushIntervalMs: 50 });
        const at = new Date().toISOString();
        const start = process.hrtime.bigint();
        for (let i = 0; i < count; i++) {
          log({
            setName: 'delay',
            variant: i % 2 ? 'short' : 'long',
            key: `u${round}-${i}`,
            runId: `r${round}-${i}`,
            reason: 'hash',
            firstExposure: true,
            multiSetName: null,
            at,
          });
        }
        const stats = await log.close();
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        const { rows } = await db.client.query('select count(*)::int as n from tracks_exposures');
        const stored = (rows[0] as { n: number }).n;
        if (stored !== count || stats.dropped > 0)
          failures.push(`exposure-writes: ${target.id} stored ${stored} of ${count} rows (${stats.dropped} dropped)`);
        rates.get(target.id)!.push(stats.written / seconds);
        await db.close();
      }
    }
  } finally {
    await server.stop();
  }
  const median = (v: number[]): number => {
    const s = [...v].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  const rows: Row[] = targets.map((t) => {
    const r = rates.get(t.id)!;
    return { id: t.id, label: t.label, kind: 'sink', median: median(r), min: Math.min(...r), max: Math.max(...r), unit: 'rows/s', rounds };
  });
  return {
    suite: 'exposure-writes',
    title: `${count.toLocaleString('en-US')} distinct first exposures a round through exposureLog + exposureSink, ${rounds} rounds a target`,
    baseline: null,
    rows,
    notes: [],
    failures,
    versions: {},
  };
};
