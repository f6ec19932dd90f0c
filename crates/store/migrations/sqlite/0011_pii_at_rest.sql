-- SkillBridge 0011: personal fields encrypted at rest (issue 11, item 1; crates/store/src/crypt.rs).
-- Each personal column gets a blind index column beside it, `<column>_bidx`: with a key file, the
-- HMAC-SHA256 of the value under a key derived from it; without one, the value itself (so this
-- migration copies the values, which are in clear until `skillbridge rotate-pii-key` encrypts
-- them). Uniqueness moves from the value (a ciphertext, different every time) to its blind index.
-- students.home_region loses its foreign key to regions: an encrypted code matches no region; the
-- store still checks the code against regions before every write (`check_against_db`).
-- SQLite cannot drop a column constraint, so students is rebuilt; the migration runs with foreign
-- keys off and checks them (PRAGMA foreign_key_check) before it commits (backend.rs, `migrate`).

CREATE TABLE students_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    student_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    id_number TEXT NOT NULL,
    phone TEXT,
    home_region TEXT,
    address TEXT,
    program_id INTEGER NOT NULL REFERENCES programs (id),
    class_id INTEGER REFERENCES classes (id),
    entry_year INTEGER NOT NULL,
    -- enrolled / suspended / withdrawn / graduated; transitions checked in the domain
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    id_number_bidx TEXT NOT NULL UNIQUE,
    phone_bidx TEXT,
    home_region_bidx TEXT,
    address_bidx TEXT
);
INSERT INTO students_new (id, student_no, name, gender, id_number, phone, home_region, address,
    program_id, class_id, entry_year, status, created_at, updated_at,
    id_number_bidx, phone_bidx, home_region_bidx, address_bidx)
SELECT id, student_no, name, gender, id_number, phone, home_region, address,
    program_id, class_id, entry_year, status, created_at, updated_at,
    id_number, phone, home_region, address
FROM students;
DROP TABLE students;
ALTER TABLE students_new RENAME TO students;
CREATE INDEX students_program ON students (program_id);
CREATE INDEX students_class ON students (class_id);
CREATE INDEX students_phone_bidx ON students (phone_bidx);

ALTER TABLE staff ADD COLUMN phone_bidx TEXT;
ALTER TABLE staff ADD COLUMN email_bidx TEXT;
UPDATE staff SET phone_bidx = phone, email_bidx = email;

ALTER TABLE contacts ADD COLUMN phone_bidx TEXT;
ALTER TABLE contacts ADD COLUMN email_bidx TEXT;
UPDATE contacts SET phone_bidx = phone, email_bidx = email;
