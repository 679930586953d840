-- Records listeners as seen (ARGV[4..]) and returns the count within the window, keeping the session's
-- listenerCount and peakListeners fields current. KEYS: session, listeners; ARGV: now, listenerWindowMs,
-- sessionTimeoutMs, listener ids... Returns -1 when no session holds the id.
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if #ARGV > 3 then
  for i = 4, #ARGV do redis.call('ZADD', KEYS[2], ARGV[1], ARGV[i]) end
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
local from = tonumber(ARGV[1]) - tonumber(ARGV[2])
local count = redis.call('ZCOUNT', KEYS[2], '(' .. string.format('%d', from), '+inf')
local peak = tonumber(redis.call('HGET', KEYS[1], 'peakListeners') or '0')
redis.call('HSET', KEYS[1], 'listenerCount', count)
if count > peak then redis.call('HSET', KEYS[1], 'peakListeners', count) end
return count
