-- SkillBridge 0007: the one attachment store (issue 10 §11). Each row is one file attached to
-- one owning record (owner = the record type's name, owner_id its id); the bytes live in the
-- store's folder under their SHA-256 (ab/cd/<hash>), so the same bytes attached twice are kept
-- once. SQLite dialect; the PostgreSQL file of the same number creates the same table.
-- Rules: crates/core/src/modules/attachments/; queries: crates/store/src/modules/attachments/.

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner TEXT NOT NULL,
    owner_id INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    file_name TEXT NOT NULL,
    uploaded_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX attachments_owner ON attachments (owner, owner_id);
CREATE INDEX attachments_sha256 ON attachments (sha256);
