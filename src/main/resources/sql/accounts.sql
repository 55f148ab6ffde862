-- Users. username is unique under the column's case-insensitive collation, so "Mina" and "mina"
-- are the same user and a lookup by either finds them.

-- name: insertUser
INSERT INTO users (username, password_hash, display_name) VALUES (?, ?, ?)

-- name: credentialsByUsername
SELECT id, username, password_hash, display_name, city, bio, avatar_url FROM users WHERE username = ?

-- name: userById
SELECT id, username, display_name, city, bio, avatar_url FROM users WHERE id = ?

-- name: userByIdForUpdate
SELECT id, username, display_name, city, bio, avatar_url FROM users WHERE id = ? FOR UPDATE

-- name: updateProfile
UPDATE users SET display_name = ?, city = ?, bio = ?, avatar_url = ? WHERE id = ?
