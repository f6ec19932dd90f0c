//! `spawn_app()`: a fresh database and a real server on 127.0.0.1:0 per test, a small college,
//! an account for every role, and clients that check every response for leaked personal data.
#![allow(dead_code)]

use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{json, Map, Value};
use skillbridge_core::access::{Actor, ContactRole, Office, Role};
use skillbridge_core::ids::{make_credit_code, make_id_number};
use skillbridge_core::schema::{self, ResourceDef};
use skillbridge_store::testing::TestDb;
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

fn password_hash() -> &'static str {
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
    ]
}

pub fn assert_no_leak(where_: &str, text: &str) {
    for s in secrets() {
        assert!(
            !text.contains(&s),
            "full personal value {s} leaked in {where_}"
        );
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

async fn mk(s: &Store, def: &ResourceDef, v: Value) -> i64 {
    s.create(&Actor::system(), def, v.as_object().unwrap(), "fixture")
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}", def.name))["id"]
        .as_i64()
        .unwrap()
}

pub async fn college(s: &Store) -> Fx {
    let sc1 = mk(
        s,
        &schema::SCHOOLS,
        json!({"code": "01", "name": "汽车工程学院"}),
    )
    .await;
    let sc2 = mk(
        s,
        &schema::SCHOOLS,
        json!({"code": "02", "name": "数字传媒学院"}),
    )
    .await;
    let p1 = mk(s, &schema::PROGRAMS, json!({"code": "A01", "major_code": "460702", "name": "新能源汽车技术", "school_id": sc1, "duration_years": 3})).await;
    let p2 = mk(s, &schema::PROGRAMS, json!({"code": "B01", "major_code": "510201", "name": "计算机应用技术", "school_id": sc2, "duration_years": 3})).await;
    let t = mk(s, &schema::STAFF, json!({"staff_no": "T001", "name": "李老师", "gender": "2", "dual_qualified": true, "school_id": sc1, "phone": "13900001111"})).await;
    let c1 = mk(
        s,
        &schema::CLASSES,
        json!({"name": "新能源2401", "program_id": p1, "entry_year": 2024, "adviser_id": t}),
    )
    .await;
    let c2 = mk(
        s,
        &schema::CLASSES,
        json!({"name": "计应2401", "program_id": p2, "entry_year": 2024}),
    )
    .await;
    let s1 = mk(s, &schema::STUDENTS, json!({"student_no": "2024010001", "name": "王小明", "gender": "1", "id_number": make_id_number("500106", "20060301", 11), "phone": "13812345678", "home_region": "500106", "address": "重庆市沙坪坝区大学城东路20号", "program_id": p1, "class_id": c1, "entry_year": 2024, "status": "enrolled"})).await;
    let s2 = mk(s, &schema::STUDENTS, json!({"student_no": "2024020001", "name": "陈小红", "gender": "2", "id_number": make_id_number("510104", "20060511", 22), "phone": "13712345678", "program_id": p2, "class_id": c2, "entry_year": 2024, "status": "enrolled"})).await;
    let o1 = mk(s, &schema::ORGANISATIONS, json!({"kind": "enterprise", "name": "重庆长安汽车股份有限公司", "credit_code": make_credit_code("91500000202805720"), "industry_code": "36", "region_code": "500112"})).await;
    let o2 = mk(s, &schema::ORGANISATIONS, json!({"kind": "enterprise", "name": "华龙网集团", "credit_code": make_credit_code("91500000MA5U0RTU1"), "industry_code": "64"})).await;
    let m = mk(
        s,
        &schema::CONTACTS,
        json!({"org_id": o1, "name": "赵工", "kind": "mentor", "phone": "13600001111"}),
    )
    .await;
    let hr = mk(
        s,
        &schema::CONTACTS,
        json!({"org_id": o2, "name": "钱经理", "kind": "hr"}),
    )
    .await;
    let mrow = mk(s, &schema::MENTORS, json!({"student_id": s1, "kind": "enterprise", "contact_id": m, "start_date": "2025-03-01"})).await;
    mk(
        s,
        &schema::MENTORS,
        json!({"student_id": s2, "kind": "teacher", "staff_id": t, "start_date": "2025-03-01"}),
    )
    .await;
    let a = mk(s, &schema::AGREEMENTS, json!({"agreement_no": "XQ-2025-001", "org_id": o1, "kind": "industry_college", "title": "共建汽车产业学院", "start_date": "2025-01-01", "status": "active"})).await;
    let year = mk(
        s,
        &schema::ACADEMIC_YEARS,
        json!({"name": "2025-2026", "start_date": "2025-09-01", "end_date": "2026-07-15"}),
    )
    .await;
    let term = mk(s, &schema::TERMS, json!({"academic_year_id": year, "name": "2025-2026-1", "seq": 1, "start_date": "2025-09-01", "end_date": "2026-01-20"})).await;
    Fx {
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
    }
}

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
    pub fn anon(&self) -> Session {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        Session {
            http: Client::builder()
                .cookie_provider(jar.clone())
                .build()
                .unwrap(),
            base: self.base.clone(),
            jar,
        }
    }

    pub async fn login_as(&self, role: &str) -> Session {
        let s = self.anon();
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
        if !path.ends_with("/reveal") {
            assert_no_leak(path, &text);
        }
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
            json!({"industry_code": format!("{:02}", 1 + n % 90), "label": format!("产业{n}")})
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
        other => panic!("no sample for {other}"),
    };
    v.as_object().cloned().unwrap()
}
