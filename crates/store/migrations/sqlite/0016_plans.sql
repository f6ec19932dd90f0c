-- SkillBridge 0016: joint talent-cultivation plans (人才培养方案, issue 12 §2): plan versions per
-- program and entry cohort, their courses by semester, and the enterprise contacts who co-sign
-- them. SQLite dialect; the PostgreSQL file of the same number creates the same tables.
-- Described in crates/core/src/modules/plans/records.rs.

CREATE TABLE plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id INTEGER NOT NULL REFERENCES programs (id),
    cohort_year INTEGER NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    lead_staff_id INTEGER NOT NULL REFERENCES staff (id),
    -- draft / in_review / co_signed / approved (written by the approval procedure)
    status TEXT NOT NULL,
    parent_id INTEGER REFERENCES plans (id),
    exception_reason TEXT,
    approved_by TEXT,
    approved_at TEXT,
    remarks TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (program_id, cohort_year, version)
);
CREATE INDEX plans_lead ON plans (lead_staff_id);

CREATE TABLE plan_courses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    semester INTEGER NOT NULL,
    course_code TEXT NOT NULL,
    course_name TEXT NOT NULL,
    theory_hours INTEGER NOT NULL,
    practice_hours INTEGER NOT NULL,
    -- tenths of a credit (2.5 credits is 25)
    credits INTEGER NOT NULL,
    -- public / foundation / core / extension / practice
    course_type TEXT NOT NULL,
    -- compulsory / elective
    nature TEXT NOT NULL,
    org_id INTEGER REFERENCES organisations (id),
    frontier_tags TEXT,
    skill_tags TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (plan_id, course_code)
);
CREATE INDEX plan_courses_org ON plan_courses (org_id);

CREATE TABLE plan_signatories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    contact_id INTEGER NOT NULL REFERENCES contacts (id),
    signed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (plan_id, contact_id)
);
CREATE INDEX plan_signatories_contact ON plan_signatories (contact_id);
