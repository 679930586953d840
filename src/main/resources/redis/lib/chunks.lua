-- Not a script of its own: RedisScripts puts it in front of a script where a script says `--#include chunks`.
-- The released chunks after `since` (a string: a sequence number, or -1), as flat triples {seq, generation, json}.
-- `known` is the highest generation the caller holds in memory: chunks of that generation or older come with an
-- empty json, for the caller to take from its memory (or to ask again with a lower `known`). An index entry is
-- "seq:durationMicros:generation".
local function releasedChunks(audio, index, since, released, known)
  local chunks = {}
  if tonumber(since) >= released then return chunks end
  local members = redis.call('ZRANGEBYSCORE', index, '(' .. since, string.format('%d', released))
  for _, member in ipairs(members) do
    local seq, gen = string.match(member, '^(%d+):%d+:(%d+)$')
    local json = ''
    if tonumber(gen) > known then json = redis.call('ZRANGEBYSCORE', audio, seq, seq)[1] end
    if json then
      chunks[#chunks + 1] = tonumber(seq)
      chunks[#chunks + 1] = tonumber(gen)
      chunks[#chunks + 1] = json
    end
  end
  return chunks
end
