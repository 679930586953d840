#!lua
-- The shebang (Redis 7) makes a full Redis (maxmemory with noeviction) refuse the whole script before it runs:
-- without it, a script's writes are refused only from its first memory-growing command on, after any before it.
-- Replaces a session's metadata. KEYS: session, metadata; ARGV: now, sessionTimeoutMs, metadataTtlMs, keepVersion,
-- senderKeyHash ('' when none was presented), then field/value pairs. keepVersion, when not empty, means "the cover is unchanged and was left out": the stored
-- thumbnailData is kept if its thumbnailVersion matches, else NEED_THUMBNAIL asks for it in full.
-- Returns WRITTEN, NOT_FOUND, FORBIDDEN, NOT_ACTIVE or NEED_THUMBNAIL.
local state = redis.call('HMGET', KEYS[1], 'active', 'senderKey')
if not state[1] then return 'NOT_FOUND' end
if ARGV[5] ~= '' and ARGV[5] ~= state[2] then return 'FORBIDDEN' end
if state[1] ~= 'true' then return 'NOT_ACTIVE' end
if ARGV[4] ~= '' then
  if redis.call('HGET', KEYS[2], 'thumbnailVersion') ~= ARGV[4] then return 'NEED_THUMBNAIL' end
  for _, name in ipairs(redis.call('HKEYS', KEYS[2])) do
    if name ~= 'thumbnailData' then redis.call('HDEL', KEYS[2], name) end
  end
else
  redis.call('DEL', KEYS[2])
end
if #ARGV > 5 then redis.call('HSET', KEYS[2], unpack(ARGV, 6)) end
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
redis.call('HSET', KEYS[1], 'lastActivity', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 'WRITTEN'
