#!lua
-- The shebang (Redis 7) makes a full Redis (maxmemory with noeviction) refuse the whole script before it runs:
-- without it, a script's writes are refused only from its first memory-growing command on, after any before it.
-- A session's audio buffer with its release frontier (the same rules as the memory store's ReleasingBuffer):
-- listeners see chunks up to 'released', the highest sequence number with no hole before it; chunks after a hole
-- wait for it, or for the reorder window, then the hole is skipped; the buffer is capped by count and duration.
--
-- KEYS: session hash, audio (zset: chunk JSON by sequence number), index (zset: "seq:micros:generation" by sequence
-- number; the generation is the session's 'chunks' counter when the chunk was stored, so a replaced chunk has a new
-- one and nodes that hold the old one in memory know it is stale).
-- ARGV[1] = 'append' | 'release', ARGV[2] = now, ARGV[3] = reorderWindowMs, ARGV[4] = audioTtlMs, ARGV[5] = the
-- command each released chunk is published with: 'PUBLISH', 'SPUBLISH' (on a cluster: the channel carries the
-- session's hash tag, so it is in this script's slot and the message stays within this shard) or '' (none),
-- ARGV[6] = the session's events channel.
-- append also: ARGV[7] seq, ARGV[8] chunk JSON, ARGV[9] durationMicros, ARGV[10] decodedBytes, ARGV[11] maxChunks,
-- ARGV[12] maxMicros, ARGV[13] sessionTimeoutMs, ARGV[14] senderKeyHash ('' when none was presented).
-- Returns {outcome} when refused (NOT_FOUND, FORBIDDEN, NOT_ACTIVE), else {'WRITTEN', buffered (0/1), holdUntil,
-- epoch, the appended chunk's generation (0 when not buffered), {seq, generation, json, ...} for each chunk
-- released, in order}; the appended chunk's own JSON is returned empty (the caller has it).
--
-- Publishing here, not from the node after the reply, sends each chunk's bytes to Redis once instead of twice, and
-- puts the events in release order whichever node released them. The message is the chunk JSON itself (nodes read
-- its sequence number from its end): building a framed copy in Lua cost Redis more than the whole PUBLISH.
local session, audio, index = KEYS[1], KEYS[2], KEYS[3]
local mode, now, window, publish, channel = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[5], ARGV[6]
assert(publish == 'PUBLISH' or publish == 'SPUBLISH' or publish == '', 'publish with PUBLISH or SPUBLISH')

local state = redis.call('HMGET', session, 'active', 'released', 'holdingSince', 'audioMicros', 'senderKey', 'epoch')
if not state[1] then return {'NOT_FOUND'} end
local epoch = state[6]
if mode == 'append' and ARGV[14] ~= '' and ARGV[14] ~= state[5] then return {'FORBIDDEN'} end
if mode == 'append' and state[1] ~= 'true' then return {'NOT_ACTIVE'} end
local released, holding, micros = tonumber(state[2]), tonumber(state[3]), tonumber(state[4])
if redis.call('EXISTS', index) == 0 then
  -- The buffer's TTL ran out: it starts afresh, but the frontier stays (a paused sender resumes its numbering).
  if mode == 'release' then return {'WRITTEN', 0, 0, epoch, 0, {}} end
  micros, holding = 0, 0
  redis.call('DEL', audio)
end

local function fmt(n) return string.format('%d', n) end
local appended = mode == 'append' and tonumber(ARGV[7]) or nil
local out = {}

-- An index member's duration and generation.
local function parts(member)
  local us, gen = string.match(member, '^%d+:(%d+):(%d+)$')
  return tonumber(us), tonumber(gen)
end
local function present(n) return redis.call('ZCOUNT', index, n, n) > 0 end
local function advance()
  while true do
    local member = redis.call('ZRANGEBYSCORE', index, released + 1, released + 1)[1]
    if not member then break end
    local _, gen = parts(member)
    released = released + 1
    out[#out + 1] = released
    out[#out + 1] = gen
    local json
    if released == appended then
      json = ARGV[8]
      out[#out + 1] = ''
    else
      json = redis.call('ZRANGEBYSCORE', audio, released, released)[1]
      out[#out + 1] = json
    end
    if publish ~= '' then redis.call(publish, channel, json) end
  end
end
local function firstHeld()
  local held = redis.call('ZRANGEBYSCORE', index, '(' .. fmt(released), '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  if #held == 0 then return nil end
  return tonumber(held[2])
end
local function releaseDue()
  while holding > 0 and now >= holding + window do
    local next = firstHeld()
    if not next then holding = 0; break end
    released = next - 1
    advance()
    holding = firstHeld() and now or 0
  end
end

local buffered, generation = 1, 0
if mode == 'append' then
  local seq = appended
  redis.call('HINCRBY', session, 'bytes', ARGV[10])
  generation = redis.call('HINCRBY', session, 'chunks', 1)
  redis.call('HSET', session, 'lastActivity', ARGV[2])
  redis.call('PEXPIRE', session, ARGV[13])
  if seq <= released and not present(seq) then
    buffered, generation = 0, 0 -- its place in the stream was already passed
  else
    local old = redis.call('ZRANGEBYSCORE', index, seq, seq)[1]
    if old then
      micros = micros - parts(old)
      redis.call('ZREMRANGEBYSCORE', index, seq, seq)
      redis.call('ZREMRANGEBYSCORE', audio, seq, seq)
    end
    redis.call('ZADD', audio, seq, ARGV[8])
    redis.call('ZADD', index, seq, fmt(seq) .. ':' .. ARGV[9] .. ':' .. fmt(generation))
    micros = micros + tonumber(ARGV[9])
    if seq > released then advance() end
  end
end

releaseDue()

if mode == 'append' and buffered == 1 then
  local maxChunks, maxMicros = tonumber(ARGV[11]), tonumber(ARGV[12])
  while true do
    local count = redis.call('ZCARD', index)
    if count <= 1 or (count <= maxChunks and micros <= maxMicros) then break end
    local oldest = redis.call('ZRANGE', index, 0, 0, 'WITHSCORES')
    local oldestSeq = tonumber(oldest[2])
    micros = micros - parts(oldest[1])
    redis.call('ZREMRANGEBYRANK', index, 0, 0)
    redis.call('ZREMRANGEBYSCORE', audio, oldestSeq, oldestSeq)
    if oldestSeq > released then
      released = oldestSeq -- a hole older than the whole buffer can never fill in time
      advance()
    end
  end
end

if firstHeld() then
  if holding == 0 then holding = now end
else
  holding = 0
end
redis.call('HSET', session, 'released', fmt(released), 'holdingSince', fmt(holding), 'audioMicros', fmt(micros))
if mode == 'append' then
  redis.call('PEXPIRE', audio, ARGV[4])
  redis.call('PEXPIRE', index, ARGV[4])
end
local holdUntil = 0
if holding > 0 then holdUntil = holding + window end
return {'WRITTEN', buffered, holdUntil, epoch, generation, out}
