-- SkillBridge 0003: order classes (订单班), applications, allocation runs and offers.
-- SQLite dialect. The PostgreSQL file of the same number creates the same tables and columns.
-- Conventions as in 0001. The rules live in crates/core/src/order_class.rs; the allocation runs
-- and offers are written only by the allocation workflow (crates/store/src/allocation.rs).

-- An order class: a cohort trained to one enterprise's order, with seats and an application window.
CREATE TABLE order_classes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    org_id INTEGER NOT NULL REFERENCES organisations (id),
    seats INTEGER NOT NULL,
    -- the cohorts it is for: entry years separated by commas, e.g. '2024,2025'
    entry_years TEXT NOT NULL,
    requirements TEXT,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    -- 0..100; NULL: no minimum
    min_grade INTEGER,
    interview_required INTEGER NOT NULL DEFAULT 0,
    -- draft / open / closed / allocated / published
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX order_classes_org ON order_classes (org_id);

-- The programs an order class recruits from.
CREATE TABLE order_class_programs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_class_id INTEGER NOT NULL REFERENCES order_classes (id) ON DELETE CASCADE,
    program_id INTEGER NOT NULL REFERENCES programs (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (order_class_id, program_id)
);
CREATE INDEX order_class_programs_program ON order_class_programs (program_id);

-- A student's application to one order class, with their rank of it (1 = first choice).
CREATE TABLE order_applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    student_id INTEGER NOT NULL REFERENCES students (id),
    order_class_id INTEGER NOT NULL REFERENCES order_classes (id),
    student_rank INTEGER NOT NULL,
    grade_average INTEGER,
    interview_score INTEGER,
    enterprise_rank INTEGER,
    -- submitted / withdrawn
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (student_id, order_class_id)
);
CREATE INDEX order_applications_class ON order_applications (order_class_id);

-- One run of the mechanism: who ran it, the seed of the tie-break, and the instance and result
-- as JSON snapshots, so that anyone permitted can rerun the stability check on exactly what ran.
CREATE TABLE allocation_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_by TEXT NOT NULL,
    -- decimal text of a 64-bit unsigned seed
    seed TEXT NOT NULL,
    order_class_ids TEXT NOT NULL,
    instance_json TEXT NOT NULL,
    result_json TEXT NOT NULL,
    -- draft / published
    status TEXT NOT NULL,
    refill_round INTEGER NOT NULL DEFAULT 0,
    refills_id INTEGER REFERENCES allocation_runs (id),
    published_at TEXT,
    respond_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- An offer of a seat from a published run; superseded when a refill moves the student.
CREATE TABLE order_offers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    allocation_run_id INTEGER NOT NULL REFERENCES allocation_runs (id),
    student_id INTEGER NOT NULL REFERENCES students (id),
    order_class_id INTEGER NOT NULL REFERENCES order_classes (id),
    choice INTEGER,
    -- offered / accepted / declined / superseded
    status TEXT NOT NULL,
    decided_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX order_offers_student ON order_offers (student_id);
CREATE INDEX order_offers_class ON order_offers (order_class_id);
CREATE INDEX order_offers_run ON order_offers (allocation_run_id);
