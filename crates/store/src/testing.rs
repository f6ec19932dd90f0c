//! Fresh databases for tests, on the backend that the environment names.
//!
//! `SKILLBRIDGE_TEST_DATABASE_URL` unset: a new SQLite file in the temp folder per test.
//! Set to `postgres://USER@HOST/DB`: a new database per test, created through that server and
//! dropped when the guard drops. The same tests so run on both databases.

use crate::{Result, Store};
use serde_json::{json, Value};
use skillbridge_core::access::Actor;
use skillbridge_core::ids::{make_credit_code, make_id_number};
use skillbridge_core::modules::bases::{BOOKINGS, EQUIPMENT, TRAINING_BASES};
use skillbridge_core::modules::college::{
    ACADEMIC_YEARS, CLASSES, PROGRAMS, SCHOOLS, STAFF, STUDENTS, TERMS,
};
use skillbridge_core::modules::partners::{AGREEMENTS, CONTACTS, MENTORS, ORGANISATIONS};
use skillbridge_core::schema::ResourceDef;
use sqlx::any::AnyPoolOptions;

/// Removes the test database when dropped.
pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

fn unique_name() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "sbtest_{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// The audit key of test stores: random, one per test process, so that two stores opened on one
/// test database share it and no key file is left behind.
pub fn test_audit_key() -> skillbridge_core::audit::AuditKey {
    static KEY: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    skillbridge_core::audit::AuditKey::from_bytes(*KEY.get_or_init(|| {
        let mut b = [0u8; 32];
        getrandom::getrandom(&mut b).expect("system randomness");
        b
    }))
}

/// Which backend the tests run on, for their output.
pub fn backend_name() -> &'static str {
    match std::env::var("SKILLBRIDGE_TEST_DATABASE_URL") {
        Ok(u) if u.starts_with("postgres") => "postgres",
        _ => "sqlite",
    }
}

impl TestDb {
    /// Creates an empty database and returns its URL in the guard.
    pub async fn new() -> Result<TestDb> {
        // `SKILLBRIDGE_TEST_PII_KEY_FILE`: the suites run with personal fields encrypted
        // (`.ci/run` runs the conformance suite so); the key ring is one per process.
        if let Ok(path) = std::env::var("SKILLBRIDGE_TEST_PII_KEY_FILE") {
            if !crate::crypt::keyed() {
                crate::crypt::install(Some(std::path::Path::new(&path)))
                    .map_err(|e| crate::StoreError::Config(e.to_string()))?;
            }
        }
        let name = unique_name();
        match std::env::var("SKILLBRIDGE_TEST_DATABASE_URL") {
            Ok(admin_url) if admin_url.starts_with("postgres") => {
                sqlx::any::install_default_drivers();
                let pool = AnyPoolOptions::new()
                    .max_connections(1)
                    .connect(&admin_url)
                    .await?;
                sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
                    .execute(&pool)
                    .await?;
                pool.close().await;
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(b, _)| b)
                    .unwrap_or(&admin_url);
                Ok(TestDb {
                    url: format!("{base}/{name}"),
                    cleanup: Cleanup::Postgres { admin_url, name },
                })
            }
            _ => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                Ok(TestDb {
                    url: format!("sqlite:{}", path.display()),
                    cleanup: Cleanup::File(path),
                })
            }
        }
    }

    /// Opens the store on it (migrations and reference data applied), with [`test_audit_key`].
    /// The store's attachments go to a folder of its own in the temporary directory, removed
    /// with the database.
    pub async fn open(&self) -> Result<Store> {
        Ok(Store::open_with_key(&self.url, test_audit_key())
            .await?
            .with_files_dir(self.files_dir()))
    }

    /// The attachment folder of this test database.
    pub fn files_dir(&self) -> std::path::PathBuf {
        let name = self.url.rsplit(['/', ':']).next().unwrap_or("db");
        std::env::temp_dir().join(format!("{name}.files"))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(self.files_dir());
        match &self.cleanup {
            Cleanup::File(p) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Dropped from async tests: run on a thread of its own with its own runtime.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .ok()?;
                    rt.block_on(async {
                        let pool = AnyPoolOptions::new()
                            .max_connections(1)
                            .connect(&admin_url)
                            .await
                            .ok()?;
                        sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&pool)
                            .await
                            .ok()?;
                        pool.close().await;
                        Some(())
                    })
                })
                .join();
            }
        }
    }
}

/// The fixture's ids.
#[derive(Debug, Clone, Default)]
pub struct Fx {
    pub school: [i64; 2],
    pub program: [i64; 2],
    pub class: [i64; 2],
    pub student: [i64; 2],
    pub teacher: i64,
    pub org: [i64; 2],
    pub mentor_contact: i64,
    pub hr_contact: i64,
    pub mentor_row: i64,
    pub agreement: i64,
    pub spare_user: i64,
    pub year: i64,
    pub term: i64,
    /// Training bases: b1 of school 1 co-built with o1, b2 of school 2 co-built with o2.
    pub base: [i64; 2],
    /// A piece of equipment at b1.
    pub equipment: i64,
    /// A booking at b1 by the teacher for class 1 (2025-09-01 08:00–10:00 China time).
    pub booking: i64,
    /// Rows of record types the fixture does not make, added by a test that made them (a
    /// module's parent records, for the samples of its child records): `(record type, id)`.
    pub extra: Vec<(&'static str, i64)>,
}

impl Fx {
    /// The fixture row of a record type that other records refer to, if the fixture has one.
    pub fn row_of(&self, resource: &str) -> Option<i64> {
        let pairs: [(&ResourceDef, i64); 13] = [
            (&SCHOOLS, self.school[0]),
            (&PROGRAMS, self.program[0]),
            (&CLASSES, self.class[0]),
            (&STUDENTS, self.student[0]),
            (&STAFF, self.teacher),
            (&ORGANISATIONS, self.org[0]),
            (&CONTACTS, self.mentor_contact),
            (&AGREEMENTS, self.agreement),
            (&MENTORS, self.mentor_row),
            (&ACADEMIC_YEARS, self.year),
            (&TERMS, self.term),
            (&TRAINING_BASES, self.base[0]),
            (&EQUIPMENT, self.equipment),
        ];
        pairs
            .iter()
            .find(|(d, _)| d.name == resource)
            .map(|(_, id)| *id)
            .or_else(|| {
                self.extra
                    .iter()
                    .find(|(name, _)| *name == resource)
                    .map(|(_, id)| *id)
            })
    }

    /// A valid new record of a record type (one added by a later module needs no hand-written
    /// sample), built from its description: every required field gets a value of its kind,
    /// references point at the fixture rows (so the record is related like student 1: school 1,
    /// organisation 1), and text is numbered by `n` so unique fields stay unique.
    pub fn generic_sample(&self, def: &ResourceDef, n: usize) -> serde_json::Map<String, Value> {
        use skillbridge_core::schema::Kind;
        let mut m = serde_json::Map::new();
        for f in def.fields.iter().filter(|f| f.required) {
            let v = match f.kind {
                Kind::Text { max } => {
                    json!(format!("样例{n}").chars().take(max).collect::<String>())
                }
                Kind::Int { min, .. } => json!(min.max(1)),
                Kind::Fen => json!(0),
                Kind::Decimal { min, scale, .. } => {
                    skillbridge_core::schema::decimal_value(min, scale)
                }
                Kind::Date => json!("2030-01-01"),
                Kind::Flag => json!(false),
                Kind::Enum(t) => json!(t.labels[0].code),
                // A record type of a later module without a fixture row: its first row (the
                // conformance test makes one of each type, in dependency order).
                Kind::Ref(target) => json!(self.row_of(target).unwrap_or(1)),
                // A country: Sri Lanka, a partner country of the demo college.
                Kind::RefCode {
                    resource: "countries",
                    ..
                } => json!("LK"),
                Kind::RefCode { .. } | Kind::CreditCode => {
                    panic!("{}.{}: give a sample", def.name, f.name)
                }
                Kind::IdNumber => json!(make_id_number("500106", "20070101", n as u32 % 1000)),
                Kind::Phone => json!(format!("138{:08}", n % 100_000_000)),
                Kind::MajorCode => json!("460702"),
                Kind::Email => json!(format!("sample{n}@example.edu.cn")),
                Kind::Instant => json!("2030-01-01T08:00"),
            };
            m.insert(f.name.to_string(), v);
        }
        m
    }
}

async fn mk(s: &Store, def: &ResourceDef, v: Value) -> i64 {
    s.create(&Actor::system(), def, v.as_object().unwrap(), "fixture")
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}", def.name))["id"]
        .as_i64()
        .unwrap()
}

/// A small college shared by the storage and API tests: two schools with a program and a class
/// each, a student in each class, a teacher (adviser of class 1, teacher-mentor of student 2), two
/// enterprises, an enterprise mentor of student 1 at the first, an HR contact at the second, an
/// agreement, an academic year and a term.
pub async fn college(s: &Store) -> Fx {
    let sc1 = mk(s, &SCHOOLS, json!({"code": "01", "name": "汽车工程学院"})).await;
    let sc2 = mk(s, &SCHOOLS, json!({"code": "02", "name": "数字传媒学院"})).await;
    let p1 = mk(s, &PROGRAMS, json!({"code": "A01", "major_code": "460702", "name": "新能源汽车技术", "school_id": sc1, "duration_years": 3})).await;
    let p2 = mk(s, &PROGRAMS, json!({"code": "B01", "major_code": "510201", "name": "计算机应用技术", "school_id": sc2, "duration_years": 3})).await;
    let t = mk(s, &STAFF, json!({"staff_no": "T001", "name": "李老师", "gender": "2", "dual_qualified": true, "school_id": sc1, "phone": "13900001111", "email": "liwei@cqvc.edu.cn"})).await;
    let c1 = mk(
        s,
        &CLASSES,
        json!({"name": "新能源2401", "program_id": p1, "entry_year": 2024, "adviser_id": t}),
    )
    .await;
    let c2 = mk(
        s,
        &CLASSES,
        json!({"name": "计应2401", "program_id": p2, "entry_year": 2024}),
    )
    .await;
    let s1 = mk(s, &STUDENTS, json!({"student_no": "2024010001", "name": "王小明", "gender": "1", "id_number": make_id_number("500106", "20060301", 11), "phone": "13812345678", "home_region": "500106", "address": "重庆市沙坪坝区大学城东路20号", "program_id": p1, "class_id": c1, "entry_year": 2024, "status": "enrolled"})).await;
    let s2 = mk(s, &STUDENTS, json!({"student_no": "2024020001", "name": "陈小红", "gender": "2", "id_number": make_id_number("510104", "20060511", 22), "phone": "13712345678", "program_id": p2, "class_id": c2, "entry_year": 2024, "status": "enrolled"})).await;
    let o1 = mk(s, &ORGANISATIONS, json!({"kind": "enterprise", "name": "重庆长安汽车股份有限公司", "credit_code": make_credit_code("91500000202805720"), "industry_code": "36", "region_code": "500112"})).await;
    let o2 = mk(s, &ORGANISATIONS, json!({"kind": "enterprise", "name": "华龙网集团", "credit_code": make_credit_code("91500000MA5U0RTU1"), "industry_code": "64"})).await;
    let m = mk(
        s,
        &CONTACTS,
        json!({"org_id": o1, "name": "赵工", "kind": "mentor", "phone": "13600001111", "email": "zhaogong@changan.com.cn"}),
    )
    .await;
    let hr = mk(
        s,
        &CONTACTS,
        json!({"org_id": o2, "name": "钱经理", "kind": "hr"}),
    )
    .await;
    let mrow = mk(s, &MENTORS, json!({"student_id": s1, "kind": "enterprise", "contact_id": m, "start_date": "2025-03-01"})).await;
    mk(
        s,
        &MENTORS,
        json!({"student_id": s2, "kind": "teacher", "staff_id": t, "start_date": "2025-03-01"}),
    )
    .await;
    let a = mk(s, &AGREEMENTS, json!({"agreement_no": "XQ-2025-001", "org_id": o1, "kind": "industry_college", "title": "共建汽车产业学院", "start_date": "2025-01-01", "status": "active"})).await;
    let year = mk(
        s,
        &ACADEMIC_YEARS,
        json!({"name": "2025-2026", "start_date": "2025-09-01", "end_date": "2026-07-15"}),
    )
    .await;
    let term = mk(s, &TERMS, json!({"academic_year_id": year, "name": "2025-2026-1", "seq": 1, "start_date": "2025-09-01", "end_date": "2026-01-20"})).await;
    let b1 = mk(s, &TRAINING_BASES, json!({"name": "汽车实训中心", "kind": "campus", "school_id": sc1, "partner_org_id": o1, "address": "重庆市沙坪坝区大学城东路20号", "investment_fen": 1_200_000_000i64, "area_m2": 3000, "workstations": 40, "status": "active"})).await;
    let b2 = mk(s, &TRAINING_BASES, json!({"name": "融媒体实训基地", "kind": "school_in_factory", "school_id": sc2, "partner_org_id": o2, "workstations": 30, "status": "active"})).await;
    let eq = mk(s, &EQUIPMENT, json!({"asset_no": "ZC-0001", "name": "新能源汽车动力电池拆装台", "model": "BT-500", "value_fen": 18_000_000, "purchase_date": "2024-06-01", "status": "in_service", "base_id": b1})).await;
    let bk = mk(s, &BOOKINGS, json!({"base_id": b1, "kind": "workstations", "workstations": 10, "course_name": "汽车电气实训", "class_id": c1, "staff_id": t, "start_at": "2025-09-01T08:00", "end_at": "2025-09-01T10:00", "status": "active"})).await;
    Fx {
        base: [b1, b2],
        equipment: eq,
        booking: bk,
        school: [sc1, sc2],
        program: [p1, p2],
        class: [c1, c2],
        student: [s1, s2],
        teacher: t,
        org: [o1, o2],
        mentor_contact: m,
        hr_contact: hr,
        mentor_row: mrow,
        agreement: a,
        spare_user: 0,
        year,
        term,
        extra: Vec::new(),
    }
}

/// Moves the store's clock (and so every clone's, the server's included) forward by `secs`: a
/// lock or a session expires without the test sleeping. Test-only, like the rest of this module;
/// never inlined, so that the release symbol check in `.ci/run` would find it.
#[inline(never)]
pub fn advance_clock(store: &Store, secs: i64) {
    store.clock.advance(secs);
}

/// Every row of the audit table as the database holds it, each column as text joined by `|`:
/// for tests that must prove a value never reaches the trail, read without the store's decoding.
pub async fn audit_rows_raw(store: &Store) -> Result<Vec<String>> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT CAST(id AS TEXT) || '|' || at || '|' || actor || '|' || role || '|' || action || '|' \
         || object || '|' || outcome || '|' || source || '|' || detail || '|' || prev_hash || '|' \
         || hash FROM audit_log ORDER BY id",
    )
    .fetch_all(&store.pool)
    .await?;
    rows.iter()
        .map(|r| r.try_get::<String, _>(0).map_err(Into::into))
        .collect()
}

/// SQLite's journal mode and `synchronous` level (0 off, 1 normal, 2 full, 3 extra), read back
/// from a connection of the store's own pool: the settings under which an acknowledged write
/// survives a power cut (SECURITY goal 2).
pub async fn sqlite_durability_settings(s: &Store) -> Result<(String, i64)> {
    use sqlx::Row;
    let mut conn = s.pool.acquire().await?;
    let journal: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    let sync: i64 = sqlx::query("PRAGMA synchronous")
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    Ok((journal, sync))
}

/// The value of a SQLite pragma on every connection of the pool at once (all of them are held
/// together, so each answer comes from a different connection): for the test that every pooled
/// connection runs with the settings of `Backend::connection_pragmas`. Empty on PostgreSQL.
pub async fn sqlite_pragma_on_every_connection(store: &Store, pragma: &str) -> Result<Vec<i64>> {
    use sqlx::Row;
    if store.backend() != crate::Backend::Sqlite {
        return Ok(Vec::new());
    }
    let mut held = Vec::new();
    let mut out = Vec::new();
    for _ in 0..store.backend().max_connections() {
        let mut c = store.pool.acquire().await?;
        let v: i64 = sqlx::query(&format!("PRAGMA {pragma}"))
            .fetch_one(&mut *c)
            .await?
            .try_get(0)?;
        out.push(v);
        held.push(c);
    }
    Ok(out)
}

/// A valid new record of a record type whose records belong to a parent the fixture does not
/// hold (issue 12: research projects, teaching resources): a fresh parent is made (by the
/// system, related like student 1: school 1, led by the teacher), then the record. `None` for
/// any other record type (use `Fx::generic_sample` or a hand-written sample).
pub async fn later_sample(
    s: &Store,
    fx: &Fx,
    resource: &str,
    n: usize,
) -> Option<serde_json::Map<String, Value>> {
    use skillbridge_core::modules::{research, resources};
    let project = || async {
        mk(
            s,
            &research::RESEARCH_PROJECTS,
            json!({"project_no": format!("RP-{n}-{}", unique_name()), "title": format!("项目{n}"), "kind": "horizontal",
                   "school_id": fx.school[0], "lead_id": fx.teacher, "start_date": "2025-01-01",
                   "contract_fen": 1_000_000, "status": "active"}),
        )
        .await
    };
    let resource_row = || async {
        mk(
            s,
            &resources::TEACHING_RESOURCES,
            json!({"resource_no": format!("TR-{n}-{}", unique_name()), "title": format!("资源{n}"), "kind": "courseware",
                   "school_id": fx.school[0], "lead_id": fx.teacher, "licence": "campus"}),
        )
        .await
    };
    let v = match resource {
        // A partner of its own, so that neither enterprise user of the fixture reaches it.
        "research_partners" => {
            let org = mk(
                s,
                &ORGANISATIONS,
                json!({"kind": "school", "name": format!("合作院校{n}-{}", unique_name())}),
            )
            .await;
            json!({"project_id": project().await, "org_id": org, "role": "co_developer"})
        }
        "research_receipts" => {
            json!({"project_id": project().await, "year": 2025, "amount_fen": 500_000})
        }
        "research_participants" => {
            json!({"project_id": project().await, "kind": "staff", "staff_id": fx.teacher, "role": "core"})
        }
        "research_outcomes" => {
            json!({"project_id": project().await, "kind": "product", "title": format!("成果{n}")})
        }
        "resource_authors" => {
            json!({"resource_id": resource_row().await, "kind": "staff", "staff_id": fx.teacher, "role": "chief"})
        }
        "resource_courses" => {
            json!({"resource_id": resource_row().await, "program_id": fx.program[0], "course_code": format!("C{n}"), "course_name": "汽车电气"})
        }
        _ => return None,
    };
    v.as_object().cloned()
}

/// [`later_sample`] where it has one, else [`Fx::generic_sample`].
pub async fn any_sample(
    s: &Store,
    fx: &Fx,
    def: &ResourceDef,
    n: usize,
) -> serde_json::Map<String, Value> {
    match later_sample(s, fx, def.name, n).await {
        Some(v) => v,
        None => fx.generic_sample(def, n),
    }
}
