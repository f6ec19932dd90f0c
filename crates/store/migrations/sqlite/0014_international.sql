-- SkillBridge 0014: international exchange and cooperation (国际交流与合作, issue 15 §1): cooperation
-- projects with partners abroad, exchange programs and their participants, internships and jobs
-- abroad, foreign experts, international students, training delivered abroad (person-days), and
-- standards and courses adopted abroad. Partner institutions abroad are organisations of kind
-- foreign, overseas bases training bases of kind overseas: referred to, not copied. SQLite dialect;
-- the PostgreSQL file of the same number creates the same tables. Described in
-- crates/core/src/modules/international/records.rs.

CREATE TABLE intl_projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    -- digital_village / training / curriculum / research / other
    kind TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    country_code TEXT NOT NULL REFERENCES countries (alpha2),
    school_id INTEGER NOT NULL REFERENCES schools (id),
    start_date TEXT NOT NULL,
    end_date TEXT,
    remarks TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX intl_projects_school ON intl_projects (school_id);

CREATE TABLE exchange_programs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    -- inbound / outbound
    direction TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    country_code TEXT NOT NULL REFERENCES countries (alpha2),
    school_id INTEGER NOT NULL REFERENCES schools (id),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    remarks TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX exchange_programs_school ON exchange_programs (school_id);

CREATE TABLE exchange_participants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id INTEGER NOT NULL REFERENCES exchange_programs (id),
    -- student / staff / visitor
    kind TEXT NOT NULL,
    student_id INTEGER REFERENCES students (id),
    staff_id INTEGER REFERENCES staff (id),
    visitor_name TEXT,
    start_date TEXT,
    end_date TEXT,
    remarks TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX exchange_participants_program ON exchange_participants (program_id);
CREATE INDEX exchange_participants_student ON exchange_participants (student_id);
CREATE INDEX exchange_participants_staff ON exchange_participants (staff_id);

CREATE TABLE overseas_placements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    student_id INTEGER NOT NULL REFERENCES students (id),
    -- internship / employment
    kind TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    country_code TEXT NOT NULL REFERENCES countries (alpha2),
    post TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT,
    remarks TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (student_id, org_id, post)
);

CREATE TABLE foreign_experts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    country_code TEXT NOT NULL REFERENCES countries (alpha2),
    org_id INTEGER REFERENCES organisations (id),
    school_id INTEGER NOT NULL REFERENCES schools (id),
    expertise TEXT,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    -- personal: stored encrypted, with its blind index (see 0011)
    phone TEXT,
    phone_bidx TEXT,
    email TEXT,
    email_bidx TEXT,
    remarks TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (name, start_date)
);
CREATE INDEX foreign_experts_school ON foreign_experts (school_id);
CREATE INDEX foreign_experts_phone_bidx ON foreign_experts (phone_bidx);
CREATE INDEX foreign_experts_email_bidx ON foreign_experts (email_bidx);

CREATE TABLE international_students (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    country_code TEXT NOT NULL REFERENCES countries (alpha2),
    program_id INTEGER NOT NULL REFERENCES programs (id),
    -- full_time / short_term
    kind TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT,
    phone TEXT,
    phone_bidx TEXT,
    email TEXT,
    email_bidx TEXT,
    remarks TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (name, country_code, start_date)
);
CREATE INDEX international_students_program ON international_students (program_id);
CREATE INDEX international_students_phone_bidx ON international_students (phone_bidx);
CREATE INDEX international_students_email_bidx ON international_students (email_bidx);

CREATE TABLE training_abroad (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    base_id INTEGER REFERENCES training_bases (id),
    org_id INTEGER REFERENCES organisations (id),
    country_code TEXT NOT NULL REFERENCES countries (alpha2),
    school_id INTEGER NOT NULL REFERENCES schools (id),
    -- dealer_technicians / employees / teachers / students / other
    trainee_kind TEXT NOT NULL,
    trainees INTEGER NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    person_days INTEGER NOT NULL,
    remarks TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (title, start_date)
);
CREATE INDEX training_abroad_school ON training_abroad (school_id);

CREATE TABLE standards_abroad (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    -- professional_standard / curriculum_standard / course / teaching_resource
    kind TEXT NOT NULL,
    country_code TEXT NOT NULL REFERENCES countries (alpha2),
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    school_id INTEGER NOT NULL REFERENCES schools (id),
    year INTEGER NOT NULL,
    remarks TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (title, country_code)
);
CREATE INDEX standards_abroad_school ON standards_abroad (school_id);

-- The Belt and Road flag on countries (the column exists since 0001): set from the shipped list,
-- crates/core/data/belt_and_road.csv (its source in crates/core/data/PROVENANCE.md), replacing
-- the earlier unsourced defaults. A new database is seeded from that file after the migrations,
-- so this only corrects databases made before it. Administrators edit the flag afterwards
-- (PATCH /api/countries/{id}). A test in crates/store/src/modules/international/mod.rs checks
-- that this list equals the file.
UPDATE countries SET belt_and_road = CASE WHEN alpha2 IN (
    'AE', 'AF', 'AG', 'AL', 'AM', 'AO', 'AR', 'AT', 'AZ', 'BA', 'BB', 'BD', 'BF', 'BG', 'BH', 'BI',
    'BJ', 'BN', 'BO', 'BW', 'BY', 'CD', 'CF', 'CG', 'CI', 'CK', 'CL', 'CM', 'CR', 'CU', 'CV', 'CY',
    'CZ', 'DJ', 'DM', 'DO', 'DZ', 'EC', 'EE', 'EG', 'ER', 'ET', 'FJ', 'FM', 'GA', 'GD', 'GE', 'GH',
    'GM', 'GN', 'GQ', 'GR', 'GW', 'GY', 'HN', 'HR', 'HU', 'ID', 'IQ', 'IR', 'JM', 'KE', 'KG', 'KH',
    'KI', 'KM', 'KR', 'KW', 'KZ', 'LA', 'LB', 'LK', 'LR', 'LS', 'LT', 'LU', 'LV', 'LY', 'MA', 'MD',
    'ME', 'MG', 'MK', 'ML', 'MM', 'MN', 'MR', 'MT', 'MV', 'MW', 'MY', 'MZ', 'NA', 'NE', 'NG', 'NI',
    'NP', 'NU', 'NZ', 'OM', 'PA', 'PE', 'PG', 'PH', 'PK', 'PL', 'PT', 'QA', 'RO', 'RS', 'RU', 'RW',
    'SA', 'SB', 'SC', 'SD', 'SG', 'SI', 'SK', 'SL', 'SN', 'SO', 'SR', 'SS', 'ST', 'SV', 'SY', 'TD',
    'TG', 'TH', 'TJ', 'TL', 'TN', 'TO', 'TR', 'TT', 'TZ', 'UA', 'UG', 'UY', 'UZ', 'VE', 'VN', 'VU',
    'WS', 'YE', 'ZA', 'ZM', 'ZW'
) THEN 1 ELSE 0 END;
