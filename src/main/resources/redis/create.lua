#!lua
-- The shebang (Redis 7) makes a full Redis (maxmemory with noeviction) refuse the whole script before it runs:
-- without it, a script's writes are refused only from its first memory-growing command on, after any before it.
-- Creates a session afresh (a stopped session's id may be started again: its old keys go).
-- KEYS: session, metadata, audio, audio index, listeners, listener names; ARGV: now, sessionTimeoutMs, senderKeyHash, epoch (random:
-- tells nodes holding chunks of an earlier session under this id that those are not this session's).
redis.call('DEL', unpack(KEYS))
redis.call('HSET', KEYS[1], 'active', 'true', 'startTime', ARGV[1], 'lastActivity', ARGV[1], 'stoppedAt', '0',
  'bytes', '0', 'chunks', '0', 'listenerCount', '0', 'peakListeners', '0', 'released', '-1', 'holdingSince', '0',
  'audioMicros', '0', 'senderKey', ARGV[3], 'epoch', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 'STARTED'
