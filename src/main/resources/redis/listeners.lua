#!lua
-- Records push listeners as seen now and keeps the session's peakListeners current. KEYS: session, listeners;
-- ARGV: now, listenerWindowMs, sessionTimeoutMs, listener ids... Does nothing when no session holds the id.
-- (Counting is a plain ZCOUNT: a read must not write, or a full Redis would refuse it.)
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 4, #ARGV do redis.call('ZADD', KEYS[2], ARGV[1], ARGV[i]) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('%d', tonumber(ARGV[1]) - tonumber(ARGV[2])))
redis.call('PEXPIRE', KEYS[2], ARGV[3])
local count = redis.call('ZCARD', KEYS[2])
if count > tonumber(redis.call('HGET', KEYS[1], 'peakListeners') or '0') then
  redis.call('HSET', KEYS[1], 'peakListeners', count)
end
return count
