// Mocha root hooks (.mocharc.json `require`): one Redis server for the whole run, its URL in TRACKS_TEST_REDIS_URL.
import { RedisServer } from './redis-server.js';

let server: RedisServer | null = null;
let problem: Error | null = null;
let used = 0;

/**
 * A URL on the test run's Redis server, on a database number of the suite's own (1 to 15, in
 * turn; 0 is left to people poking at the server by hand). Throws, with the reason and the
 * remedy, when the run could not start one: a suite that needs the server fails, never skips.
 */
export function testRedisUrl(): string {
  const base = process.env.TRACKS_TEST_REDIS_URL;
  if (!base) throw problem ?? new Error('TRACKS_TEST_REDIS_URL is not set and the root hook (test/support/redis-hooks.ts) did not run');
  const url = new URL(base);
  url.pathname = `/${(used++ % 15) + 1}`;
  return url.toString();
}

function explain(error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(
    `the tests need a Redis server and none could be started: ${reason}\n` +
      "Install Debian's redis-server (.ci/run does), or set TRACKS_TEST_REDIS_URL to a server the tests may flush.",
  );
}

/** Root hooks: start the server before the first test unless TRACKS_TEST_REDIS_URL names one; stop it after the last. */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    if (process.env.TRACKS_TEST_REDIS_URL) return;
    this.timeout(60_000);
    try {
      server = await RedisServer.start();
      process.env.TRACKS_TEST_REDIS_URL = server.url();
    } catch (error) {
      problem = explain(error);
      console.error(`\n  ${problem.message.replaceAll('\n', '\n  ')}\n`);
    }
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(30_000);
    if (server !== null) {
      await server.stop();
      delete process.env.TRACKS_TEST_REDIS_URL;
      server = null;
    }
    // In CI a missing server fails the run even if no suite asked for it.
    if (problem !== null && /^(1|true|yes)$/i.test(process.env.CI ?? '')) throw problem;
  },
};
