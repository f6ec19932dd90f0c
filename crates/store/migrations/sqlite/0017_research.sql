-- SkillBridge 0017: joint R&D and technology transfer (issue 12 §3): projects (horizontal with
-- enterprises, vertical government-funded), their partner organisations, money received per year
-- (fen), participants and outcomes. SQLite dialect; the PostgreSQL file of the same number creates
-- the same tables. Described in crates/core/src/modules/research/records.rs.

CREATE TABLE research_projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_no TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    -- horizontal / vertical
    kind TEXT NOT NULL,
    school_id INTEGER NOT NULL REFERENCES schools (id),
    lead_id INTEGER NOT NULL REFERENCES staff (id),
    funder TEXT,
    start_date TEXT NOT NULL,
    end_date TEXT,
    contract_fen INTEGER NOT NULL,
    -- proposed / active / completed / terminated
    status TEXT NOT NULL,
    remarks TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX research_projects_school ON research_projects (school_id);
CREATE INDEX research_projects_lead ON research_projects (lead_id);

CREATE TABLE research_partners (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES research_projects (id),
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    -- client / co_developer / funder
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (project_id, org_id)
);
CREATE INDEX research_partners_org ON research_partners (org_id);

CREATE TABLE research_receipts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES research_projects (id),
    year INTEGER NOT NULL,
    amount_fen INTEGER NOT NULL,
    remarks TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (project_id, year)
);

CREATE TABLE research_participants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES research_projects (id),
    -- staff / student
    kind TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff (id),
    student_id INTEGER REFERENCES students (id),
    -- lead / core / member / assistant
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX research_participants_project ON research_participants (project_id);
CREATE INDEX research_participants_staff ON research_participants (staff_id);

CREATE TABLE research_outcomes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES research_projects (id),
    -- patent / software / standard / product / paper
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    number TEXT,
    -- invention / utility / design
    patent_type TEXT,
    -- filed / published / granted / lapsed
    patent_status TEXT,
    standard_level TEXT,
    venue TEXT,
    dated TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX research_outcomes_project ON research_outcomes (project_id);
