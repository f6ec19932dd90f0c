//! The authorization table (SECURITY goal 7): every route × every role × the relation of the
//! target row, with the expected status. A route of the router missing from this table fails.
//! Every refusal must carry no data.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use skillbridge_core::access::Actor;
use skillbridge_core::modules::bases::TRAINING_BASES;
use skillbridge_core::modules::order_classes::{
    ORDER_APPLICATIONS, ORDER_CLASSES, ORDER_CLASS_PROGRAMS, ORDER_OFFERS,
};
use skillbridge_core::modules::plans::{PLANS, PLAN_COURSES, PLAN_SIGNATORIES};
use std::collections::BTreeSet;

#[path = "authz/references.rs"]
mod references;
#[path = "authz/role_table.rs"]
mod role_table;

/// t2 of the table: a teacher of school 2 with work phone and e-mail, made s1's college mentor
/// (s1's enterprise mentor is ct1), so that s1 has the two mentors of the dual-mentor system.
pub async fn s1_college_mentor(app: &App) -> i64 {
    let system = Actor::system();
    let staff = skillbridge_core::schema::resource("staff").unwrap();
    let v = json!({"staff_no": "T002", "name": "周老师", "gender": "1", "dual_qualified": true,
        "school_id": app.fx.school[1], "office": "电气教研室", "phone": "13900002222",
        "email": "zhou@example.edu.cn"});
    let id = app
        .store
        .create(&system, staff, v.as_object().unwrap(), "fixture")
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let m = json!({"student_id": app.fx.student[0], "kind": "teacher", "staff_id": id, "start_date": "2025-03-01"});
    let mentors = skillbridge_core::schema::resource("mentors").unwrap();
    app.store
        .create(&system, mentors, m.as_object().unwrap(), "fixture")
        .await
        .unwrap();
    id
}

/// The routes of no module (pages, health, sign-in, meta); each module's routes are in its own
/// table, `crates/web/src/modules/<module>/authz.table`, read by [`module_tables`].
/// Columns: anon admin leader aa sa1 coop teacher mentor hr2 student.
/// aa: academic affairs, college-wide. sa1: student affairs of school 1. coop: cooperation office.
/// teacher: advises class 1 (student s1), teacher-mentor of s2. mentor: enterprise mentor of s1 at o1.
/// hr2: HR of o2, no mentees. student: s1.
/// `{R}` expands over the resources after `R=`. Targets: s1 s2 p1 p2 c1 c2 t1 o1 o2 a1 ct1 m1
/// (fixture rows), any (row 1 / a reference row), new (a fresh row made for the attempt, like s1's
/// relations: school 1, class 1, organisation o1), user (a spare account), none.
/// Training bases: b1 (school 1, co-built with o1), b2 (school 2, with o2), e1 (equipment at b1),
/// k1 (the teacher's booking at b1 for class 1).
const TABLE: &str = "
GET    /                          none  200 200 200 200 200 200 200 200 200 200
GET    /assets/{file}             none  404 404 404 404 404 404 404 404 404 404
GET    /api/health                none  200 200 200 200 200 200 200 200 200 200
GET    /api/openapi.json          none  200 200 200 200 200 200 200 200 200 200
GET    /api/admin/check           none  401 200 403 403 403 403 403 403 403 403
POST   /api/auth/login            none  401 401 401 401 401 401 401 401 401 401
POST   /api/auth/logout           none  401 204 204 204 204 204 204 204 204 204
POST   /api/auth/password         none  401 422 422 422 422 422 422 422 422 422
GET    /api/me                    none  401 200 200 200 200 200 200 200 200 200
GET    /api/meta                  none  401 200 200 200 200 200 200 200 200 200
";

struct Row {
    method: String,
    path: String,
    target: String,
    expect: Vec<u16>,
}

/// Each module's table: `crates/web/src/modules/<module>/authz.table`, for every module of
/// `skillbridge_core::modules::MODULES` (a module without one fails here).
fn module_tables() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/modules");
    skillbridge_core::modules::MODULES
        .iter()
        .map(|m| {
            let path = root.join(m.name).join("authz.table");
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                panic!(
                    "module {} has no authorization table at {}: {e}",
                    m.name,
                    path.display()
                )
            });
            (m.name.to_string(), text)
        })
        .collect()
}

fn rows() -> Vec<Row> {
    let mut out = Vec::new();
    let mut text = TABLE.to_string();
    for (_, t) in module_tables() {
        text.push('\n');
        text.push_str(&t);
    }
    let text = text.replace("\n                                  ", " ");
    let lines = text.lines().map(str::trim);
    for line in lines.filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let (method, path) = (parts[0], parts[1]);
        let (resources, rest) = if parts[2].starts_with("R=") {
            (
                parts[2][2..]
                    .split(',')
                    .map(str::to_string)
                    .collect::<Vec<_>>(),
                &parts[3..],
            )
        } else {
            (vec![String::new()], &parts[2..])
        };
        let target = rest[0].to_string();
        let expect: Vec<u16> = rest[1..].iter().map(|c| c.parse().unwrap()).collect();
        assert_eq!(expect.len(), ROLES.len(), "{line}");
        for r in resources {
            out.push(Row {
                method: method.into(),
                path: path.replace("{R}", &r),
                target: target.clone(),
                expect: expect.clone(),
            });
        }
    }
    out
}

#[test]
fn every_route_of_the_router_is_in_the_table() {
    let table: BTreeSet<(String, String)> = rows()
        .into_iter()
        .map(|r| (r.method.to_lowercase(), r.path))
        .collect();
    let routes: BTreeSet<(String, String)> = skillbridge_web::routes()
        .specs
        .into_iter()
        .map(|s| (s.method.to_string(), s.path))
        .collect();
    let missing: Vec<_> = routes.difference(&table).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the authorization table: {missing:?}"
    );
    let stale: Vec<_> = table.difference(&routes).collect();
    assert!(
        stale.is_empty(),
        "table rows for routes that do not exist: {stale:?}"
    );
}

/// A text file attached to record `owner_id` of `owner` by the system (issue 10 §11).
pub async fn attach_fixture(app: &App, owner: &str, owner_id: i64) -> i64 {
    let store = app.store.attachments();
    let mut up = store.begin_upload().await.unwrap();
    up.write("证明材料".as_bytes()).await.unwrap();
    store
        .attach(
            &Actor::system(),
            owner,
            owner_id,
            up,
            skillbridge_core::modules::attachments::MediaType::Text,
            "证明.txt",
            "fixture",
        )
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// A pending request to suspend `student` from 2099-09-01, filed by the system (issue 10 §8).
pub async fn file_fixture(app: &App, student: i64) -> i64 {
    let v = json!({"student_id": student, "change_type": "suspend", "reason": "因病休学", "effective_date": "2099-09-01"});
    app.store
        .status_changes()
        .file(&Actor::system(), v.as_object().unwrap(), "fixture")
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// A fresh draft plan (issue 12 §2): program 1, led by the teacher.
async fn fresh_plan(app: &App, n: usize) -> i64 {
    let v = sample("plans", n, &app.fx);
    app.store
        .create(&Actor::system(), &PLANS, &v, "t")
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// Plan pl1, in review: program 1, led by the teacher, ct1 (the mentor of o1) its signatory, one
/// course co-developed by o1; and pl2, its next version (a draft copy).
async fn plan_fixture(app: &App) -> (i64, i64) {
    let system = Actor::system();
    let pl1 = fresh_plan(app, 9000).await;
    for (def, n) in [(&PLAN_COURSES, 9001), (&PLAN_SIGNATORIES, 9002)] {
        let mut v = sample(def.name, n, &app.fx);
        v.insert("plan_id".into(), json!(pl1));
        app.store.create(&system, def, &v, "fixture").await.unwrap();
    }
    let plans = app.store.plans();
    let pl2 = plans.copy(&system, pl1, None, "fixture").await.unwrap()["id"]
        .as_i64()
        .unwrap();
    plans.submit(&system, pl1, "fixture").await.unwrap();
    (pl1, pl2)
}

/// A fresh open order class of o1 for program 1 (issue 4).
async fn fresh_class(app: &App, n: usize) -> i64 {
    let system = Actor::system();
    let v = sample("order_classes", n, &app.fx);
    let id = app
        .store
        .create(&system, &ORDER_CLASSES, &v, "t")
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let link = json!({"order_class_id": id, "program_id": app.fx.program[0]});
    app.store
        .create(
            &system,
            &ORDER_CLASS_PROGRAMS,
            link.as_object().unwrap(),
            "t",
        )
        .await
        .unwrap();
    id
}

/// Makes a fresh row for a delete attempt, with s1-like relations.
async fn fresh(app: &App, resource: &str, n: usize) -> i64 {
    let system = Actor::system();
    // Order classes (issue 4): records that need a class of their own, and a draft run.
    match resource {
        "plan_courses" | "plan_signatories" => {
            let plan = fresh_plan(app, n + 5000).await;
            let def = skillbridge_core::schema::resource(resource).unwrap();
            let mut v = sample(resource, n, &app.fx);
            v.insert("plan_id".into(), json!(plan));
            return app.store.create(&system, def, &v, "t").await.unwrap()["id"]
                .as_i64()
                .unwrap();
        }
        "order_class_programs" | "order_applications" => {
            let class = fresh_class(app, n).await;
            let def = skillbridge_core::schema::resource(resource).unwrap();
            let v = order_sample(resource, class, &app.fx);
            return app.store.create(&system, def, &v, "t").await.unwrap()["id"]
                .as_i64()
                .unwrap();
        }
        "allocation" => {
            let class = fresh_class(app, n).await;
            return app
                .store
                .order_classes()
                .run_allocation(&system, &[class], Some(1), "t")
                .await
                .unwrap()["id"]
                .as_i64()
                .unwrap();
        }
        _ => {}
    }
    if resource == "exchange_participants" {
        let v = participant_sample(app, n).await;
        let def = skillbridge_core::schema::resource(resource).unwrap();
        return app.store.create(&system, def, &v, "t").await.unwrap()["id"]
            .as_i64()
            .unwrap();
    }
    let def = skillbridge_core::schema::resource(resource).unwrap();
    // Records that belong to a parent the fixture does not hold (issue 12): a fresh parent.
    if let Some(v) =
        skillbridge_store::testing::later_sample(&app.store, &app.fx, resource, n).await
    {
        return app.store.create(&system, def, &v, "t").await.unwrap()["id"]
            .as_i64()
            .unwrap();
    }
    let fx = with_parents(app, resource, n).await;
    let mut v = sample(resource, n, &fx);
    if resource == "classes" {
        v.remove("adviser_id");
    }
    if resource == "base_programs" {
        // A base of its own, like b1 (school 1, co-built with o1), so the pair is new.
        let b = sample("training_bases", n, &app.fx);
        let b = app
            .store
            .create(&Actor::system(), &TRAINING_BASES, &b, "t")
            .await
            .unwrap();
        v.insert("base_id".into(), b["id"].clone());
    }
    app.store
        .create(&Actor::system(), def, &v, "t")
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// The fixture with a fresh row (made by [`fresh`]) of each record type that a required reference
/// of `resource` names and the fixture has none of: a module's own parents (a team's competition).
fn with_parents<'a>(
    app: &'a App,
    resource: &'a str,
    n: usize,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = skillbridge_store::testing::Fx> + 'a>> {
    Box::pin(async move {
        let mut fx = app.fx.clone();
        let def = skillbridge_core::schema::resource(resource).unwrap();
        for f in def.fields.iter().filter(|f| f.required) {
            if let skillbridge_core::schema::Kind::Ref(target) = f.kind {
                if fx.row_of(target).is_none() {
                    let id = fresh(app, target, n).await;
                    let t = skillbridge_core::schema::resource(target).unwrap();
                    fx.extra.push((t.name, id));
                }
            }
        }
        fx
    })
}

/// An exchange participant (issue 15): s1 in a fresh exchange program of school 1.
async fn participant_sample(app: &App, n: usize) -> serde_json::Map<String, Value> {
    let programs = skillbridge_core::schema::resource("exchange_programs").unwrap();
    let p = sample("exchange_programs", n, &app.fx);
    let program = app
        .store
        .create(&Actor::system(), programs, &p, "t")
        .await
        .unwrap()["id"]
        .clone();
    json!({"program_id": program, "kind": "student", "student_id": app.fx.student[0]})
        .as_object()
        .cloned()
        .unwrap()
}

/// A one-row spreadsheet (CSV) of a new record, like `sample` but as the file a user uploads.
async fn import_csv(app: &App, resource: &str, n: usize) -> String {
    match resource {
        "students" => format!(
            "学号,姓名,性别,身份证号,专业,班级,入学年份,学籍状态\n2098{n:06},导入学生,{},{},A01,新能源2401,2025,在读\n",
            if n % 2 == 1 { "男" } else { "女" },
            skillbridge_core::ids::make_id_number("500106", "20070202", n as u32 % 1000)
        ),
        "staff" => format!("工号,姓名,性别,双师型\nI{n},导入老师,女,是\n"),
        "organisations" => format!("类型,名称\n政府机关,导入单位{n}\n"),
        "agreements" => format!("协议编号,合作单位,协议类型,协议名称,开始日期,状态\nIM-{n},华龙网集团,框架协议,导入协议,2025-03-01,草拟\n"),
        "equipment" => format!("资产编号,设备名称,状态,所属基地\nIM-EQ-{n},导入设备,在用,汽车实训中心\n"),
        "order_applications" => "学生,订单班,志愿顺序,面试成绩\n2024010001,订单班甲,1,88\n".to_string(),
        _ => generic_import_csv(app, resource, n)
            .await
            .unwrap_or_else(|| panic!("no import file for {resource}")),
    }
}

/// The CSV of [`sample`] for a record type without a hand-written file (a module added later):
/// Chinese headers, coded values by their Chinese labels, references by the referenced record's
/// first file key.
async fn generic_import_csv(app: &App, resource: &str, n: usize) -> Option<String> {
    use skillbridge_core::schema::Kind;
    let system = Actor::system();
    let def = skillbridge_core::schema::resource(resource)?;
    let row = sample(resource, n, &with_parents(app, resource, n).await);
    let (mut head, mut cells) = (Vec::new(), Vec::new());
    for f in def.fields.iter().filter(|f| row.contains_key(f.name)) {
        let v = &row[f.name];
        let cell = match f.kind {
            Kind::Enum(t) => t.label(v.as_str()?, true)?.to_string(),
            Kind::Ref(target) => {
                let tdef = skillbridge_core::schema::resource(target)?;
                let rec = app.store.get(&system, tdef, v.as_i64()?).await.ok()?;
                let key = tdef.ref_keys.first().copied().unwrap_or("name");
                rec[key]
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or(rec[key].to_string())
            }
            _ => v.as_str().map(str::to_string).unwrap_or(v.to_string()),
        };
        head.push(f.zh);
        cells.push(cell);
    }
    Some(format!("{}\n{}\n", head.join(","), cells.join(",")))
}

/// What a refusal may carry: its code, its message (in each language) and field errors.
const REFUSAL_MEMBERS: [&str; 5] = ["code", "message", "message_zh", "message_en", "fields"];

#[tokio::test]
async fn authorization_table_holds() {
    let app = spawn_app().await;
    let fx = app.fx.clone();
    let ofx = order_fixture(&app).await;
    let staff2 = s1_college_mentor(&app).await;
    let att1 = attach_fixture(&app, "students", fx.student[0]).await;
    let sc1 = file_fixture(&app, fx.student[0]).await;
    let (pl1, pl2) = plan_fixture(&app).await;
    let ctx = Ctx {
        att1,
        sc1,
        pl1,
        pl2,
        staff2,
        app: &app,
        fx: &fx,
        ofx: &ofx,
    };
    let mut sessions = Vec::new();
    for r in ROLES {
        sessions.push(app.login_as(r).await);
    }
    let mut n = 1000;
    let mut failures = Vec::new();
    for row in rows() {
        for (i, role) in ROLES.iter().enumerate() {
            n += 1;
            let resource = row.path.split('/').nth(2).unwrap_or("").to_string();
            let id = ctx.target_id(&row, &resource, n).await;
            let mut path = row.path.replace("{id}", &id.to_string());
            if path.ends_with("/utilisation") {
                path.push_str(&format!("?term_id={}", fx.term));
            }
            if path.ends_with("/free") {
                path.push_str("?from=2030-01-07T08:00&to=2030-01-07T10:00");
            }
            if path == "/api/attachments" {
                path.push_str(&format!("?owner=students&owner_id={id}&name=note{n}.txt"));
            }
            let method = Method::from_bytes(row.method.as_bytes()).unwrap();
            let upload = if path.ends_with("/import") {
                let csv = import_csv(&app, &resource, n).await;
                Some(("application/octet-stream", csv.into_bytes()))
            } else if row.method == "POST" && path.starts_with("/api/attachments?") {
                Some(("text/plain", format!("证明材料 {n}").into_bytes()))
            } else {
                None
            };
            if let Some((content_type, bytes)) = upload {
                let reply = sessions[i].send_file(&path, content_type, bytes).await;
                let want = row.expect[i];
                if reply.status.as_u16() != want {
                    failures.push(format!(
                        "{} {} as {role}: got {} want {want}: {}",
                        row.method,
                        path,
                        reply.status.as_u16(),
                        reply.text
                    ));
                }
                continue;
            }
            let body = ctx.body(&row, &path, &resource, role, id, n).await;
            let mut session = sessions[i].clone();
            if path == "/api/auth/logout" {
                session = app.login_as(role).await;
            }
            let reply = session.send(method.clone(), &path, body).await;
            let want = row.expect[i];
            if reply.status.as_u16() != want {
                failures.push(format!(
                    "{} {} [{}] as {role}: got {} want {want}: {}",
                    row.method,
                    path,
                    row.target,
                    reply.status.as_u16(),
                    reply.text
                ));
            }
            if reply.status.is_client_error() {
                let v = reply.json();
                let keys: BTreeSet<&str> = v
                    .as_object()
                    .map(|o| o.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                assert!(
                    keys.is_subset(&BTreeSet::from(REFUSAL_MEMBERS)),
                    "a refusal carries no data: {}",
                    reply.text
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// What a row of the table needs: the fixtures its targets name.
struct Ctx<'a> {
    app: &'a App,
    /// t2: a teacher of school 2 and s1's college mentor (least privilege, issue 9 §8).
    staff2: i64,
    /// att1: a text file attached to s1 (issue 10 §11).
    att1: i64,
    /// sc1: a pending status change of s1 (issue 10 §8).
    sc1: i64,
    /// pl1: a plan in review that ct1 co-signs; pl2: its next version, a draft (issue 12 §2).
    pl1: i64,
    pl2: i64,
    fx: &'a skillbridge_store::testing::Fx,
    ofx: &'a OrderFx,
}

impl Ctx<'_> {
    /// The id a row's target names; "new" creates a fresh record to act on.
    async fn target_id(&self, row: &Row, resource: &str, n: usize) -> i64 {
        match row.target.as_str() {
            "s1" => self.fx.student[0],
            "s2" => self.fx.student[1],
            "p1" => self.fx.program[0],
            "p2" => self.fx.program[1],
            "c1" => self.fx.class[0],
            "c2" => self.fx.class[1],
            "t1" => self.fx.teacher,
            "o1" => self.fx.org[0],
            "o2" => self.fx.org[1],
            "a1" => self.fx.agreement,
            "ct1" => self.fx.mentor_contact,
            "ct2" => self.fx.hr_contact,
            "t2" => self.staff2,
            "m1" => self.fx.mentor_row,
            "user" => self.fx.spare_user,
            "b1" => self.fx.base[0],
            "b2" => self.fx.base[1],
            "e1" => self.fx.equipment,
            "k1" => self.fx.booking,
            "oc1" => self.ofx.class_a,
            "oc2" => self.ofx.class_b,
            "ocp1" => self.ofx.program_link,
            "app1" => self.ofx.app1,
            "app2" => self.ofx.app2,
            "r1" => self.ofx.run,
            "of1" => self.ofx.offer1,
            "of2" => self.ofx.offer2,
            "att1" => self.att1,
            "sc1" => self.sc1,
            "pl1" => self.pl1,
            "pl2" => self.pl2,
            "fs" => fresh(self.app, "students", n).await,
            "new" if resource == "status_changes" => {
                let student = fresh(self.app, "students", n).await;
                file_fixture(self.app, student).await
            }
            "any" if resource == "terms" => self.fx.term,
            "any" if resource == "academic_years" => self.fx.year,
            "any" => 1,
            "new" if row.path.starts_with("/api/allocation/") => {
                fresh(self.app, "allocation", n).await
            }
            "new" => fresh(self.app, resource, n).await,
            _ => 0,
        }
    }

    /// The request body for a row, as the role sends it.
    async fn body(
        &self,
        row: &Row,
        path: &str,
        resource: &str,
        role: &str,
        id: i64,
        n: usize,
    ) -> Option<Value> {
        match (row.method.as_str(), path) {
            // A wrong current password: refused on its field, whoever asks.
            ("POST", "/api/auth/password") => Some(json!({
                "current_password": format!("not-the-password-{n}"),
                "new_password": "Another-Long-Passphrase-2026",
            })),
            // Batch work (issue 10 §6): a valid operation on an empty selection, so that the
            // permission (403) is decided before the selection is read (422 for those allowed).
            ("POST", p) if p.ends_with("/batch") => {
                let def = skillbridge_core::schema::resource(resource).unwrap();
                Some(
                    match skillbridge_core::batch::settable_fields(def).first() {
                        Some(f) => {
                            let value = match f.kind {
                                skillbridge_core::schema::Kind::Enum(t) => json!(t.codes().next()),
                                _ => json!(null),
                            };
                            json!({"op": "set", "field": f.name, "value": value, "ids": []})
                        }
                        None => {
                            let (t, _) = skillbridge_core::batch::links(def)[0];
                            json!({"op": "link", "target": t.name, "values": {}, "ids": []})
                        }
                    },
                )
            }
            ("POST", p) if p.ends_with("/export/full") => {
                Some(json!({"format": "csv", "reason": "上报教育厅数据"}))
            }
            ("POST", "/api/auth/login") => {
                Some(json!({"username": role, "password": "wrong password"}))
            }
            ("POST", "/api/users") => Some(
                json!({"username": format!("new{n}"), "display_name": "新用户", "password": "a long enough passphrase", "roles": []}),
            ),
            ("POST", p) if p.ends_with("/password") => {
                Some(json!({"password": "another long passphrase"}))
            }
            ("POST", p) if p.ends_with("/reveal") => {
                Some(json!({"field": "phone", "reason": "核对联系方式"}))
            }
            // To-dos and preferences (issue 10)
            ("POST", "/api/todos/read") => Some(json!({})),
            ("PUT", "/api/me/preferences") => Some(
                json!({"language": "en", "email_enabled": true, "email": format!("{role}@example.edu.cn")}),
            ),
            // Order classes (issue 4)
            ("POST", "/api/order_class_programs" | "/api/order_applications") => {
                let class = fresh_class(self.app, n).await;
                Some(Value::Object(order_sample(resource, class, self.fx)))
            }
            ("POST", "/api/allocation_runs" | "/api/order_offers") => Some(json!({})),
            // Plans (issue 12 §2): a course or signatory of a fresh draft plan.
            ("POST", "/api/plan_courses" | "/api/plan_signatories") => {
                let plan = fresh_plan(self.app, n + 5000).await;
                let mut v = sample(resource, n, self.fx);
                v.insert("plan_id".into(), json!(plan));
                Some(Value::Object(v))
            }
            ("POST", p) if p.starts_with("/api/plans/") => Some(json!({})),
            ("POST", "/api/allocation/runs") => {
                Some(json!({"order_class_ids": [self.ofx.class_a]}))
            }
            ("POST", p) if p.ends_with("/publish") => Some(json!({"respond_by": "2099-12-31"})),
            ("POST", p)
                if p.starts_with("/api/allocation/")
                    || p.starts_with("/api/order_offers/") && !p.ends_with("s") =>
            {
                None
            }
            ("PUT", "/api/order_choices") => Some(
                json!({"order_class_ids": [self.ofx.class_a, self.ofx.class_c, self.ofx.class_e]}),
            ),
            ("PUT", p) if p.ends_with("/scores") => {
                let app_id = if id == self.ofx.class_a {
                    self.ofx.app1
                } else {
                    self.ofx.app2
                };
                Some(json!({"scores": [{"application_id": app_id, "interview_score": 80}]}))
            }
            ("POST", "/api/status_changes/file") => Some(
                json!({"student_id": id, "change_type": "suspend", "reason": "因病休学", "effective_date": "2099-09-01"}),
            ),
            ("POST", p) if p.starts_with("/api/status_changes/") => {
                Some(json!({"note": "材料齐全"}))
            }
            ("POST", "/api/exchange_participants") => {
                Some(Value::Object(participant_sample(self.app, n).await))
            }
            ("POST", _) if row.path.starts_with("/api/") && !row.path.starts_with("/api/auth/") => {
                let later =
                    skillbridge_store::testing::later_sample(&self.app.store, self.fx, resource, n)
                        .await;
                Some(Value::Object(match later {
                    Some(v) => v,
                    None => sample(resource, n, &with_parents(self.app, resource, n).await),
                }))
            }
            ("PATCH", _) => Some(json!({})),
            _ => None,
        }
    }
}

/// The order class fixture of the table (issue 4): classes A (o1) and B (o2) open for scoring,
/// with s1 and s2 applying; classes C (o1) and D (o2) allocated in run r1 and published, where
/// s2 declined (so r1 can be refilled) and s1's offer is `of1`; class E (o1) in another published
/// run, where s1's offer is `of2`.
struct OrderFx {
    class_a: i64,
    class_b: i64,
    class_c: i64,
    class_e: i64,
    program_link: i64,
    app1: i64,
    app2: i64,
    run: i64,
    offer1: i64,
    offer2: i64,
}

fn order_sample(
    resource: &str,
    class: i64,
    fx: &skillbridge_store::testing::Fx,
) -> serde_json::Map<String, Value> {
    let v = match resource {
        "order_class_programs" => json!({"order_class_id": class, "program_id": fx.program[1]}),
        "order_applications" => {
            json!({"student_id": fx.student[0], "order_class_id": class, "student_rank": 4, "status": "submitted"})
        }
        other => panic!("no order sample for {other}"),
    };
    v.as_object().cloned().unwrap()
}

/// Runs the allocation over the order classes (seed 7) and publishes it; returns the run.
async fn run_and_publish(app: &App, classes: &[i64]) -> i64 {
    let system = Actor::system();
    let run = app
        .store
        .order_classes()
        .run_allocation(&system, classes, Some(7), "fixture")
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    app.store
        .order_classes()
        .publish_run(&system, run, "2099-12-31", "fixture")
        .await
        .unwrap();
    run
}

async fn order_fixture(app: &App) -> OrderFx {
    use skillbridge_core::access::Role;
    use ORDER_APPLICATIONS;
    use ORDER_CLASSES;
    use ORDER_CLASS_PROGRAMS;
    use ORDER_OFFERS;
    let system = Actor::system();
    let fx = &app.fx;
    let mk = |def: &'static skillbridge_core::schema::ResourceDef, v: Value| {
        let store = app.store.clone();
        let system = system.clone();
        async move {
            store
                .create(&system, def, v.as_object().unwrap(), "fixture")
                .await
                .unwrap()["id"]
                .as_i64()
                .unwrap()
        }
    };
    let class = |name: &str, org: i64| json!({"name": name, "org_id": org, "seats": 5, "entry_years": "2024", "opens_on": "2025-01-01", "closes_on": "2099-12-31", "interview_required": false, "status": "open"});
    let a = mk(&ORDER_CLASSES, class("订单班甲", fx.org[0])).await;
    let b = mk(&ORDER_CLASSES, class("订单班乙", fx.org[1])).await;
    let c = mk(&ORDER_CLASSES, class("订单班丙", fx.org[0])).await;
    let d = mk(&ORDER_CLASSES, class("订单班丁", fx.org[1])).await;
    let e = mk(&ORDER_CLASSES, class("订单班戊", fx.org[0])).await;
    let link = mk(
        &ORDER_CLASS_PROGRAMS,
        json!({"order_class_id": a, "program_id": fx.program[0]}),
    )
    .await;
    for (cl, p) in [(b, 1), (c, 0), (d, 1), (e, 0)] {
        mk(
            &ORDER_CLASS_PROGRAMS,
            json!({"order_class_id": cl, "program_id": fx.program[p]}),
        )
        .await;
    }
    let apply = |s: i64, cl: i64, rank: i64| json!({"student_id": s, "order_class_id": cl, "student_rank": rank, "status": "submitted"});
    let app1 = mk(&ORDER_APPLICATIONS, apply(fx.student[0], a, 1)).await;
    let app2 = mk(&ORDER_APPLICATIONS, apply(fx.student[1], b, 1)).await;
    mk(&ORDER_APPLICATIONS, apply(fx.student[0], c, 2)).await;
    mk(&ORDER_APPLICATIONS, apply(fx.student[1], d, 2)).await;
    mk(&ORDER_APPLICATIONS, apply(fx.student[0], e, 3)).await;
    let run = run_and_publish(app, &[c, d]).await;
    run_and_publish(app, &[e]).await;
    let offers = app
        .store
        .list(
            &system,
            &ORDER_OFFERS,
            &skillbridge_store::ListQuery {
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .items;
    let offer = |s: i64, cl: i64| {
        offers
            .iter()
            .find(|o| o["student_id"] == json!(s) && o["order_class_id"] == json!(cl))
            .unwrap_or_else(|| panic!("no offer for student {s} at {cl}: {offers:?}"))["id"]
            .as_i64()
            .unwrap()
    };
    let s2 = Actor {
        user_id: None,
        username: "s2".into(),
        roles: vec![Role::Student {
            student_id: fx.student[1],
        }],
    };
    app.store
        .order_classes()
        .respond_offer(&s2, offer(fx.student[1], d), false, "fixture")
        .await
        .unwrap();
    OrderFx {
        class_a: a,
        class_b: b,
        class_c: c,
        class_e: e,
        program_link: link,
        app1,
        app2,
        run,
        offer1: offer(fx.student[0], c),
        offer2: offer(fx.student[0], e),
    }
}
