// Mocha root hooks (.mocharc.json `require`): one PostgreSQL server for the whole run, its URL in TRACKS_TEST_DATABASE_URL.
import { PostgresServer } from './postgres-server.js';

let server: PostgresServer | null = null;
let problem: Error | null = null;

/**
 * The URL of the test run's PostgreSQL server. Throws, with the reason and the remedy, when the
 * run could not start one: a suite that needs the server fails, it is never skipped.
 */
export function testDatabaseUrl(): string {
  const url = process.env.TRACKS_TEST_DATABASE_URL;
  if (url) return url;
  throw problem ?? new Error('TRACKS_TEST_DATABASE_URL is not set and the root hook (test/support/postgres-hooks.ts) did not run');
}

function explain(error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(
    `the tests need a PostgreSQL server and none could be started: ${reason}\n` +
      "Install Debian's postgresql (.ci/run does), or set TRACKS_TEST_DATABASE_URL to a server whose role may create databases.",
  );
}

/** Root hooks: start the server before the first test unless TRACKS_TEST_DATABASE_URL names one; stop it after the last. */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    if (process.env.TRACKS_TEST_DATABASE_URL) return;
    this.timeout(120_000);
    try {
      server = await PostgresServer.start();
      process.env.TRACKS_TEST_DATABASE_URL = server.url();
    } catch (error) {
      problem = explain(error);
      console.error(`\n  ${problem.message.replaceAll('\n', '\n  ')}\n`);
    }
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(30_000);
    if (server !== null) {
      await server.stop();
      delete process.env.TRACKS_TEST_DATABASE_URL;
      server = null;
    }
    // In CI a missing server fails the run even if no suite asked for it.
    if (problem !== null && /^(1|true|yes)$/i.test(process.env.CI ?? '')) throw problem;
  },
};
