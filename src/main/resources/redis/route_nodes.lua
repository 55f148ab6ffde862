-- The live nodes that hold connections of any of the given users.
-- KEYS: none (the key names are built from ARGV so the list of users can be long)
-- ARGV: user ids
-- A node is live while its heartbeat key "node:<id>" exists; entries of dead nodes are dropped
-- here, so a crashed node disappears from routing when its heartbeat expires.
local seen = {}
local out = {}
for i = 1, #ARGV do
  local key = 'pu:' .. ARGV[i]
  local nodes = redis.call('SMEMBERS', key)
  for j = 1, #nodes do
    local node = nodes[j]
    if seen[node] == nil then
      if redis.call('EXISTS', 'node:' .. node) == 1 then
        seen[node] = true
        out[#out + 1] = node
      else
        seen[node] = false
      end
    end
    if seen[node] == false then
      redis.call('SREM', key, node)
    end
  end
end
return out
