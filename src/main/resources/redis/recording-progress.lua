-- Records how far a session's recording got, fenced by its lease: a node that no longer holds the lease (it was cut
-- off, and another took over) cannot overwrite its successor's progress. The hash is replaced whole (a field left
-- out is absent, e.g. no file open). Returns 1 when recorded, else 0.
-- KEYS: lease, progress; ARGV: node id, how long the progress is kept (ms), then field, value, field, value …
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[2], unpack(ARGV, 3))
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
