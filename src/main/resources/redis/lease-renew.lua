-- Compare-and-renew: extends a recording lease only if the caller still holds it (a lease that ran out, or was
-- taken over meanwhile, is not revived). Returns 1 when renewed, else 0. KEYS: lease; ARGV: node id, lease time (ms).
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
