//! The authorization table (SECURITY goal 7): every route × every role × the relation of the
//! target row, with the expected status. A route of the router missing from this table fails.
//! Every refusal must carry no data.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeSet;

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
POST   /api/auth/login            none  401 401 401 401 401 401 401 401 401 401
POST   /api/auth/logout           none  401 204 204 204 204 204 204 204 204 204
GET    /api/me                    none  401 200 200 200 200 200 200 200 200 200
GET    /api/meta                  none  401 200 200 200 200 200 200 200 200 200
GET    /api/{R}/template  R=students,staff,organisations,agreements
                                  none  401 200 200 200 200 200 200 200 200 200
GET    /api/{R}/export  R=students,organisations
                                  none  401 200 200 200 200 200 200 200 200 200
GET    /api/staff/export          none  401 200 200 200 200 200 200 403 403 403
GET    /api/agreements/export     none  401 200 200 200 200 200 403 200 200 403
POST   /api/students/export/full  none  401 200 403 200 200 403 403 403 403 403
POST   /api/{R}/export/full  R=staff,organisations,agreements
                                  none  401 200 403 200 403 200 403 403 403 403
POST   /api/students/import       none  401 200 403 200 200 403 403 403 403 403
POST   /api/staff/import          none  401 200 403 200 403 403 403 403 403 403
POST   /api/{R}/import  R=organisations,agreements
                                  none  401 200 403 403 403 200 403 403 403 403
GET    /api/users                 none  401 200 403 403 403 403 403 403 403 403
POST   /api/users                 none  401 201 403 403 403 403 403 403 403 403
GET    /api/users/{id}            user  401 200 403 403 403 403 403 403 403 403
PATCH  /api/users/{id}            user  401 200 403 403 403 403 403 403 403 403
POST   /api/users/{id}/password   user  401 204 403 403 403 403 403 403 403 403
GET    /api/audit                 none  401 200 200 403 403 403 403 403 403 403
GET    /api/audit/verify          none  401 200 200 403 403 403 403 403 403 403
GET    /api/{R}       R=regions,countries,industries,key_industries,schools,academic_years,terms,programs,students,organisations,mentors
                                  none  401 200 200 200 200 200 200 200 200 200
GET    /api/{R}/{id}  R=regions,countries,industries,key_industries
                                  any   401 200 200 200 200 200 200 200 200 200
POST   /api/{R}       R=regions,countries,industries
                                  none  401 201 403 403 403 403 403 403 403 403
PATCH  /api/{R}/{id}  R=regions,countries,industries
                                  any   401 200 403 403 403 403 403 403 403 403
DELETE /api/{R}/{id}  R=regions,countries,industries
                                  new   401 204 403 403 403 403 403 403 403 403
POST   /api/key_industries        none  401 201 403 403 403 201 403 403 403 403
PATCH  /api/key_industries/{id}   any   401 200 403 403 403 200 403 403 403 403
DELETE /api/key_industries/{id}   new   401 204 403 403 403 204 403 403 403 403
GET    /api/{R}/{id}  R=schools,academic_years,terms
                                  any   401 200 200 200 200 200 200 200 200 200
POST   /api/{R}       R=schools,academic_years,terms
                                  none  401 201 403 201 403 403 403 403 403 403
PATCH  /api/{R}/{id}  R=schools,academic_years,terms
                                  any   401 200 403 200 403 403 403 403 403 403
DELETE /api/{R}/{id}  R=schools,academic_years,terms
                                  new   401 204 403 204 403 403 403 403 403 403
GET    /api/programs/{id}         p1    401 200 200 200 200 200 200 200 200 200
GET    /api/programs/{id}         p2    401 200 200 200 404 200 200 200 200 200
POST   /api/programs              none  401 201 403 201 403 403 403 403 403 403
PATCH  /api/programs/{id}         p1    401 200 403 200 403 403 403 403 403 403
PATCH  /api/programs/{id}         p2    401 200 403 200 404 403 403 403 403 403
DELETE /api/programs/{id}         new   401 204 403 204 403 403 403 403 403 403
GET    /api/classes               none  401 200 200 200 200 200 200 403 403 200
GET    /api/classes/{id}          c1    401 200 200 200 200 200 200 403 403 200
GET    /api/classes/{id}          c2    401 200 200 200 404 200 404 403 403 404
POST   /api/classes               none  401 201 403 201 403 403 403 403 403 403
PATCH  /api/classes/{id}          c1    401 200 403 200 403 403 403 403 403 403
DELETE /api/classes/{id}          new   401 204 403 204 403 403 404 403 403 404
GET    /api/students/{id}         s1    401 200 200 200 200 200 200 200 404 200
GET    /api/students/{id}         s2    401 200 200 200 404 200 200 404 404 404
POST   /api/students              none  401 201 403 201 201 403 403 403 403 403
PATCH  /api/students/{id}         s1    401 200 403 200 200 403 403 403 404 403
PATCH  /api/students/{id}         s2    401 200 403 200 404 403 403 404 404 404
DELETE /api/students/{id}         new   401 204 403 204 204 403 403 404 404 404
POST   /api/students/{id}/reveal  s1    401 200 403 200 200 403 403 403 404 403
POST   /api/students/{id}/reveal  s2    401 200 403 200 404 403 403 404 404 404
GET    /api/mentors/{id}          m1    401 200 200 200 200 200 404 200 404 200
POST   /api/mentors               none  401 201 403 201 201 403 403 403 403 403
PATCH  /api/mentors/{id}          m1    401 200 403 200 200 403 404 403 404 403
DELETE /api/mentors/{id}          new   401 204 403 204 204 403 403 404 404 403
GET    /api/staff                 none  401 200 200 200 200 200 200 403 403 403
GET    /api/staff/{id}            t1    401 200 200 200 200 200 200 403 403 403
POST   /api/staff                 none  401 201 403 201 403 403 403 403 403 403
PATCH  /api/staff/{id}            t1    401 200 403 200 403 403 403 403 403 403
DELETE /api/staff/{id}            new   401 204 403 204 403 403 403 403 403 403
POST   /api/staff/{id}/reveal     t1    401 200 403 200 403 200 403 403 403 403
GET    /api/organisations/{id}    o1    401 200 200 200 200 200 200 200 404 200
GET    /api/organisations/{id}    o2    401 200 200 200 200 200 200 404 200 200
POST   /api/organisations         none  401 201 403 403 403 201 403 403 403 403
PATCH  /api/organisations/{id}    o1    401 200 403 403 403 200 403 403 404 403
DELETE /api/organisations/{id}    new   401 204 403 403 403 204 403 404 404 403
GET    /api/agreements            none  401 200 200 200 200 200 403 200 200 403
GET    /api/agreements/{id}       a1    401 200 200 200 200 200 403 200 404 403
POST   /api/agreements            none  401 201 403 403 403 201 403 403 403 403
PATCH  /api/agreements/{id}       a1    401 200 403 403 403 200 403 403 404 403
DELETE /api/agreements/{id}       new   401 204 403 403 403 204 403 403 404 403
GET    /api/contacts              none  401 200 200 200 200 200 200 200 200 403
GET    /api/contacts/{id}         ct1   401 200 200 200 200 200 200 200 404 403
POST   /api/contacts              none  401 201 403 403 403 201 403 403 403 403
PATCH  /api/contacts/{id}         ct1   401 200 403 403 403 200 403 403 404 403
DELETE /api/contacts/{id}         new   401 204 403 403 403 204 403 403 404 403
POST   /api/contacts/{id}/reveal  ct1   401 200 403 200 403 200 403 403 404 403
GET    /api/{R}       R=training_bases,base_programs,equipment,bookings
                                  none  401 200 200 200 200 200 200 200 200 200
GET    /api/training_bases/{id}   b1    401 200 200 200 200 200 200 200 404 200
GET    /api/training_bases/{id}   b2    401 200 200 200 200 200 200 404 200 200
POST   /api/{R}       R=training_bases,base_programs,equipment
                                  none  401 201 403 201 403 403 403 403 403 403
PATCH  /api/training_bases/{id}   b1    401 200 403 200 403 403 403 403 404 403
DELETE /api/{R}/{id}  R=training_bases,base_programs,equipment
                                  new   401 204 403 204 403 403 403 403 404 403
GET    /api/{R}/{id}  R=base_programs,bookings
                                  new   401 200 200 200 200 200 200 200 404 200
PATCH  /api/base_programs/{id}    new   401 200 403 200 403 403 403 403 404 403
GET    /api/equipment/{id}        e1    401 200 200 200 200 200 200 200 404 200
PATCH  /api/equipment/{id}        e1    401 200 403 200 403 403 403 403 404 403
GET    /api/bookings/{id}         k1    401 200 200 200 200 200 200 200 404 200
POST   /api/bookings              none  401 201 403 201 403 403 201 403 403 403
PATCH  /api/bookings/{id}         k1    401 200 403 200 403 403 200 403 404 403
DELETE /api/bookings/{id}         new   401 204 403 204 403 403 204 403 404 403
GET    /api/training_bases/utilisation
                                  none  401 200 200 200 200 200 200 200 200 200
GET    /api/training_bases/{id}/bookings
                                  b1    401 200 200 200 200 200 200 200 404 200
GET    /api/training_bases/{id}/calendar.ics
                                  b2    401 200 200 200 200 200 200 404 200 200
GET    /api/equipment/template    none  401 200 200 200 200 200 200 200 200 200
GET    /api/equipment/export      none  401 200 200 200 200 200 200 200 200 200
POST   /api/equipment/export/full none  401 200 403 403 403 403 403 403 403 403
POST   /api/equipment/import      none  401 200 403 200 403 403 403 403 403 403
";

struct Row {
    method: String,
    path: String,
    target: String,
    expect: Vec<u16>,
}

fn rows() -> Vec<Row> {
    let mut out = Vec::new();
    let text = TABLE.replace("\n                                  ", " ");
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
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

/// Makes a fresh row for a delete attempt, with s1-like relations.
async fn fresh(app: &App, resource: &str, n: usize) -> i64 {
    let def = skillbridge_core::schema::resource(resource).unwrap();
    let mut v = sample(resource, n, &app.fx);
    if resource == "classes" {
        v.remove("adviser_id");
    }
    if resource == "base_programs" {
        // A base of its own, like b1 (school 1, co-built with o1), so the pair is new.
        let b = sample("training_bases", n, &app.fx);
        let b = app
            .store
            .create(
                &skillbridge_core::access::Actor::system(),
                &skillbridge_core::schema::TRAINING_BASES,
                &b,
                "t",
            )
            .await
            .unwrap();
        v.insert("base_id".into(), b["id"].clone());
    }
    app.store
        .create(&skillbridge_core::access::Actor::system(), def, &v, "t")
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// A one-row spreadsheet (CSV) of a new record, like `sample` but as the file a user uploads.
fn import_csv(resource: &str, n: usize) -> String {
    match resource {
        "students" => format!(
            "学号,姓名,性别,身份证号,专业,班级,入学年份,学籍状态\n2098{n:06},导入学生,男,{},A01,新能源2401,2025,在读\n",
            skillbridge_core::ids::make_id_number("500106", "20070202", n as u32 % 1000)
        ),
        "staff" => format!("工号,姓名,性别,双师型\nI{n},导入老师,女,是\n"),
        "organisations" => format!("类型,名称\n政府机关,导入单位{n}\n"),
        "agreements" => format!("协议编号,合作单位,协议类型,协议名称,开始日期,状态\nIM-{n},华龙网集团,框架协议,导入协议,2025-03-01,草拟\n"),
        "equipment" => format!("资产编号,设备名称,状态,所属基地\nIM-EQ-{n},导入设备,在用,汽车实训中心\n"),
        other => panic!("{other} is not importable"),
    }
}

#[tokio::test]
async fn authorization_table_holds() {
    let app = spawn_app().await;
    let fx = app.fx.clone();
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
            let id = match row.target.as_str() {
                "s1" => fx.student[0],
                "s2" => fx.student[1],
                "p1" => fx.program[0],
                "p2" => fx.program[1],
                "c1" => fx.class[0],
                "c2" => fx.class[1],
                "t1" => fx.teacher,
                "o1" => fx.org[0],
                "o2" => fx.org[1],
                "a1" => fx.agreement,
                "ct1" => fx.mentor_contact,
                "m1" => fx.mentor_row,
                "user" => fx.spare_user,
                "b1" => fx.base[0],
                "b2" => fx.base[1],
                "e1" => fx.equipment,
                "k1" => fx.booking,
                "any" if resource == "terms" => fx.term,
                "any" if resource == "academic_years" => fx.year,
                "any" => 1,
                "new" => fresh(&app, &resource, n).await,
                _ => 0,
            };
            let mut path = row.path.replace("{id}", &id.to_string());
            if path.ends_with("/utilisation") {
                path.push_str(&format!("?term_id={}", fx.term));
            }
            let method = Method::from_bytes(row.method.as_bytes()).unwrap();
            if path.ends_with("/import") {
                let reply = sessions[i]
                    .send_bytes(&path, import_csv(&resource, n).into_bytes())
                    .await;
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
            let body: Option<Value> = match (row.method.as_str(), path.as_str()) {
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
                ("POST", _) if row.path.starts_with("/api/") && !row.path.contains("auth") => {
                    Some(Value::Object(sample(&resource, n, &fx)))
                }
                ("PATCH", _) => Some(json!({})),
                _ => None,
            };
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
                    keys.is_subset(&BTreeSet::from(["code", "message", "fields"])),
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
