-- Applications to sittings, read with the applicant's display name. Times are read as epoch
-- milliseconds so that the session time zone does not matter.

-- name: insertApplication
INSERT INTO applications (sitting_id, applicant_id, motivation, experience_count, housing_type, room_id)
VALUES (?, ?, ?, ?, ?, ?)

-- name: applicationOf
SELECT id FROM applications WHERE sitting_id = ? AND applicant_id = ?

-- name: applicationById
SELECT a.id, a.sitting_id, a.applicant_id, u.display_name AS applicant_name, a.motivation, a.experience_count,
       a.housing_type, a.room_id, CAST(UNIX_TIMESTAMP(a.created_at) * 1000 AS SIGNED) AS created_ms
FROM applications a JOIN users u ON u.id = a.applicant_id
WHERE a.id = ?

-- name: applicationsOfSitting
SELECT a.id, a.sitting_id, a.applicant_id, u.display_name AS applicant_name, a.motivation, a.experience_count,
       a.housing_type, a.room_id, CAST(UNIX_TIMESTAMP(a.created_at) * 1000 AS SIGNED) AS created_ms
FROM applications a JOIN users u ON u.id = a.applicant_id
WHERE a.sitting_id = ? AND (? IS NULL OR a.id < ?)
ORDER BY a.id DESC
LIMIT ?
