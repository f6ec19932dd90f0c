-- SkillBridge 0011: personal fields encrypted at rest (issue 11, item 1; crates/store/src/crypt.rs).
-- Each personal column gets a blind index column beside it, `<column>_bidx`: with a key file, the
-- HMAC-SHA256 of the value under a key derived from it; without one, the value itself (so this
-- migration copies the values, which are in clear until `skillbridge rotate-pii-key` encrypts
-- them). Uniqueness moves from the value (a ciphertext, different every time) to its blind index.
-- students.home_region loses its foreign key to regions: an encrypted code matches no region; the
-- store still checks the code against regions before every write (`check_against_db`).

ALTER TABLE students DROP CONSTRAINT students_id_number_key;
ALTER TABLE students DROP CONSTRAINT students_home_region_fkey;
ALTER TABLE students
    ADD COLUMN id_number_bidx TEXT,
    ADD COLUMN phone_bidx TEXT,
    ADD COLUMN home_region_bidx TEXT,
    ADD COLUMN address_bidx TEXT;
UPDATE students SET id_number_bidx = id_number, phone_bidx = phone,
    home_region_bidx = home_region, address_bidx = address;
ALTER TABLE students ALTER COLUMN id_number_bidx SET NOT NULL;
ALTER TABLE students ADD CONSTRAINT students_id_number_bidx_key UNIQUE (id_number_bidx);
CREATE INDEX students_phone_bidx ON students (phone_bidx);

ALTER TABLE staff ADD COLUMN phone_bidx TEXT, ADD COLUMN email_bidx TEXT;
UPDATE staff SET phone_bidx = phone, email_bidx = email;

ALTER TABLE contacts ADD COLUMN phone_bidx TEXT, ADD COLUMN email_bidx TEXT;
UPDATE contacts SET phone_bidx = phone, email_bidx = email;
