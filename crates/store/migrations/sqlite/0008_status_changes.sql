-- SkillBridge 0008: student status changes (学籍异动, issue 10 §8): each request with its type,
-- reason, effective date, target program or class, its decision and its effect. Written only
-- by the procedure (crates/store/src/modules/status_changes/). SQLite dialect; the PostgreSQL
-- file of the same number creates the same table. Described in
-- crates/core/src/modules/status_changes/records.rs.

CREATE TABLE status_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    student_id INTEGER NOT NULL REFERENCES students (id),
    change_type TEXT NOT NULL,
    reason TEXT NOT NULL,
    effective_date TEXT NOT NULL,
    target_program_id INTEGER REFERENCES programs (id),
    target_class_id INTEGER REFERENCES classes (id),
    -- pending / approved / applied / rejected / void
    state TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    filed_by TEXT,
    filed_at TEXT,
    decided_by TEXT,
    decided_at TEXT,
    decision_note TEXT,
    applied_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX status_changes_student ON status_changes (student_id);
CREATE INDEX status_changes_due ON status_changes (state, effective_date);
