// Runs the built tracks-ab command as a child process, as a person or a script would, and a fresh PostgreSQL database for it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { testDatabaseUrl } from '../support/postgres-hooks.js';

/** The built command line (`npm run build` makes it; npm test builds first). */
export const CLI = resolve(__dirname, '../../dist/src/cli/main.js');

/** What one run of the command gave. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Milliseconds from the start of the process to its exit. */
  ms: number;
}

/** Runs `tracks-ab <args>` with `env` added to a clean environment (no DATABASE_URL unless given). */
export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does)`);
  const start = Date.now();
  const base: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', USER: 'tester' };
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...base, ...env }, cwd: join(__dirname, '../..') }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: unknown }).code as number) : 0;
      done({ code: typeof code === 'number' ? code : 1, stdout, stderr, ms: Date.now() - start });
    });
  });
}

let made = 0;

/** A new empty database on the test run's PostgreSQL server; `drop()` removes it. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `tracks_cli_${process.pid}_${++made}`;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  await admin((client) => client.query(`create database ${name}`));
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name}`;
  const drop = (): Promise<void> =>
    admin(async (client) => {
      // A pool's end() resolves before its clients' sockets are closed. Dropping WITH (FORCE) then
      // would terminate such a connection, whose error no listener catches any more (an uncaught
      // "terminating connection due to administrator command"): wait up to 2 s for them to go first.
      for (let waited = 0; waited < 2_000; waited += 20) {
        const { rows } = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (rows[0]!.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await client.query(`drop database if exists ${name} with (force)`);
    });
  return { url: url.toString(), drop };
}
