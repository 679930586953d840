#!lua
-- Records push listeners as seen now and keeps the session's peakListeners current. KEYS: session, listeners;
-- ARGV: now, listenerWindowMs, sessionTimeoutMs, listener ids... Returns the listeners within the window, 0 when no
-- session holds the id. (Counting is a plain ZCOUNT elsewhere: a read must not write, or a full Redis would
-- refuse it.)
--#include presence
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return recordListeners(KEYS[1], KEYS[2], {unpack(ARGV, 4)}, ARGV[1], ARGV[2], ARGV[3]) or 0
