-- Not a script of its own: RedisScripts puts it in front of a script where a script says `--#include presence` (EVAL scripts cannot
-- call one another, and this is one rule in one place).
-- Records listener ids as seen at `now` (a string of epoch ms) in the session's listeners sorted set, drops those
-- not seen within the window, keeps the set as long as the session and raises the session's peakListeners.
-- Best effort: the writes go through redis.pcall, so on a full Redis (noeviction) the first refusal stops the
-- bookkeeping and the calling read goes on. Returns the listeners within the window, or false when refused.
-- A stopped session (its after-stop grace period) records nobody: there is nothing left to listen to, and a page
-- opened after the end must not count itself among those who listened.
local function recordListeners(session, listeners, ids, now, windowMs, sessionTimeoutMs)
  if redis.call('HGET', session, 'active') ~= 'true' then
    return redis.call('ZCOUNT', listeners, string.format('(%d', tonumber(now) - tonumber(windowMs)), '+inf')
  end
  for _, id in ipairs(ids) do
    if type(redis.pcall('ZADD', listeners, now, id)) ~= 'number' then return false end
  end
  redis.call('ZREMRANGEBYSCORE', listeners, '-inf', string.format('%d', tonumber(now) - tonumber(windowMs)))
  redis.call('PEXPIRE', listeners, sessionTimeoutMs)
  local count = redis.call('ZCARD', listeners)
  if count > tonumber(redis.call('HGET', session, 'peakListeners') or '0') then
    redis.call('HSET', session, 'peakListeners', count)
  end
  return count
end
