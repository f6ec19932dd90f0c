-- SkillBridge 0004: a training base's country_code refers to countries (alpha2), as its
-- description says (Kind::RefCode) and as organisations.country_code already does. 0002 left the
-- foreign key out; crates/store/tests/schema_matches_migrations.rs found it.
-- PostgreSQL dialect; the SQLite file of the same number has the same effect.

ALTER TABLE training_bases
    ADD CONSTRAINT training_bases_country_code_fkey
    FOREIGN KEY (country_code) REFERENCES countries (alpha2);
