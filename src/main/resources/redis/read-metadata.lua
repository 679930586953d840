-- A listener's metadata read: records the listener as seen now (unless ARGV[2] is empty), then returns {} when no
-- session holds the id, else {{field, value, ...}} from the metadata hash.
-- KEYS: session, listeners, metadata. ARGV: the cover version the caller holds ('' for none: while it is the
-- stored one, thumbnailData is left out), listener id or '', now, listenerWindowMs, sessionTimeoutMs.
-- No shebang, on purpose: presence is bookkeeping, and a full Redis must still answer the read (see presence).
--#include presence
--#include metadata
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
if ARGV[2] ~= '' then recordListeners(KEYS[1], KEYS[2], {ARGV[2]}, ARGV[3], ARGV[4], ARGV[5]) end
return {metadataFields(KEYS[3], ARGV[1])}
