-- Rooms and membership. Direct rooms carry direct_key "lowId:highId" (unique), which makes
-- opening one idempotent under concurrency.

-- name: insertDirect
INSERT IGNORE INTO rooms (kind, direct_key, created_by) VALUES ('direct', ?, ?)

-- name: findDirect
SELECT id FROM rooms WHERE direct_key = ?

-- name: insertMemberIgnore
INSERT IGNORE INTO room_members (room_id, user_id) VALUES (?, ?)

-- name: insertGroup
INSERT INTO rooms (kind, name, created_by) VALUES ('group', ?, ?)

-- name: deleteMember
DELETE FROM room_members WHERE room_id = ? AND user_id = ?

-- name: membersOf
SELECT user_id FROM room_members WHERE room_id = ?

-- name: roomKind
SELECT kind, name FROM rooms WHERE id = ?

-- name: roomsOfUser
SELECT room_id FROM room_members WHERE user_id = ?

-- name: userExists
SELECT id FROM users WHERE id = ?

-- name: listForUser
SELECT r.id, r.kind, r.name, m.read_seq
FROM room_members m JOIN rooms r ON r.id = m.room_id
WHERE m.user_id = ? AND r.id > ?
ORDER BY r.id LIMIT ?

-- name: membersWithNames
SELECT m.room_id, u.id, u.display_name
FROM room_members m JOIN users u ON u.id = m.user_id
WHERE m.room_id IN (SELECT room_id FROM room_members WHERE user_id = ? AND room_id > ? AND room_id <= ?)
ORDER BY m.room_id, u.id
