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

-- Every read mark of a batch in one statement: one statement per mark made MariaDB work harder
-- for the marks than for the messages. The worker appends moveReadMarksFirst for the first
-- (room, user, seq), " UNION ALL SELECT ?, ?, ?" for each other, and moveReadMarksSuffix.
-- Only existing members move: a mark never creates a membership.
-- name: moveReadMarksPrefix
UPDATE room_members m JOIN (

-- name: moveReadMarksFirst
SELECT CAST(? AS UNSIGNED) AS room_id, CAST(? AS UNSIGNED) AS user_id, CAST(? AS UNSIGNED) AS seq

-- name: moveReadMarksSuffix
) AS v ON m.room_id = v.room_id AND m.user_id = v.user_id
SET m.read_seq = GREATEST(m.read_seq, v.seq)

-- name: readMarks
SELECT room_id, read_seq FROM room_members WHERE user_id = ?
