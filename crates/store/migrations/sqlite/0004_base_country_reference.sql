-- SkillBridge 0004: a training base's country_code refers to countries (alpha2), as its
-- description says (Kind::RefCode) and as organisations.country_code already does. 0002 left the
-- foreign key out; crates/store/tests/schema_matches_migrations.rs found it.
-- SQLite dialect. SQLite cannot add a constraint to a column, and rebuilding training_bases would
-- mean dropping a table that base_programs, equipment and bookings refer to; so the column is
-- replaced: renamed, added again with the reference (allowed because its default is NULL), copied
-- (which checks every stored code against countries), and the old one dropped. The column moves
-- to the end of the table, which no query depends on (every query names its columns).

ALTER TABLE training_bases RENAME COLUMN country_code TO country_code_0002;
ALTER TABLE training_bases ADD COLUMN country_code TEXT REFERENCES countries (alpha2);
UPDATE training_bases SET country_code = country_code_0002;
ALTER TABLE training_bases DROP COLUMN country_code_0002;
