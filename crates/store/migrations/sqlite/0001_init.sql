-- SkillBridge 0001: the core records of a college, accounts, sessions and the audit trail.
-- SQLite dialect. The PostgreSQL file of the same number creates the same tables and columns.
-- Conventions (both databases):
--   ids are 64-bit integers; money is integer fen; flags are integers 0/1;
--   dates are TEXT 'YYYY-MM-DD'; instants are TEXT UTC 'YYYY-MM-DDTHH:MM:SS.mmmZ'.

-- Reference data: GB/T 2260 divisions, ISO 3166 countries, GB/T 4754 industries.
CREATE TABLE regions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_code TEXT,
    -- membership of the Chengdu–Chongqing Economic Circle: in / out / partial; editable
    in_circle TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE countries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    alpha2 TEXT NOT NULL UNIQUE,
    alpha3 TEXT NOT NULL,
    numeric TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    belt_and_road INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE industries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    level TEXT NOT NULL,
    section TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- The college's key industries: a configurable list of GB/T 4754 codes.
CREATE TABLE key_industries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    industry_code TEXT NOT NULL UNIQUE REFERENCES industries (code),
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The institution.
CREATE TABLE schools (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_en TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE programs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    -- six-digit code of the national vocational major catalogue
    major_code TEXT NOT NULL,
    name TEXT NOT NULL,
    school_id INTEGER NOT NULL REFERENCES schools (id),
    duration_years INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX programs_school ON programs (school_id);
CREATE TABLE academic_years (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE terms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    academic_year_id INTEGER NOT NULL REFERENCES academic_years (id),
    name TEXT NOT NULL UNIQUE,
    seq INTEGER NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- People.
CREATE TABLE staff (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    title TEXT,
    dual_qualified INTEGER NOT NULL DEFAULT 0,
    school_id INTEGER REFERENCES schools (id),
    office TEXT,
    phone TEXT,
    email TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX staff_school ON staff (school_id);
CREATE TABLE classes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    program_id INTEGER NOT NULL REFERENCES programs (id),
    entry_year INTEGER NOT NULL,
    adviser_id INTEGER REFERENCES staff (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX classes_program ON classes (program_id);
CREATE INDEX classes_adviser ON classes (adviser_id);
CREATE TABLE students (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    student_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    id_number TEXT NOT NULL UNIQUE,
    phone TEXT,
    home_region TEXT REFERENCES regions (code),
    address TEXT,
    program_id INTEGER NOT NULL REFERENCES programs (id),
    class_id INTEGER REFERENCES classes (id),
    entry_year INTEGER NOT NULL,
    -- enrolled / suspended / withdrawn / graduated; transitions checked in the domain
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX students_program ON students (program_id);
CREATE INDEX students_class ON students (class_id);

-- Partner organisations and agreements.
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- enterprise / government / school / foreign
    kind TEXT NOT NULL,
    name TEXT NOT NULL UNIQUE,
    name_en TEXT,
    -- GB 32100 code; none for foreign institutions
    credit_code TEXT UNIQUE,
    industry_code TEXT REFERENCES industries (code),
    region_code TEXT REFERENCES regions (code),
    country_code TEXT REFERENCES countries (alpha2),
    size TEXT,
    ownership TEXT,
    headcount INTEGER,
    address TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE agreements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agreement_no TEXT NOT NULL UNIQUE,
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT,
    status TEXT NOT NULL,
    amount_fen INTEGER,
    documents TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX agreements_org ON agreements (org_id);
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    position TEXT,
    phone TEXT,
    email TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX contacts_org ON contacts (org_id);
-- Dual mentors: a teacher (staff) or an enterprise engineer (contact) per student.
CREATE TABLE mentors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    student_id INTEGER NOT NULL REFERENCES students (id),
    kind TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff (id),
    contact_id INTEGER REFERENCES contacts (id),
    start_date TEXT NOT NULL,
    end_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX mentors_student ON mentors (student_id);
CREATE INDEX mentors_staff ON mentors (staff_id);
CREATE INDEX mentors_contact ON mentors (contact_id);

-- Accounts. Roles are JSON text of skillbridge_core::access::Role.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    -- argon2id PHC string
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE user_roles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX user_roles_user ON user_roles (user_id);
-- Server-side sessions; the cookie holds a random token, the table only its SHA-256.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    -- absolute end of the session, whatever the activity
    expires_at TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- The audit trail: append-only, hash-chained (see skillbridge_core::audit).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    outcome TEXT NOT NULL,
    source TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_at ON audit_log (at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
