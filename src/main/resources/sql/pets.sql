-- Pets.

-- name: insertPet
INSERT INTO pets (owner_id, name, species, breed, birth_year, gender, description, photo_url)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)

-- name: petById
SELECT id, owner_id, name, species, breed, birth_year, gender, description, photo_url FROM pets WHERE id = ?

-- name: petByIdForUpdate
SELECT id, owner_id, name, species, breed, birth_year, gender, description, photo_url FROM pets WHERE id = ? FOR UPDATE

-- name: petsOfOwner
SELECT id, owner_id, name, species, breed, birth_year, gender, description, photo_url FROM pets
WHERE owner_id = ? ORDER BY id

-- name: updatePet
UPDATE pets SET name = ?, species = ?, breed = ?, birth_year = ?, gender = ?, description = ?, photo_url = ?
WHERE id = ?

-- name: deletePet
DELETE FROM pets WHERE id = ?
