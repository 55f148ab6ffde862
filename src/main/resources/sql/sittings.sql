-- Sitting requests and their pets. Reads return one row per pet of a sitting (LEFT JOIN: a
-- sitting whose pets were all deleted still shows), with the owner's display name. Times are
-- read as epoch milliseconds so that the session time zone does not matter.

-- name: insertSitting
INSERT INTO sittings (owner_id, city, start_date, end_date, reward, housing_types, text)
VALUES (?, ?, ?, ?, ?, ?, ?)

-- name: insertSittingPet
INSERT INTO sitting_pets (sitting_id, pet_id) VALUES (?, ?)

-- name: deleteSittingPets
DELETE FROM sitting_pets WHERE sitting_id = ?

-- name: lockSitting
SELECT owner_id FROM sittings WHERE id = ? FOR UPDATE

-- name: updateSitting
UPDATE sittings SET city = ?, start_date = ?, end_date = ?, reward = ?, housing_types = ?, text = ?, status = ?
WHERE id = ?

-- name: deleteSitting
DELETE FROM sittings WHERE id = ?

-- name: sittingById
SELECT s.id, s.owner_id, u.display_name AS owner_name, s.city, s.start_date, s.end_date, s.reward,
       s.housing_types, s.text, s.status, CAST(UNIX_TIMESTAMP(s.created_at) * 1000 AS SIGNED) AS created_ms,
       p.id AS pet_id, p.name AS pet_name, p.species AS pet_species
FROM sittings s
JOIN users u ON u.id = s.owner_id
LEFT JOIN sitting_pets sp ON sp.sitting_id = s.id
LEFT JOIN pets p ON p.id = sp.pet_id
WHERE s.id = ?
ORDER BY p.id

-- Parameters come in pairs so that a null filter matches everything: city, from (the sitting
-- ends on or after it), to (it starts on or before it), the cursor (ids below it), species (one
-- of its pets is of it); then the page size. The inner query picks the page, the outer one adds
-- owners and pets.
-- name: listSittings
SELECT s.id, s.owner_id, u.display_name AS owner_name, s.city, s.start_date, s.end_date, s.reward,
       s.housing_types, s.text, s.status, CAST(UNIX_TIMESTAMP(s.created_at) * 1000 AS SIGNED) AS created_ms,
       p.id AS pet_id, p.name AS pet_name, p.species AS pet_species
FROM (
  SELECT * FROM sittings f
  WHERE f.status = 'open'
    AND (? IS NULL OR f.city = ?)
    AND (? IS NULL OR f.end_date >= ?)
    AND (? IS NULL OR f.start_date <= ?)
    AND (? IS NULL OR f.id < ?)
    AND (? IS NULL OR EXISTS (SELECT 1 FROM sitting_pets fp JOIN pets fpet ON fpet.id = fp.pet_id
                              WHERE fp.sitting_id = f.id AND fpet.species = ?))
  ORDER BY f.id DESC
  LIMIT ?
) s
JOIN users u ON u.id = s.owner_id
LEFT JOIN sitting_pets sp ON sp.sitting_id = s.id
LEFT JOIN pets p ON p.id = sp.pet_id
ORDER BY s.id DESC, p.id
