-- SkillBridge 0002: training bases, the programs they serve, the equipment register, bookings.
-- SQLite dialect; the PostgreSQL file of the same number creates the same tables and columns.
-- Bookings' start_at/end_at are instants as TEXT UTC 'YYYY-MM-DDTHH:MM:SS.mmmZ' (fixed width, so
-- text order is time order). Conflicts between bookings are checked by the store inside the
-- write transaction (see crates/store/src/bookings.rs), not by a constraint.

CREATE TABLE training_bases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    school_id INTEGER NOT NULL REFERENCES schools (id),
    partner_org_id INTEGER REFERENCES organisations (id),
    country_code TEXT,
    address TEXT,
    investment_fen INTEGER,
    area_m2 INTEGER,
    workstations INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX training_bases_school ON training_bases (school_id);
CREATE INDEX training_bases_partner ON training_bases (partner_org_id);

CREATE TABLE base_programs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    base_id INTEGER NOT NULL REFERENCES training_bases (id),
    program_id INTEGER NOT NULL REFERENCES programs (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (base_id, program_id)
);
CREATE INDEX base_programs_program ON base_programs (program_id);

CREATE TABLE equipment (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    asset_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    model TEXT,
    value_fen INTEGER,
    purchase_date TEXT,
    status TEXT NOT NULL,
    location TEXT,
    base_id INTEGER NOT NULL REFERENCES training_bases (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX equipment_base ON equipment (base_id);

CREATE TABLE bookings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    base_id INTEGER NOT NULL REFERENCES training_bases (id),
    kind TEXT NOT NULL,
    workstations INTEGER,
    equipment_id INTEGER REFERENCES equipment (id),
    course_name TEXT,
    class_id INTEGER REFERENCES classes (id),
    staff_id INTEGER REFERENCES staff (id),
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    purpose TEXT,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (end_at > start_at)
);
CREATE INDEX bookings_base_time ON bookings (base_id, start_at);
CREATE INDEX bookings_class ON bookings (class_id);
CREATE INDEX bookings_staff ON bookings (staff_id);
CREATE INDEX bookings_equipment ON bookings (equipment_id);
