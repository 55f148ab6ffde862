-- Moves a member's read mark forward (never back) and queues it for MySQL.
-- KEYS: 1 room read marks hash, 2 persist stream partition
-- ARGV: 1 room, 2 user, 3 seq
-- Returns 1 when the mark moved, 0 when it was already at or past seq.
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[2]) or '0')
local seq = tonumber(ARGV[3])
if seq <= current then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[2], seq)
redis.call('XADD', KEYS[2], '*', 't', 'r', 'room', ARGV[1], 'user', ARGV[2], 'seq', ARGV[3])
return 1
