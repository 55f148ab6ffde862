-- Messages and read marks.

-- name: maxSeq
SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room_id = ?

-- name: range
SELECT seq, epoch, sender_id, cid, kind, text, meta, created_at
FROM messages WHERE room_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?

-- The persistence worker appends "(?, ?, ?, ?, ?, ?, ?, ?, ?)" once per row and insertSuffix;
-- a replayed entry (a batch retried after a crash between commit and XACK) changes nothing on
-- (room_id, seq). Not INSERT IGNORE: that would also turn a too-long value into a silent cut.
-- name: insertPrefix
INSERT INTO messages (room_id, seq, epoch, sender_id, cid, kind, text, meta, created_at) VALUES

-- name: insertSuffix
ON DUPLICATE KEY UPDATE room_id = room_id

-- The worker appends "(?, ?)" per row and a closing parenthesis.
-- name: bySeqPrefix
SELECT room_id, seq, cid, sender_id FROM messages WHERE (room_id, seq) IN (

-- The worker appends "?, ?, …)" with the batch's room ids.
-- name: existingRoomsPrefix
SELECT id FROM rooms WHERE id IN (

-- name: moveReadMark
UPDATE room_members SET read_seq = GREATEST(read_seq, ?) WHERE room_id = ? AND user_id = ?

-- name: readMarks
SELECT room_id, read_seq FROM room_members WHERE user_id = ?
