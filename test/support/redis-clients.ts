// ioredis clients for the tests, on the run's Redis server: each closed after its suite.
import Redis from 'ioredis';
import Redis5 from 'ioredis5';

/** The ioredis majors the peer range names, as the tests install them. */
export const IOREDIS = { 'ioredis 6': Redis, 'ioredis 5': Redis5 } as const;
export type IoredisName = keyof typeof IOREDIS;

/**
 * A client as docs/schema.md recommends it for the store: no offline queue (while the server is
 * down a command fails at once and the store client retries), one retry of a command that was in
 * flight when the connection dropped, and connection errors heard (unheard, ioredis logs them).
 */
export function redisClient(url: string, which: IoredisName = 'ioredis 6'): Redis {
  const options = { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true };
  // ioredis 5's class is typed apart from 6's; the store sees both through the same few methods.
  const client = which === 'ioredis 5' ? (new Redis5(url, options) as unknown as Redis) : new Redis(url, options);
  client.on('error', () => undefined);
  return client;
}

/** Connects (a client without an offline queue refuses commands until it is connected). */
export async function connected(client: Redis): Promise<Redis> {
  await client.connect();
  return client;
}
