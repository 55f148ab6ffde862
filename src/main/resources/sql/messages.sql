-- Messages and read marks.

-- name: maxSeq
SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room_id = ?

-- name: range
SELECT seq, epoch, sender_id, cid, kind, text, meta, created_at
FROM messages WHERE room_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?

-- The persistence worker's statements take a whole batch as one JSON parameter, read with
-- JSON_TABLE: their text never changes, so each is prepared once per connection and cached.
-- (Built with one placeholder per value, a batch of 200 rows was a new 1,800-parameter statement
-- for almost every batch, and preparing it cost the server more than the rows themselves.)
-- String columns are wide here: the INSERT's strict mode refuses a value too long for the table
-- rather than cutting it, which is also why this is not INSERT IGNORE.

-- A batch of messages, each [room, seq, epoch, sender, cid, kind, text, meta or null,
-- "yyyy-MM-dd HH:mm:ss.SSS" UTC]. A replayed entry (a batch retried after a crash between commit
-- and XACK) changes nothing on (room_id, seq).
-- name: insertBatch
INSERT INTO messages (room_id, seq, epoch, sender_id, cid, kind, text, meta, created_at)
SELECT j.room_id, j.seq, j.epoch, j.sender_id, j.cid, j.kind, j.text, j.meta, j.created_at
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  room_id BIGINT UNSIGNED PATH '$[0]', seq BIGINT UNSIGNED PATH '$[1]', epoch TEXT PATH '$[2]',
  sender_id BIGINT UNSIGNED PATH '$[3]', cid TEXT PATH '$[4]', kind TEXT PATH '$[5]',
  text LONGTEXT PATH '$[6]', meta LONGTEXT PATH '$[7]', created_at DATETIME(3) PATH '$[8]')) AS j
ON DUPLICATE KEY UPDATE room_id = messages.room_id

-- What MySQL holds under the (room, seq) of the same batch document.
-- name: bySeqBatch
SELECT m.room_id, m.seq, m.cid, m.sender_id
FROM JSON_TABLE(?, '$[*]' COLUMNS (room_id BIGINT UNSIGNED PATH '$[0]', seq BIGINT UNSIGNED PATH '$[1]')) AS k
JOIN messages m ON m.room_id = k.room_id AND m.seq = k.seq

-- Which of the rooms in a JSON array of ids still exist.
-- name: existingRooms
SELECT id FROM rooms WHERE id IN (
  SELECT j.id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT UNSIGNED PATH '$')) AS j)

-- Every read mark of a batch, each [room, user, seq], in one statement (one per mark made MariaDB
-- work harder for the marks than for the messages). Only existing members move: a mark never
-- creates a membership.
-- name: moveReadMarks
UPDATE room_members m
JOIN JSON_TABLE(?, '$[*]' COLUMNS (room_id BIGINT UNSIGNED PATH '$[0]', user_id BIGINT UNSIGNED PATH '$[1]',
  seq BIGINT UNSIGNED PATH '$[2]')) AS v ON m.room_id = v.room_id AND m.user_id = v.user_id
SET m.read_seq = GREATEST(m.read_seq, v.seq)

-- name: readMarks
SELECT room_id, read_seq FROM room_members WHERE user_id = ?
