-- Initialises a room's sequence when its key is missing (a new room, or Redis lost its data).
-- KEYS: 1 room seq, 2 room epoch, 3 room log stream
-- ARGV: 1 highest seq MySQL holds for the room, 2 a fresh epoch
-- The sequence restarts from MySQL's highest seq so it never goes backwards; the new epoch tells
-- clients that anything they cached beyond it may be gone. An existing sequence is left alone.
-- Returns {seq, epoch}.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {tonumber(redis.call('GET', KEYS[1])), redis.call('GET', KEYS[2]) or ''}
end
redis.call('DEL', KEYS[3])
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
return {tonumber(ARGV[1]), ARGV[2]}
