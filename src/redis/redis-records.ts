// How one remembered assignment is written in a Redis hash field, the key names, and the Lua script that saves a user's records.
import type { AssignmentOrigin, StoredAssignment } from '../assignment-store/assignment-store.js';
import { script, type Script } from './redis-client.js';

/**
 * The key of a user's hash: `<prefix>u:{<user key>}`. The braces are a Redis Cluster hash tag:
 * every key named for this user hashes to the same slot (only the part inside the first `{…}`
 * counts), so a script may touch them together. A user key holding `}` cuts the tag short, which
 * still puts that user's keys in one slot (the same cut every time).
 */
export const userKey = (prefix: string, key: string): string => `${prefix}u:{${key}}`;

/** The key of an anonymous id's alias (a string holding the user key): `<prefix>alias:{<anonymous id>}`. */
export const aliasKey = (prefix: string, anonymousId: string): string => `${prefix}alias:{${anonymousId}}`;

const HOW_LETTER: Record<AssignmentOrigin, string> = { hash: 'h', anonymous: 'a' };
const HOW_OF_LETTER: Readonly<Record<string, AssignmentOrigin>> = { h: 'hash', a: 'anonymous' };

/**
 * A field's value: `<expires at>|<assigned at>|<how>|<variant>`, times in epoch milliseconds, the
 * expiry empty when the set's records are kept for ever, `how` one letter (`h` hash, `a`
 * anonymous), the variant last so it may hold any character. The save script reads the expiry.
 */
export function encodeRecord(stored: StoredAssignment, expiresAt: number | null): string {
  return `${expiresAt ?? ''}|${stored.assignedAt.getTime()}|${HOW_LETTER[stored.how]}|${stored.variant}`;
}

const RECORD = /^(-?\d*)\|(-?\d+)\|([ha])\|(.+)$/s;

/**
 * The record a field holds, or null when it has expired by `now` or is not one this store writes
 * (a value another program put there is skipped: the user is hashed again, as for a variant that
 * no longer exists).
 */
export function decodeRecord(value: string, now: number): StoredAssignment | null {
  const match = RECORD.exec(value);
  if (match === null) return null;
  const [, expiresAt, assignedAt, how, variant] = match as unknown as [string, string, string, string, string];
  if (expiresAt !== '' && Number(expiresAt) <= now) return null;
  const at = new Date(Number(assignedAt));
  if (Number.isNaN(at.getTime())) return null;
  return { variant, assignedAt: at, how: HOW_OF_LETTER[how]! };
}

/**
 * Saves one user's records: KEYS[1] the user's hash, ARGV triples (set name, encoded record,
 * expiry in epoch ms or ''). A script runs alone on its server, so reading a field and writing it
 * when absent is one step no other server's save can come between: the first record of a set
 * wins, here and within ARGV (earlier triples first). An expired record counts as absent and is
 * deleted. The hash's own time to live follows its records: none while it holds a record kept
 * for ever (the invariant: a user hash without a TTL holds one), else the latest expiry, so a
 * user whose every set has aged out disappears whole. Times are the server's (TIME).
 */
export const SAVE_SCRIPT: Script = script(`
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local key = KEYS[1]
local ttl = redis.call('PTTL', key)
local forever = ttl == -1
local latest = 0
if ttl > 0 then latest = now + ttl end
local held = {}
local fields = redis.call('HGETALL', key)
for i = 1, #fields, 2 do
  local expires = tonumber(string.match(fields[i + 1], '^(-?%d*)|'))
  if expires ~= nil and expires <= now then redis.call('HDEL', key, fields[i]) else held[fields[i]] = true end
end
local wrote = 0
for i = 1, #ARGV, 3 do
  local expires = tonumber(ARGV[i + 2])
  if not held[ARGV[i]] and (expires == nil or expires > now) then
    redis.call('HSET', key, ARGV[i], ARGV[i + 1])
    held[ARGV[i]] = true
    wrote = wrote + 1
    if expires == nil then forever = true elseif expires > latest then latest = expires end
  end
end
if wrote > 0 then
  if forever then
    if ttl ~= -1 then redis.call('PERSIST', key) end
  elseif latest > 0 then redis.call('PEXPIREAT', key, latest) end
end
return wrote
`);
