#!lua
-- The shebang (Redis 7) makes a full Redis (maxmemory with noeviction) refuse the whole script before it runs:
-- without it, a script's writes are refused only from its first memory-growing command on, after any before it.
-- Reserves a live-session slot in the registry (sorted set: session id -> expiry deadline, epoch ms).
-- Runs alone on the registry key: a script may not span it and a session's slot on a cluster.
-- KEYS[1] registry; ARGV: id, now, deadline (the reservation's, until the start confirms it), maxSessions.
-- Returns STARTED, IN_USE or FULL.
local deadline = redis.call('ZSCORE', KEYS[1], ARGV[1])
if deadline and tonumber(deadline) > tonumber(ARGV[2]) then return 'IN_USE' end
if redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[2], '+inf') >= tonumber(ARGV[4]) then return 'FULL' end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 'STARTED'
