-- A listener's read: records the listener as seen now (unless ARGV[2] is empty), then returns {'N'} when no session
-- holds the id, else:
-- mode 'metadata': {'Y', field, value, ...} from the metadata hash. ARGV[1] is the cover version the caller already
--   holds ('' for none): while it is still the stored one, thumbnailData is left out of the reply.
-- mode 'audio': {'Y', epoch, then seq, generation, json for each released chunk newer than ARGV[1]}. ARGV[7] is the
--   highest generation the caller holds in memory: chunks of that generation or older come with an empty json,
--   for the caller to take from its memory (or ask again with a lower ARGV[7] when it no longer holds them).
-- KEYS: session, listeners, metadata or audio, (audio) audio index; ARGV: since (audio) or held cover version
-- (metadata), listener id or '', now, listenerWindowMs, sessionTimeoutMs, mode, (audio) known generation.
if redis.call('EXISTS', KEYS[1]) == 0 then return {'N'} end
local now = tonumber(ARGV[3])
-- Presence is bookkeeping: on a full Redis (noeviction) redis.pcall gets the refusal of its first write and the
-- read goes on without it. (So no shebang here: a script declared with flags would be refused whole.)
if ARGV[2] ~= '' and type(redis.pcall('ZADD', KEYS[2], ARGV[3], ARGV[2])) == 'number' then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('%d', now - tonumber(ARGV[4])))
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
  local count = redis.call('ZCARD', KEYS[2])
  if count > tonumber(redis.call('HGET', KEYS[1], 'peakListeners') or '0') then
    redis.call('HSET', KEYS[1], 'peakListeners', count)
  end
end
local reply = {'Y'}
if ARGV[6] == 'metadata' then
  local coverHeld = ARGV[1] ~= '' and redis.call('HGET', KEYS[3], 'thumbnailVersion') == ARGV[1]
  local fields = redis.call('HGETALL', KEYS[3])
  for i = 1, #fields, 2 do
    if not (coverHeld and fields[i] == 'thumbnailData') then
      reply[#reply + 1] = fields[i]
      reply[#reply + 1] = fields[i + 1]
    end
  end
else
  local state = redis.call('HMGET', KEYS[1], 'released', 'epoch')
  local released, known = tonumber(state[1] or '-1'), tonumber(ARGV[7])
  reply[2] = state[2] or ''
  if tonumber(ARGV[1]) < released then
    local members = redis.call('ZRANGEBYSCORE', KEYS[4], '(' .. ARGV[1], string.format('%d', released))
    for _, member in ipairs(members) do
      local seq, gen = string.match(member, '^(%d+):%d+:?(%d*)$')
      gen = tonumber(gen) or 0
      local json = ''
      if gen == 0 or gen > known then json = redis.call('ZRANGEBYSCORE', KEYS[3], seq, seq)[1] end
      if json then
        reply[#reply + 1] = tonumber(seq)
        reply[#reply + 1] = gen
        reply[#reply + 1] = json
      end
    end
  end
end
return reply
