-- Takes a session's recording lease (RedisRecordingLeases) if no node holds it, or extends it if this node already
-- does; returns 1 when the caller holds it afterwards, 0 when another node does. KEYS: lease; ARGV: node id, lease
-- time (ms).
local holder = redis.call('GET', KEYS[1])
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
