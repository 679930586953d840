-- A push listener's catch-up in one round trip: the session's state, its metadata and the released chunks after
-- the listener's last one, read atomically (nothing can be released between the parts).
-- KEYS: session, listeners, metadata, audio, audio index.
-- ARGV: since (-1: the whole buffer), listener id ('' records nothing), now, listenerWindowMs, sessionTimeoutMs,
-- the cover version the caller holds ('' for none: while it is the stored one, thumbnailData is left out), the
-- highest chunk generation the caller holds in memory (chunks of that generation or older come with an empty json).
-- Returns {} when no session holds the id, else
-- {active, released, epoch, {metadata field, value, ...}, {seq, generation, json, ...}}.
--
-- No shebang, on purpose: presence is bookkeeping, and on a full Redis (noeviction) its first write is refused by
-- redis.pcall while the reads go on; a script declared with flags would be refused whole.
local state = redis.call('HMGET', KEYS[1], 'active', 'released', 'epoch')
if not state[1] then return {} end
local now = tonumber(ARGV[3])
if ARGV[2] ~= '' and type(redis.pcall('ZADD', KEYS[2], ARGV[3], ARGV[2])) == 'number' then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('%d', now - tonumber(ARGV[4])))
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
  local count = redis.call('ZCARD', KEYS[2])
  if count > tonumber(redis.call('HGET', KEYS[1], 'peakListeners') or '0') then
    redis.call('HSET', KEYS[1], 'peakListeners', count)
  end
end

local coverHeld = ARGV[6] ~= '' and redis.call('HGET', KEYS[3], 'thumbnailVersion') == ARGV[6]
local metadata = {}
local fields = redis.call('HGETALL', KEYS[3])
for i = 1, #fields, 2 do
  if not (coverHeld and fields[i] == 'thumbnailData') then
    metadata[#metadata + 1] = fields[i]
    metadata[#metadata + 1] = fields[i + 1]
  end
end

local released, since, known = tonumber(state[2] or '-1'), tonumber(ARGV[1]), tonumber(ARGV[7])
local chunks = {}
if since < released then
  local members = redis.call('ZRANGEBYSCORE', KEYS[5], '(' .. ARGV[1], string.format('%d', released))
  for _, member in ipairs(members) do
    local seq, gen = string.match(member, '^(%d+):%d+:(%d+)$')
    local json = ''
    if tonumber(gen) > known then json = redis.call('ZRANGEBYSCORE', KEYS[4], seq, seq)[1] end
    if json then
      chunks[#chunks + 1] = tonumber(seq)
      chunks[#chunks + 1] = tonumber(gen)
      chunks[#chunks + 1] = json
    end
  end
end
return {state[1], released, state[3] or '', metadata, chunks}
