// Mocha root hooks (.mocharc.json `require`): one PostgreSQL server for the whole run, its URL in TRACKS_TEST_DATABASE_URL.
import { PostgresServer } from './postgres-server.js';
import { sharedServerHooks } from './server-hooks.js';

const shared = sharedServerHooks({
  env: 'TRACKS_TEST_DATABASE_URL',
  what: 'a PostgreSQL server',
  remedy: "Install Debian's postgresql (.ci/run does), or set TRACKS_TEST_DATABASE_URL to a server whose role may create databases.",
  hooksFile: 'test/support/postgres-hooks.ts',
  startTimeoutMs: 120_000,
  start: () => PostgresServer.start(),
});

/**
 * The URL of the test run's PostgreSQL server. Throws, with the reason and the remedy, when the
 * run could not start one: a suite that needs the server fails, it is never skipped.
 */
export function testDatabaseUrl(): string {
  return shared.url();
}

/** Root hooks: start the server before the first test unless TRACKS_TEST_DATABASE_URL names one; stop it after the last. */
export const mochaHooks = shared.mochaHooks;
