//! `spawn_app()`: a fresh database and a real server on 127.0.0.1:0 per test, a small college,
//! an account for every role, and clients that check every response for leaked personal data.
#![allow(dead_code)]

use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{json, Map, Value};
use skillbridge_core::access::{Actor, ContactRole, Office, Role};
use skillbridge_core::ids::make_id_number;

use skillbridge_store::testing::{college, Fx, TestDb};
use skillbridge_store::Store;
use skillbridge_web::api::Api;
use skillbridge_web::WebConfig;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

pub const PASSWORD: &str = "校企合作-Chongqing-2026";

/// Every log line of the test binary, for the leak scan (SECURITY goal 9).
pub static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct LogWriter;
impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn init_logs() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("debug"))
            .with_writer(|| LogWriter)
            .with_ansi(false)
            .try_init();
    });
}

pub fn password_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| skillbridge_web::auth::hash_password(PASSWORD))
}

/// The personal values of the fixture that must never appear in full outside a reveal.
pub fn secrets() -> Vec<String> {
    vec![
        make_id_number("500106", "20060301", 11),
        make_id_number("510104", "20060511", 22),
        "13812345678".into(),
        "13712345678".into(),
        "13900001111".into(),
        "13600001111".into(),
        // E-mail is personal too (issue 9, item 8).
        "liwei@cqvc.edu.cn".into(),
        "zhaogong@changan.com.cn".into(),
    ]
}

/// The secrets a role's session is meant to read in full: a student's own mentors' work phone and
/// e-mail (issue 9, item 8; the fixture's student has the enterprise mentor 赵工).
pub fn seen_in_full_by(role: &str) -> Vec<String> {
    match role {
        "student" => vec!["13600001111".into(), "zhaogong@changan.com.cn".into()],
        _ => Vec::new(),
    }
}

pub fn assert_no_leak(where_: &str, text: &str) {
    assert_no_leak_but(where_, text, &[]);
}

/// [`assert_no_leak`], except for the values in `allowed`.
pub fn assert_no_leak_but(where_: &str, text: &str, allowed: &[String]) {
    for s in secrets().into_iter().filter(|s| !allowed.contains(s)) {
        assert!(
            !text.contains(&s),
            "full personal value {s} leaked in {where_}"
        );
    }
}

pub struct App {
    pub base: String,
    pub store: Store,
    pub fx: Fx,
    _db: TestDb,
}

pub const ROLES: &[&str] = &[
    "anon", "admin", "leader", "aa", "sa1", "coop", "teacher", "mentor", "hr2", "student",
];

pub fn role_of(name: &str, fx: &Fx) -> Vec<Role> {
    match name {
        "admin" => vec![Role::Admin],
        "leader" => vec![Role::Leader],
        "aa" => vec![Role::Staff {
            office: Office::AcademicAffairs,
            school_id: None,
        }],
        "sa1" => vec![Role::Staff {
            office: Office::StudentAffairs,
            school_id: Some(fx.school[0]),
        }],
        "coop" => vec![Role::Staff {
            office: Office::Cooperation,
            school_id: None,
        }],
        "teacher" => vec![Role::Teacher {
            staff_id: fx.teacher,
        }],
        "mentor" => vec![Role::Enterprise {
            org_id: fx.org[0],
            contact_id: fx.mentor_contact,
            relation: ContactRole::Mentor,
        }],
        "hr2" => vec![Role::Enterprise {
            org_id: fx.org[1],
            contact_id: fx.hr_contact,
            relation: ContactRole::Hr,
        }],
        "student" => vec![Role::Student {
            student_id: fx.student[0],
        }],
        _ => vec![],
    }
}

pub async fn spawn_app() -> App {
    spawn_with(
        WebConfig {
            login_rate_per_minute: 1000,
            ..WebConfig::default()
        },
        |a| a,
    )
    .await
}

pub async fn spawn_with(cfg: WebConfig, extra: impl FnOnce(Api) -> Api) -> App {
    init_logs();
    let db = TestDb::new().await.expect("database");
    let store = db.open().await.expect("store");
    let mut fx = college(&store).await;
    for r in ROLES.iter().filter(|r| **r != "anon") {
        store
            .accounts()
            .create_user(
                &Actor::system(),
                r,
                &format!("用户{r}"),
                password_hash(),
                &role_of(r, &fx),
                "fixture",
            )
            .await
            .unwrap();
    }
    fx.spare_user = store
        .accounts()
        .create_user(
            &Actor::system(),
            "spare",
            "备用",
            password_hash(),
            &[],
            "fixture",
        )
        .await
        .unwrap();
    let router = skillbridge_web::finish(extra(skillbridge_web::routes()), store.clone(), cfg);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(skillbridge_web::serve(
        listener,
        router,
        std::future::pending(),
    ));
    App {
        base,
        store,
        fx,
        _db: db,
    }
}

/// A browser-like client: a cookie jar, and the server's own Origin on unsafe requests.
#[derive(Clone)]
pub struct Session {
    pub http: Client,
    pub base: String,
    pub jar: Arc<reqwest::cookie::Jar>,
    /// Secrets this session may read in full ([`seen_in_full_by`]).
    pub may_see: Vec<String>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }
}

impl App {
    /// The file of this app's SQLite database; `None` on PostgreSQL.
    pub fn sqlite_path(&self) -> Option<std::path::PathBuf> {
        self._db.url.strip_prefix("sqlite:").map(Into::into)
    }

    pub fn anon(&self) -> Session {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        Session {
            http: Client::builder()
                .cookie_provider(jar.clone())
                .build()
                .unwrap(),
            base: self.base.clone(),
            jar,
            may_see: Vec::new(),
        }
    }

    pub async fn login_as(&self, role: &str) -> Session {
        let mut s = self.anon();
        s.may_see = seen_in_full_by(role);
        if role != "anon" {
            let r = s
                .send(
                    Method::POST,
                    "/api/auth/login",
                    Some(json!({"username": role, "password": PASSWORD})),
                )
                .await;
            assert_eq!(r.status, 200, "login as {role}: {}", r.text);
        }
        s
    }
}

impl Session {
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.send_with(method, path, body, &[("origin", &self.base.clone())])
            .await
    }

    pub async fn send_with(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut rb = self.http.request(method, format!("{}{path}", self.base));
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let res: Response = rb.send().await.expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        // The reveal endpoints (a field, a full export) are the only places full values may
        // appear, besides a student's download of their own data (`/api/me/data`), whose
        // content `tests/subject_access.rs` checks value by value.
        if !path.ends_with("/reveal")
            && !path.ends_with("/export/full")
            && !path.starts_with("/api/me/data")
        {
            assert_no_leak_but(path, &text, &self.may_see);
        }
        scan_new_logs();
        Reply {
            status,
            headers,
            text,
        }
    }

    /// Sends a file as the raw request body (spreadsheet uploads).
    pub async fn send_bytes(&self, path: &str, bytes: Vec<u8>) -> Reply {
        self.send_file(path, "application/octet-stream", bytes)
            .await
    }

    /// POSTs a file as the body, with its declared type.
    pub async fn send_file(&self, path: &str, content_type: &str, bytes: Vec<u8>) -> Reply {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .header("content-type", content_type)
            .body(bytes)
            .send()
            .await
            .expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        assert_no_leak_but(path, &text, &self.may_see);
        scan_new_logs();
        Reply {
            status,
            headers,
            text,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }
}

/// Scans the log lines written since the last scan (with an overlap for values cut in two).
pub fn scan_new_logs() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static SCANNED: AtomicUsize = AtomicUsize::new(0);
    let logs = LOGS.lock().unwrap();
    let from = SCANNED
        .load(Ordering::Relaxed)
        .saturating_sub(64)
        .min(logs.len());
    assert_no_leak("logs", &String::from_utf8_lossy(&logs[from..]));
    SCANNED.store(logs.len(), Ordering::Relaxed);
}

/// A valid new record of a resource; `n` keeps natural keys unique.
pub fn sample(def: &str, n: usize, fx: &Fx) -> Map<String, Value> {
    let v = match def {
        "regions" => {
            json!({"code": format!("{}", 990000 + n), "name": format!("测试区{n}"), "level": "county"})
        }
        "countries" => {
            json!({"alpha2": format!("{:02}", n % 100), "alpha3": "QQQ", "numeric": "999", "name_zh": "测试国", "name_en": "Testland", "belt_and_road": false})
        }
        "industries" => {
            json!({"code": format!("Z{}", n % 1000), "level": "division", "section": "Z", "name_zh": "测试", "name_en": "Test"})
        }
        "key_industries" => {
            // A division that is not one of the defaults (which every test database holds).
            let defaults = skillbridge_core::reference::default_key_industries();
            let free: Vec<String> = (1..=90)
                .map(|c| format!("{c:02}"))
                .filter(|c| !defaults.iter().any(|d| d["industry_code"] == c.as_str()))
                .collect();
            json!({"industry_code": free[n % free.len()], "label": format!("产业{n}")})
        }
        "header_aliases" => {
            json!({"resource": "students", "field": "phone", "alias": format!("联系手机{n}")})
        }
        "schools" => json!({"code": format!("S{n}"), "name": format!("学院{n}")}),
        "programs" => {
            json!({"code": format!("P{n}"), "major_code": "460702", "name": format!("专业{n}"), "school_id": fx.school[0], "duration_years": 3})
        }
        "academic_years" => {
            json!({"name": format!("{}-{}", 2000 + n, 2001 + n), "start_date": "2030-09-01", "end_date": "2031-07-01"})
        }
        "terms" => {
            json!({"academic_year_id": fx.year, "name": format!("学期{n}"), "seq": 1, "start_date": "2030-09-01", "end_date": "2031-01-15"})
        }
        "staff" => {
            json!({"staff_no": format!("X{n}"), "name": "新老师", "gender": "1", "dual_qualified": false})
        }
        "classes" => {
            json!({"name": format!("班级{n}"), "program_id": fx.program[0], "entry_year": 2025})
        }
        "students" => {
            json!({"student_no": format!("2099{n:06}"), "name": "新同学", "gender": "1", "id_number": make_id_number("500106", "20070101", n as u32 % 1000), "program_id": fx.program[0], "class_id": fx.class[0], "entry_year": 2025, "status": "enrolled"})
        }
        "organisations" => json!({"kind": "government", "name": format!("单位{n}")}),
        "agreements" => {
            json!({"agreement_no": format!("AG-{n}"), "org_id": fx.org[0], "kind": "framework", "title": "框架协议", "start_date": "2025-01-01", "status": "draft"})
        }
        "contacts" => json!({"org_id": fx.org[0], "name": "联系人", "kind": "contact"}),
        "mentors" => {
            json!({"student_id": fx.student[0], "kind": "teacher", "staff_id": fx.teacher, "start_date": "2025-09-01"})
        }
        "training_bases" => {
            json!({"name": format!("实训基地{n}"), "kind": "campus", "school_id": fx.school[0], "partner_org_id": fx.org[0], "workstations": 20, "status": "active"})
        }
        // Distinct (base, program) pairs for creations two apart.
        "base_programs" => {
            json!({"base_id": fx.base[(n / 2) % 2], "program_id": fx.program[n % 2]})
        }
        "equipment" => {
            json!({"asset_no": format!("EQ-{n}"), "name": "实训设备", "status": "in_service", "base_id": fx.base[0]})
        }
        // A booking by the teacher, on a day of its own (n days after 2030-01-01).
        "bookings" => {
            let day = skillbridge_core::modules::bases::booking::add_days(
                skillbridge_core::dates::parse_date("2030-01-01").unwrap(),
                n as i64,
            );
            json!({"base_id": fx.base[0], "kind": "workstations", "workstations": 1, "class_id": fx.class[0], "staff_id": fx.teacher, "course_name": "汽车电气实训",
                   "start_at": format!("{day}T08:00"), "end_at": format!("{day}T10:00"), "status": "active"})
        }
        // Order classes (issue 4). Applications and target programs need a class of their own
        // (one per student and class, one per class and program): see `authz.rs`.
        "order_classes" => {
            json!({"name": format!("订单班{n}"), "org_id": fx.org[0], "seats": 10, "entry_years": "2024", "opens_on": "2025-01-01", "closes_on": "2099-12-31", "interview_required": false, "status": "open"})
        }
        // Competitions and start-ups (issue 15 §2): an advisor or mentor names one person, the
        // teacher; the team or start-up is one the test made (`Fx::extra`).
        "competition_advisors" => {
            json!({"team_id": fx.row_of("competition_teams").expect("a team in Fx::extra"), "staff_id": fx.teacher})
        }
        "startup_mentors" => {
            json!({"startup_id": fx.row_of("startups").expect("a start-up in Fx::extra"), "staff_id": fx.teacher})
        }
        // Plans (issue 12 §2): a draft led by the teacher, a (program, cohort, version) of its own
        // for every n (the version stays within 1..=99).
        // Its courses and signatories need a plan of their own: `authz.rs` sets `plan_id`.
        "plans" => {
            json!({"program_id": fx.program[(n / 9900) % fx.program.len()], "cohort_year": 2000 + (n % 100), "version": 1 + (n / 100) % 99, "title": format!("方案{n}"), "lead_staff_id": fx.teacher, "status": "draft"})
        }
        "plan_courses" => {
            json!({"plan_id": 0, "semester": 1, "course_code": format!("KC{n}"), "course_name": "汽车构造", "theory_hours": 32, "practice_hours": 32, "credits": 4, "course_type": "core", "nature": "compulsory", "org_id": fx.org[0]})
        }
        "plan_signatories" => json!({"plan_id": 0, "contact_id": fx.mentor_contact}),
        other => {
            let def = skillbridge_core::schema::resource(other)
                .unwrap_or_else(|| panic!("no record type {other}"));
            return fx.generic_sample(def, n);
        }
    };
    v.as_object().cloned().unwrap()
}
