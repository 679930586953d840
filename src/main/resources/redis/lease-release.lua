-- Compare-and-delete: gives a recording lease up only if the caller holds it. Returns 1 when released, else 0.
-- KEYS: lease; ARGV: node id.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
