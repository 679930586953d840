-- A listener's read: records the listener as seen now (unless ARGV[2] is empty), then returns
-- {'Y', ...} with the released chunks newer than ARGV[1] (mode 'audio') or the metadata hash as field/value pairs
-- (mode 'metadata'), or {'N'} when no session holds the id. In 'metadata' mode ARGV[1] is the cover version the
-- caller already holds ('' for none): when it is still the stored one, thumbnailData is left out of the reply.
-- KEYS: session, listeners, audio or metadata; ARGV: since (audio) or held cover version (metadata), listener id
-- or '', now, listenerWindowMs, sessionTimeoutMs, mode.
if redis.call('EXISTS', KEYS[1]) == 0 then return {'N'} end
local now = tonumber(ARGV[3])
if ARGV[2] ~= '' then
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('%d', now - tonumber(ARGV[4])))
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
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
  local released = tonumber(redis.call('HGET', KEYS[1], 'released') or '-1')
  if tonumber(ARGV[1]) < released then
    for _, chunk in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. ARGV[1], string.format('%d', released))) do
      reply[#reply + 1] = chunk
    end
  end
end
return reply
