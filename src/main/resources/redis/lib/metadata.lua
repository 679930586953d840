-- Not a script of its own: RedisScripts puts it in front of a script where a script says `--#include metadata`.
-- The metadata hash as flat field/value pairs. While `heldVersion` (not '') is the stored cover's version, the
-- caller already holds that cover and thumbnailData (often 30 KB or more) is left out.
local function metadataFields(metadata, heldVersion)
  local coverHeld = heldVersion ~= '' and redis.call('HGET', metadata, 'thumbnailVersion') == heldVersion
  local out = {}
  local fields = redis.call('HGETALL', metadata)
  for i = 1, #fields, 2 do
    if not (coverHeld and fields[i] == 'thumbnailData') then
      out[#out + 1] = fields[i]
      out[#out + 1] = fields[i + 1]
    end
  end
  return out
end
