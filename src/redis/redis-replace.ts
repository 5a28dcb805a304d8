// The Lua script that replaces a superseded record (its variant removed from the set) by the user's new hash, compare and set.
import { script, type Script } from './redis-client.js';

/**
 * Replaces records: KEYS[1] the user's hash, ARGV quadruples (set name, the removed variant the
 * record must still hold, the new encoded record, its expiry in epoch ms or ''). A field is
 * replaced only while its variant (the part after the third `|`) is still the removed one, so a
 * second server re-hashing the same user later changes nothing; an absent field stays absent. The
 * hash's time to live follows as in the save script: none once it holds a record kept for ever,
 * else at least the new record's expiry.
 */
export const REPLACE_SCRIPT: Script = script(`
local key = KEYS[1]
local wrote = 0
local forever = false
local latest = 0
for i = 1, #ARGV, 4 do
  local current = redis.call('HGET', key, ARGV[i])
  if current and string.match(current, '^[^|]*|[^|]*|[^|]*|(.*)$') == ARGV[i + 1] then
    redis.call('HSET', key, ARGV[i], ARGV[i + 2])
    wrote = wrote + 1
    local expires = tonumber(ARGV[i + 3])
    if expires == nil then forever = true elseif expires > latest then latest = expires end
  end
end
if wrote > 0 then
  local ttl = redis.call('PTTL', key)
  if forever then
    if ttl ~= -1 then redis.call('PERSIST', key) end
  elseif ttl > 0 and latest > 0 then
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    if latest > now + ttl then redis.call('PEXPIREAT', key, latest) end
  end
end
return wrote
`);
