-- Appends one message to a room, atomically.
-- KEYS: 1 room seq, 2 room epoch, 3 room log stream, 4 persist stream partition,
--       5 idempotency key of (room, sender, cid), 6 room read marks hash
-- ARGV: 1 room, 2 sender (0 = system), 3 cid, 4 text, 5 meta JSON or '', 6 kind,
--       7 log length kept, 8 idempotency key lifetime (s)
-- Returns {0, "seq:ts:epoch"} for a new message, {1, "seq:ts:epoch"} for a retried cid,
-- {-1} when the room's sequence is not initialised (the caller runs init_room.lua and retries).
local prior = redis.call('GET', KEYS[5])
if prior then
  return {1, prior}
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {-1}
end
local seq = redis.call('INCR', KEYS[1])
local epoch = redis.call('GET', KEYS[2]) or ''
local now = redis.call('TIME')
local ts = tostring(tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
-- The log's entry id is the seq, so a range of seqs is a range of ids.
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[7], seq .. '-0',
  'from', ARGV[2], 'cid', ARGV[3], 'text', ARGV[4], 'meta', ARGV[5], 'kind', ARGV[6], 'ts', ts, 'epoch', epoch)
-- Never trimmed: entries leave the persist stream only after they are committed to MySQL.
redis.call('XADD', KEYS[4], '*', 't', 'm', 'room', ARGV[1], 'seq', seq,
  'from', ARGV[2], 'cid', ARGV[3], 'text', ARGV[4], 'meta', ARGV[5], 'kind', ARGV[6], 'ts', ts, 'epoch', epoch)
local result = seq .. ':' .. ts .. ':' .. epoch
redis.call('SET', KEYS[5], result, 'EX', ARGV[8])
-- Sending moves the sender's own read mark to the message.
if ARGV[2] ~= '0' then
  redis.call('HSET', KEYS[6], ARGV[2], seq)
end
return {0, result}
