-- SkillBridge 0015: skills competitions and start-ups (技能竞赛与创新创业, issue 15 §2):
-- competitions, the college's teams with their students and advisors, awards; the incubator's
-- start-ups with their funding (fen), founders and mentors. SQLite dialect; the PostgreSQL file
-- of the same number creates the same tables. Described in
-- crates/core/src/modules/competitions/records.rs.

CREATE TABLE competitions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    track TEXT NOT NULL,
    -- national / provincial / city / college
    level TEXT NOT NULL,
    year INTEGER NOT NULL,
    organiser TEXT NOT NULL,
    remarks TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX competitions_year ON competitions (year);

CREATE TABLE competition_teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_no TEXT NOT NULL UNIQUE,
    competition_id INTEGER NOT NULL REFERENCES competitions (id),
    name TEXT NOT NULL,
    school_id INTEGER NOT NULL REFERENCES schools (id),
    remarks TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX competition_teams_competition ON competition_teams (competition_id);
CREATE INDEX competition_teams_school ON competition_teams (school_id);

CREATE TABLE competition_members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id INTEGER NOT NULL REFERENCES competition_teams (id),
    student_id INTEGER NOT NULL REFERENCES students (id),
    duty TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (team_id, student_id)
);
CREATE INDEX competition_members_student ON competition_members (student_id);

-- Exactly one of staff_id and contact_id (checked by the record's rule).
CREATE TABLE competition_advisors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id INTEGER NOT NULL REFERENCES competition_teams (id),
    staff_id INTEGER REFERENCES staff (id),
    contact_id INTEGER REFERENCES contacts (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX competition_advisors_team ON competition_advisors (team_id);
CREATE INDEX competition_advisors_staff ON competition_advisors (staff_id);
CREATE INDEX competition_advisors_contact ON competition_advisors (contact_id);

CREATE TABLE competition_awards (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id INTEGER NOT NULL UNIQUE REFERENCES competition_teams (id),
    -- first / second / third / gold / silver / bronze / merit
    grade TEXT NOT NULL,
    awarded_on TEXT NOT NULL,
    certificate_no TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE startups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    school_id INTEGER NOT NULL REFERENCES schools (id),
    -- idea / incubating / registered / graduated / closed
    stage TEXT NOT NULL,
    entered_on TEXT,
    summary TEXT,
    company_name TEXT,
    credit_code TEXT,
    jobs_created INTEGER,
    revenue_fen INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX startups_school ON startups (school_id);

CREATE TABLE startup_funding (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    startup_id INTEGER NOT NULL REFERENCES startups (id),
    -- grant / college / investment / prize / loan
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    received_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX startup_funding_startup ON startup_funding (startup_id);

CREATE TABLE startup_founders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    startup_id INTEGER NOT NULL REFERENCES startups (id),
    student_id INTEGER NOT NULL REFERENCES students (id),
    -- lead / cofounder / member
    role TEXT NOT NULL,
    duty TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (startup_id, student_id)
);
CREATE INDEX startup_founders_student ON startup_founders (student_id);

-- Exactly one of staff_id and contact_id (checked by the record's rule).
CREATE TABLE startup_mentors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    startup_id INTEGER NOT NULL REFERENCES startups (id),
    staff_id INTEGER REFERENCES staff (id),
    contact_id INTEGER REFERENCES contacts (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX startup_mentors_startup ON startup_mentors (startup_id);
CREATE INDEX startup_mentors_staff ON startup_mentors (staff_id);
CREATE INDEX startup_mentors_contact ON startup_mentors (contact_id);
