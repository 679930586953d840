#!lua
-- The shebang (Redis 7) makes a full Redis (maxmemory with noeviction) refuse the whole script before it runs:
-- without it, a script's writes are refused only from its first memory-growing command on, after any before it.
-- Stops a session (idempotent) and returns its state, the fields RedisShareStore reads for a session (active,
-- startTime, lastActivity, stoppedAt, bytes, chunks, peakListeners, epoch); an empty reply when no session holds the
-- id, {'FORBIDDEN'} when the presented sender key is not the session's. KEYS: session, listeners; ARGV: now,
-- stopGraceMs, senderKeyHash ('' when none was presented).
local state = redis.call('HMGET', KEYS[1], 'active', 'startTime', 'lastActivity', 'stoppedAt', 'bytes', 'chunks',
  'peakListeners', 'epoch', 'senderKey')
if not state[1] then return {} end
if ARGV[3] ~= '' and ARGV[3] ~= state[9] then return {'FORBIDDEN'} end
state[9] = nil
if state[1] == 'true' then
  redis.call('HSET', KEYS[1], 'active', 'false', 'stoppedAt', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  state[1] = 'false'
  state[4] = ARGV[1]
end
return state
