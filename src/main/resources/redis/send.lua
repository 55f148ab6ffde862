-- Appends a batch of messages, each to its room, atomically and in the order given. The router
-- gathers the sends it has in hand into one call (group commit): one script run, one reply and one
-- WAIT for the whole batch instead of one of each per message.
-- KEYS, 6 per message: 1 room seq, 2 room epoch, 3 room log stream, 4 persist stream partition,
--       5 idempotency key of (room, sender, cid), 6 room read marks hash
-- ARGV: 1 log length kept, 2 idempotency key lifetime (s), then 6 per message:
--       room, sender (0 = system), cid, text, meta JSON or '', kind
-- Returns one string per message: "0:seq:ts:epoch" for a new message, "1:seq:ts:epoch" for a
-- retried cid, "-1" when the room's sequence is not initialised (the caller runs init_room.lua
-- and sends that message again).
local maxlen, ttl = ARGV[1], ARGV[2]
local now = redis.call('TIME')
local ts = tostring(tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000))
local out = {}
for i = 0, #KEYS / 6 - 1 do
  local k, a = i * 6, 2 + i * 6
  local room, from, cid, text, meta, kind = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5], ARGV[a + 6]
  local prior = redis.call('GET', KEYS[k + 5])
  if prior then
    out[i + 1] = '1:' .. prior
  elseif redis.call('EXISTS', KEYS[k + 1]) == 0 then
    out[i + 1] = '-1'
  else
    local seq = redis.call('INCR', KEYS[k + 1])
    local epoch = redis.call('GET', KEYS[k + 2]) or ''
    -- The log's entry id is the seq, so a range of seqs is a range of ids.
    redis.call('XADD', KEYS[k + 3], 'MAXLEN', '~', maxlen, seq .. '-0',
      'from', from, 'cid', cid, 'text', text, 'meta', meta, 'kind', kind, 'ts', ts, 'epoch', epoch)
    -- Never trimmed: entries leave the persist stream only after they are committed to MySQL.
    redis.call('XADD', KEYS[k + 4], '*', 't', 'm', 'room', room, 'seq', seq,
      'from', from, 'cid', cid, 'text', text, 'meta', meta, 'kind', kind, 'ts', ts, 'epoch', epoch)
    local result = seq .. ':' .. ts .. ':' .. epoch
    redis.call('SET', KEYS[k + 5], result, 'EX', ttl)
    -- Sending moves the sender's own read mark to the message.
    if from ~= '0' then
      redis.call('HSET', KEYS[k + 6], from, seq)
    end
    out[i + 1] = '0:' .. result
  end
end
return out
