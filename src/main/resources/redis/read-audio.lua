-- A listener's audio read: records the listener as seen now (unless ARGV[2] is empty), then returns {} when no
-- session holds the id, else {epoch, {seq, generation, json, ...}} for the released chunks after ARGV[1] (see
-- chunks for the empty json of a chunk the caller holds).
-- KEYS: session, listeners, audio, audio index. ARGV: since, listener id or '', now, listenerWindowMs,
-- sessionTimeoutMs, the highest chunk generation the caller holds (-1: none).
-- No shebang, on purpose: presence is bookkeeping, and a full Redis must still answer the read (see presence).
--#include presence
--#include chunks
local state = redis.call('HMGET', KEYS[1], 'released', 'epoch')
if not state[2] then return {} end
if ARGV[2] ~= '' then recordListeners(KEYS[1], KEYS[2], {ARGV[2]}, ARGV[3], ARGV[4], ARGV[5]) end
return {state[2], releasedChunks(KEYS[3], KEYS[4], ARGV[1], tonumber(state[1]), tonumber(ARGV[6]))}
