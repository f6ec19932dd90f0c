-- SkillBridge 0018: digital teaching resources (issue 12 §4): courseware, online courses, virtual
-- simulation resources and new-form textbooks, their authors (staff and enterprise co-authors),
-- the courses that use them (program + course code, as the plans name a course), and the usage
-- the server counts (views, downloads). SQLite dialect; the PostgreSQL file of the same number
-- creates the same tables. Described in crates/core/src/modules/resources/records.rs.

CREATE TABLE teaching_resources (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resource_no TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    -- courseware / online_course / simulation / loose_leaf / workbook
    kind TEXT NOT NULL,
    school_id INTEGER NOT NULL REFERENCES schools (id),
    lead_id INTEGER NOT NULL REFERENCES staff (id),
    partner_org_id INTEGER REFERENCES organisations (id),
    licence TEXT NOT NULL,
    link TEXT,
    published_on TEXT,
    learners INTEGER,
    remarks TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX teaching_resources_school ON teaching_resources (school_id);
CREATE INDEX teaching_resources_partner ON teaching_resources (partner_org_id);

CREATE TABLE resource_authors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resource_id INTEGER NOT NULL REFERENCES teaching_resources (id),
    -- staff / enterprise
    kind TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff (id),
    contact_id INTEGER REFERENCES contacts (id),
    -- chief / author / reviewer
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX resource_authors_resource ON resource_authors (resource_id);
CREATE INDEX resource_authors_contact ON resource_authors (contact_id);

CREATE TABLE resource_courses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resource_id INTEGER NOT NULL REFERENCES teaching_resources (id),
    program_id INTEGER NOT NULL REFERENCES programs (id),
    course_code TEXT NOT NULL,
    course_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (resource_id, program_id, course_code)
);
CREATE INDEX resource_courses_course ON resource_courses (program_id, course_code);

-- Counted by the server as it serves a resource's link (a view) or one of its files (a
-- download); not a record type: nobody writes it through the record API. Deleted with its
-- resource.
CREATE TABLE resource_usage (
    resource_id INTEGER PRIMARY KEY REFERENCES teaching_resources (id) ON DELETE CASCADE,
    views INTEGER NOT NULL DEFAULT 0,
    downloads INTEGER NOT NULL DEFAULT 0
);
