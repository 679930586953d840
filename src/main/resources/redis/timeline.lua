#!lua
-- The shebang (Redis 7) makes a full Redis refuse the whole script before it runs (see audio.lua).
-- Places a chunk on the session's timeline (the same rule as the memory store's SessionTimeline: read its Javadoc)
-- and returns its presentation time, epoch microseconds on the server's clock; or an error status.
-- KEYS: session hash (fields tlOffset, tlNextSeq, tlNext, tlArrival; absent until the first chunk).
-- ARGV: seq, durationMicros, senderTimestamp (ms), nowMicros, senderKeyHash ('' when none was presented),
-- driftLimitMicros, lateLimitMicros, earlyLimitMicros.
-- Returns {'WRITTEN', presentation} | {'NOT_FOUND'} | {'NOT_ACTIVE'} | {'FORBIDDEN'}. Numbers stay below 2^53, so
-- Lua's doubles hold them exactly.
local state = redis.call('HMGET', KEYS[1], 'active', 'senderKey', 'tlOffset', 'tlNextSeq', 'tlNext', 'tlArrival')
if not state[1] then return {'NOT_FOUND'} end
if ARGV[5] ~= '' and ARGV[5] ~= state[2] then return {'FORBIDDEN'} end
if state[1] ~= 'true' then return {'NOT_ACTIVE'} end
local seq, duration, sender, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]) * 1000, tonumber(ARGV[4])
local drift, late, early = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local function fmt(n) return string.format('%d', n) end
local presentation
if not state[3] then
  presentation = now
  redis.call('HSET', KEYS[1], 'tlOffset', fmt(now - sender))
else
  local offset, nextSeq, nextAt = tonumber(state[3]), tonumber(state[4]), tonumber(state[5])
  presentation = nextAt + (seq - nextSeq) * duration
  local bySender = sender + offset
  if math.abs(presentation - bySender) > drift then presentation = bySender end
  local live = now - tonumber(state[6] or '0') >= math.floor(duration / 2)
  if presentation < now - late or (live and presentation > now + early) then
    presentation = now
    redis.call('HSET', KEYS[1], 'tlOffset', fmt(now - sender))
  end
  if seq < nextSeq then return {'WRITTEN', fmt(presentation)} end
end
redis.call('HSET', KEYS[1], 'tlNextSeq', fmt(seq + 1), 'tlNext', fmt(presentation + duration), 'tlArrival', fmt(now))
return {'WRITTEN', fmt(presentation)}
