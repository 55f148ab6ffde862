-- Initial schema. Messages are keyed by (room_id, seq): seq is the room's gap-free sequence, so
-- the persistence worker's INSERT IGNORE makes replays of the persist stream harmless.

CREATE TABLE users (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username      VARCHAR(32)  NOT NULL,
  password_hash VARCHAR(100) NOT NULL,
  display_name  VARCHAR(64)  NOT NULL,
  city          VARCHAR(64)  NULL,
  bio           VARCHAR(1000) NULL,
  avatar_url    VARCHAR(500) NULL,
  created_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at    TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_users_username (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE pets (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  owner_id    BIGINT UNSIGNED NOT NULL,
  name        VARCHAR(64)  NOT NULL,
  species     VARCHAR(16)  NOT NULL,
  breed       VARCHAR(64)  NULL,
  birth_year  SMALLINT     NULL,
  gender      VARCHAR(8)   NULL,
  description VARCHAR(2000) NULL,
  photo_url   VARCHAR(500) NULL,
  created_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at  TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY ix_pets_owner (owner_id),
  CONSTRAINT fk_pets_owner FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE sittings (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  owner_id       BIGINT UNSIGNED NOT NULL,
  city           VARCHAR(64)  NOT NULL,
  start_date     DATE         NOT NULL,
  end_date       DATE         NOT NULL,
  reward         VARCHAR(200) NULL,
  housing_types  VARCHAR(100) NOT NULL,   -- comma-separated enum values (owner_home, sitter_home, ...)
  text           VARCHAR(4000) NULL,
  status         VARCHAR(16)  NOT NULL DEFAULT 'open',
  created_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at     TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  KEY ix_sittings_city_start (city, start_date, id),
  KEY ix_sittings_owner (owner_id),
  CONSTRAINT fk_sittings_owner FOREIGN KEY (owner_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE sitting_pets (
  sitting_id BIGINT UNSIGNED NOT NULL,
  pet_id     BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (sitting_id, pet_id),
  KEY ix_sitting_pets_pet (pet_id),
  CONSTRAINT fk_sitting_pets_sitting FOREIGN KEY (sitting_id) REFERENCES sittings (id) ON DELETE CASCADE,
  CONSTRAINT fk_sitting_pets_pet FOREIGN KEY (pet_id) REFERENCES pets (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE rooms (
  id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind       VARCHAR(8)   NOT NULL,          -- direct | group
  name       VARCHAR(100) NULL,
  -- For direct rooms: "smallerId:largerId", unique, so creating one is idempotent.
  direct_key VARCHAR(50)  NULL,
  created_by BIGINT UNSIGNED NULL,
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_rooms_direct (direct_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE room_members (
  room_id   BIGINT UNSIGNED NOT NULL,
  user_id   BIGINT UNSIGNED NOT NULL,
  read_seq  BIGINT UNSIGNED NOT NULL DEFAULT 0,   -- the member's read mark (written behind)
  joined_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (room_id, user_id),
  KEY ix_room_members_user (user_id, room_id),
  CONSTRAINT fk_room_members_room FOREIGN KEY (room_id) REFERENCES rooms (id) ON DELETE CASCADE,
  CONSTRAINT fk_room_members_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE messages (
  room_id    BIGINT UNSIGNED NOT NULL,
  seq        BIGINT UNSIGNED NOT NULL,
  epoch      VARCHAR(32)  NOT NULL,
  sender_id  BIGINT UNSIGNED NOT NULL,   -- 0 for system messages
  cid        VARCHAR(64)  NOT NULL,
  kind       VARCHAR(8)   NOT NULL,
  text       TEXT         NOT NULL,
  meta       TEXT         NULL,
  created_at TIMESTAMP(3) NOT NULL,
  PRIMARY KEY (room_id, seq),
  CONSTRAINT fk_messages_room FOREIGN KEY (room_id) REFERENCES rooms (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE applications (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sitting_id       BIGINT UNSIGNED NOT NULL,
  applicant_id     BIGINT UNSIGNED NOT NULL,
  motivation       VARCHAR(2000) NOT NULL,
  experience_count INT          NOT NULL,
  housing_type     VARCHAR(16)  NOT NULL,
  room_id          BIGINT UNSIGNED NOT NULL,
  created_at       TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_applications_once (sitting_id, applicant_id),
  CONSTRAINT fk_applications_sitting FOREIGN KEY (sitting_id) REFERENCES sittings (id) ON DELETE CASCADE,
  CONSTRAINT fk_applications_applicant FOREIGN KEY (applicant_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Written by the primary, read through the replica: tells how far behind the replica is and
-- proves it replicates (see ReplicaAwareReads).
CREATE TABLE heartbeat (
  id INT NOT NULL PRIMARY KEY,
  ts TIMESTAMP(3) NOT NULL
) ENGINE=InnoDB;
