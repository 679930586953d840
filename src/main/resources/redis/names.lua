-- Listeners' display names (hash: listener id -> name, kept as long as the session).
-- KEYS: session, listeners, names. ARGV[1] = 'set' | 'get'.
-- set: ARGV[2] sessionTimeoutMs, then listener id, name pairs. Returns 1, or 0 when no session holds the id.
-- get: ARGV[2] now, ARGV[3] listenerWindowMs. Returns the names of the listeners seen within the window.
if redis.call('EXISTS', KEYS[1]) == 0 then return ARGV[1] == 'set' and 0 or {} end
if ARGV[1] == 'set' then
  -- Names are bookkeeping of reads: on a full Redis (noeviction) redis.pcall gets the refusal and the read goes on.
  for i = 3, #ARGV, 2 do redis.pcall('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
  redis.call('PEXPIRE', KEYS[3], ARGV[2])
  return 1
end
local from = tonumber(ARGV[2]) - tonumber(ARGV[3])
local present = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. string.format('%d', from), '+inf')
if #present == 0 then return {} end
local names = redis.call('HMGET', KEYS[3], unpack(present))
local shown = {}
for _, name in ipairs(names) do
  if name then shown[#shown + 1] = name end
end
return shown
