// The assignment store on Redis or Valkey: a hash per user, first write wins by a Lua script, one round trip per load.
import {
  checkAliases,
  checkBatch,
  type AliasRecord,
  type AssignmentStore,
  type RememberedAssignments,
  type StoredAssignment,
  type SupersededAssignment,
  type UserAssignment,
} from '../assignment-store/assignment-store.js';
import { invalidOption } from '../engine/option-checks.js';
import { runScript, setEach, type RedisClientLike, type ScriptCall } from './redis-client.js';
import { aliasKey, decodeRecord, encodeRecord, SAVE_SCRIPT, userKey } from './redis-records.js';
import { REPLACE_SCRIPT } from './redis-replace.js';
import { parseRedisStoreOptions, type RedisStoreOptions } from './redis-store-options.js';

const COMMANDS = ['hgetall', 'get', 'set', 'evalsha', 'eval', 'pipeline'] as const;

/**
 * An {@link AssignmentStore} on Redis (6.2 or later) or Valkey, through an `ioredis` client (a
 * `Redis` or a `Cluster`), or any client with the same few methods ({@link RedisClientLike}).
 *
 * Each user is one hash, `tracks:u:{<user key>}`, a field per set. A load is one `HGETALL` (one
 * round trip). A save runs one Lua script per user in the batch, all in one pipeline: the script
 * writes a set's field only when the user has none, and Redis runs a script alone, so the first
 * write wins even when two servers save the same user at once. An alias is `SET … NX` on
 * `tracks:alias:{<anonymous id>}`. On a Redis Cluster, a user's keys share one hash slot (the
 * braces are its hash tag). Records of the sets named in `expire` age out. See docs/schema.md.
 *
 * Give the client `enableOfflineQueue: false`: while the server is down, commands then fail at
 * once (the store client retries its writes) rather than pile up in the client's memory.
 *
 * @example
 * import Redis from 'ioredis';
 * import { redisAssignmentStore } from 'tracks-ab/redis';
 * import { StoreClient } from 'tracks-ab';
 * const redis = new Redis(process.env.REDIS_URL, { enableOfflineQueue: false });
 * redis.on('error', (error) => console.error('redis connection failed', error));
 * const store = new StoreClient(redisAssignmentStore(redis, { expire: { 'pricing-2025': { afterMs: 90 * 86_400_000 } } }));
 */
export function redisAssignmentStore(client: RedisClientLike, options: RedisStoreOptions = {}): AssignmentStore {
  const lacking = COMMANDS.filter((name) => typeof (client as unknown as Record<string, unknown> | null)?.[name] !== 'function');
  if (lacking.length > 0) {
    throw invalidOption(
      'client',
      client,
      `redisAssignmentStore expects an ioredis client (Redis or Cluster), or one with ${COMMANDS.join(', ')}; this one lacks ${lacking.join(', ')}`,
    );
  }
  const { prefix, expiresAt } = parseRedisStoreOptions(options);

  return {
    async load(key: string): Promise<RememberedAssignments> {
      const fields = await client.hgetall(userKey(prefix, key));
      const now = Date.now();
      const assignments = new Map<string, StoredAssignment>();
      for (const [setName, value] of Object.entries(fields)) {
        const stored = decodeRecord(value, now);
        if (stored !== null) assignments.set(setName, stored);
      }
      return assignments;
    },

    async save(records: readonly UserAssignment[]): Promise<void> {
      checkBatch(records);
      // One script call per user, the user's records in batch order: the script keeps the first of a set.
      const byUser = new Map<string, string[]>();
      for (const r of records) {
        const expires = expiresAt(r.setName, r.assignedAt.getTime());
        let args = byUser.get(r.key);
        if (args === undefined) byUser.set(r.key, (args = []));
        args.push(r.setName, encodeRecord(r, expires), expires === null ? '' : String(expires));
      }
      const calls: ScriptCall[] = [...byUser].map(([key, args]) => ({ keys: [userKey(prefix, key)], args }));
      await runScript(client, SAVE_SCRIPT, calls);
    },

    async replace(records: readonly SupersededAssignment[]): Promise<void> {
      checkBatch(records);
      // Compare and set, one script call per user: only a field still naming the removed variant changes.
      const byUser = new Map<string, string[]>();
      for (const r of records) {
        const expires = expiresAt(r.setName, r.assignedAt.getTime());
        let args = byUser.get(r.key);
        if (args === undefined) byUser.set(r.key, (args = []));
        args.push(r.setName, r.replaces, encodeRecord(r, expires), expires === null ? '' : String(expires));
      }
      await runScript(
        client,
        REPLACE_SCRIPT,
        [...byUser].map(([key, args]) => ({ keys: [userKey(prefix, key)], args })),
      );
    },

    async alias(records: readonly AliasRecord[]): Promise<void> {
      checkAliases(records);
      // SET NX keeps the first user key; within the batch, the first alias of an id goes first.
      await setEach(
        client,
        records.map((r) => [aliasKey(prefix, r.anonymousId), r.key] as const),
      );
    },

    async aliasOf(anonymousId: string): Promise<string | null> {
      return client.get(aliasKey(prefix, anonymousId));
    },
  };
}
