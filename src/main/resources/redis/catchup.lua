-- A push listener's catch-up in one round trip: the session's state, its metadata and the released chunks after
-- the listener's last one, read atomically (nothing can be released between the parts).
-- KEYS: session, listeners, metadata, audio, audio index.
-- ARGV: since (-1: the whole buffer), listener id ('' records nothing), now, listenerWindowMs, sessionTimeoutMs,
-- the cover version the caller holds ('' for none: while it is the stored one, thumbnailData is left out), the
-- highest chunk generation the caller holds in memory (see chunks).
-- Returns {} when no session holds the id, else
-- {active, released, epoch, {metadata field, value, ...}, {seq, generation, json, ...}}.
-- No shebang, on purpose: presence is bookkeeping, and a full Redis must still answer the read (see presence).
--#include presence
--#include metadata
--#include chunks
local state = redis.call('HMGET', KEYS[1], 'active', 'released', 'epoch')
if not state[1] then return {} end
if ARGV[2] ~= '' then recordListeners(KEYS[1], KEYS[2], {ARGV[2]}, ARGV[3], ARGV[4], ARGV[5]) end
local released = tonumber(state[2])
local chunks = releasedChunks(KEYS[4], KEYS[5], ARGV[1], released, tonumber(ARGV[7]))
return {state[1], released, state[3], metadataFields(KEYS[3], ARGV[6]), chunks}
