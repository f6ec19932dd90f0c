-- SkillBridge 0012: retention (issue 11, item 3). SQLite dialect; the PostgreSQL file of the
-- same number does the same. The job is crates/store/src/retention.rs.
--
-- audit_archives: one row per archive file the retention job wrote, with the range and the hash
-- of its last entry, so that the chain left in the database continues from it
-- (`audit-verify`). Append-only, like the trail.
CREATE TABLE audit_archives (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    entries INTEGER NOT NULL,
    first_id INTEGER NOT NULL,
    last_id INTEGER NOT NULL,
    first_prev_hash TEXT NOT NULL,
    last_hash TEXT NOT NULL,
    archived_at TEXT NOT NULL
);
CREATE TRIGGER audit_archives_no_update BEFORE UPDATE ON audit_archives
BEGIN
    SELECT RAISE(ABORT, 'audit_archives is append-only');
END;
CREATE TRIGGER audit_archives_no_delete BEFORE DELETE ON audit_archives
BEGIN
    SELECT RAISE(ABORT, 'audit_archives is append-only');
END;

-- The grant that lets the retention job, and nothing else, remove audit entries: the job inserts
-- a row here in the transaction that records the archive and deletes the archived entries, and
-- removes it before committing, so it is never seen outside that transaction. A DELETE on the
-- trail passes only for entries up to the grant's sequence that a recorded archive covers.
CREATE TABLE audit_purge_grant (
    up_to INTEGER NOT NULL
);
DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_purge_grant g WHERE OLD.id <= g.up_to)
  OR NOT EXISTS (SELECT 1 FROM audit_archives a WHERE OLD.id <= a.last_id)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: only the retention job removes entries, after archiving them');
END;

-- Records whose personal fields the retention job anonymised (graduates), and when.
CREATE TABLE anonymised_records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resource TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    anonymised_at TEXT NOT NULL
);
CREATE INDEX anonymised_records_record ON anonymised_records (resource, record_id);
