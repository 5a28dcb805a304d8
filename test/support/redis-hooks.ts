// Mocha root hooks (.mocharc.json `require`): one Redis server for the whole run, its URL in TRACKS_TEST_REDIS_URL.
import { RedisServer } from './redis-server.js';
import { sharedServerHooks } from './server-hooks.js';

const shared = sharedServerHooks({
  env: 'TRACKS_TEST_REDIS_URL',
  what: 'a Redis server',
  remedy: "Install Debian's redis-server (.ci/run does), or set TRACKS_TEST_REDIS_URL to a server the tests may flush.",
  hooksFile: 'test/support/redis-hooks.ts',
  startTimeoutMs: 60_000,
  start: () => RedisServer.start(),
});
let used = 0;

/**
 * A URL on the test run's Redis server, on a database number of the suite's own (1 to 15, in
 * turn; 0 is left to people poking at the server by hand). Throws, with the reason and the
 * remedy, when the run could not start one: a suite that needs the server fails, never skips.
 */
export function testRedisUrl(): string {
  const url = new URL(shared.url());
  url.pathname = `/${(used++ % 15) + 1}`;
  return url.toString();
}

/** Root hooks: start the server before the first test unless TRACKS_TEST_REDIS_URL names one; stop it after the last. */
export const mochaHooks = shared.mochaHooks;
