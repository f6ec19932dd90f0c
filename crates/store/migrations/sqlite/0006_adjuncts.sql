-- SkillBridge 0006: enterprise adjunct teachers (兼职教师): the courses a partner's contact person
-- teaches at the college, per term, with the hours. SQLite dialect; the PostgreSQL file of the
-- same number creates the same table. Described in crates/core/src/modules/adjuncts/records.rs.

CREATE TABLE adjunct_teaching (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    term_id INTEGER NOT NULL REFERENCES terms (id),
    school_id INTEGER NOT NULL REFERENCES schools (id),
    course_name TEXT NOT NULL,
    -- lecture / practical / integrated
    mode TEXT NOT NULL,
    hours INTEGER NOT NULL,
    remarks TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (contact_id, term_id, course_name)
);
CREATE INDEX adjunct_teaching_school ON adjunct_teaching (school_id);
CREATE INDEX adjunct_teaching_term ON adjunct_teaching (term_id);
