//! Subject access through the API (issue 11, item 5; SECURITY goal 22), on SQLite or, with
//! `SKILLBRIDGE_TEST_DATABASE_URL`, PostgreSQL.
//!
//! Student A (the fixture's `student`, s1) downloads everything held about them, as JSON and as
//! `.xlsx`: their own personal fields in full, their mentor by name, their order-class choice,
//! the audit entries about them; every personal field the registry lists for the record types
//! in the download; and none of any other student's ID number, phone or name, nor the personal
//! fields of the people their records name. The workbook opens (read back with calamine), and
//! each download is audited as `subject_access`. The registry route answers administrators.

mod common;
use calamine::{Reader, Xlsx};
use common::*;
use serde_json::{json, Value};
use skillbridge_core::access::Actor;
use skillbridge_core::ids::make_id_number;
use skillbridge_core::modules::college::STUDENTS;
use skillbridge_core::modules::order_classes::{
    ORDER_APPLICATIONS, ORDER_CLASSES, ORDER_CLASS_PROGRAMS,
};
use skillbridge_core::modules::partners::MENTORS;
use skillbridge_core::personal_data::entries;

/// Other students, each with a mentor and an order-class choice, whose values must not appear
/// in A's download: (name, ID number, phone).
async fn others(app: &App, class: i64) -> Vec<(String, String, String)> {
    let sys = Actor::system();
    let mut out = vec![(
        "陈小红".to_string(),
        make_id_number("510104", "20060511", 22),
        "13712345678".to_string(),
    )];
    for n in 0..4u32 {
        let name = format!("刘同学{n}");
        let id = make_id_number("500103", "20060720", 300 + n);
        let phone = format!("1591234000{n}");
        let rec = json!({"student_no": format!("20240199{n:02}"), "name": name, "gender": "1",
            "id_number": id, "phone": phone, "home_region": "500103", "address": format!("重庆市渝中区解放碑{n}号"),
            "program_id": app.fx.program[0], "class_id": app.fx.class[0], "entry_year": 2024, "status": "enrolled"});
        let s = app
            .store
            .create(&sys, &STUDENTS, rec.as_object().unwrap(), "t")
            .await
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        app.store
            .create(
                &sys,
                &MENTORS,
                json!({"student_id": s, "kind": "enterprise", "contact_id": app.fx.mentor_contact, "start_date": "2025-03-01"})
                    .as_object()
                    .unwrap(),
                "t",
            )
            .await
            .unwrap();
        app.store
            .create(
                &sys,
                &ORDER_APPLICATIONS,
                json!({"student_id": s, "order_class_id": class, "student_rank": 1, "status": "submitted"})
                    .as_object()
                    .unwrap(),
                "t",
            )
            .await
            .unwrap();
        out.push((name, id, phone));
    }
    out
}

fn xlsx_text(bytes: &[u8]) -> (Vec<String>, String) {
    let mut wb = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("the workbook opens");
    let names = wb.sheet_names().to_vec();
    let mut text = String::new();
    for n in &names {
        let range = wb.worksheet_range(n).expect("a sheet");
        for row in range.rows() {
            for c in row {
                text.push_str(&c.to_string());
                text.push('\t');
            }
            text.push('\n');
        }
    }
    (names, text)
}

/// An order class open to s1's program, and A's (s1's) choice of it; returns the class.
async fn order_class_with_choice(app: &App) -> i64 {
    let sys = Actor::system();
    let class = app
        .store
        .create(&sys, &ORDER_CLASSES, json!({"name": "长安新能源订单班", "org_id": app.fx.org[0], "seats": 2,
            "entry_years": "2024", "opens_on": "2025-01-01", "closes_on": "2099-12-31", "interview_required": false, "status": "open"})
            .as_object().unwrap(), "t")
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    app.store
        .create(
            &sys,
            &ORDER_CLASS_PROGRAMS,
            json!({"order_class_id": class, "program_id": app.fx.program[0]})
                .as_object()
                .unwrap(),
            "t",
        )
        .await
        .unwrap();
    let a = app.fx.student[0];
    app.store
        .create(
            &sys,
            &ORDER_APPLICATIONS,
            json!({"student_id": a, "order_class_id": class, "student_rank": 1, "status": "submitted"})
                .as_object()
                .unwrap(),
            "t",
        )
        .await
        .unwrap();
    class
}

#[tokio::test]
async fn a_student_downloads_all_their_own_data_and_nobody_elses() {
    let app = spawn_app().await;
    let class = order_class_with_choice(&app).await;
    let a = app.fx.student[0];
    let others = others(&app, class).await;
    let own_id = make_id_number("500106", "20060301", 11);

    let student = app.login_as("student").await;
    let r = student.get("/api/me/data").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert!(r.headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let d = r.json();
    // Their own record, personal fields in full.
    assert_eq!(d["student_id"], json!(a));
    assert_eq!(d["student"]["id_number"], json!(own_id));
    assert_eq!(d["student"]["phone"], json!("13812345678"));
    assert_eq!(
        d["student"]["address"],
        json!("重庆市沙坪坝区大学城东路20号")
    );
    assert_eq!(d["student"]["home_region"], json!("500106"));
    // Their account, without secrets.
    assert_eq!(d["account"]["username"], json!("student"));
    for k in ["password_hash", "totp_secret", "token"] {
        assert!(!r.text.contains(k), "{k} in the download");
    }
    // Every record that refers to them: their mentor (by name only) and their order choice.
    let section = |name: &str| -> Vec<Value> {
        d["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["resource"] == name)
            .map(|s| s["records"].as_array().unwrap().clone())
            .unwrap_or_default()
    };
    let mentors = section("mentors");
    assert_eq!(mentors.len(), 1, "{mentors:?}");
    assert_eq!(mentors[0]["_labels"]["contact_id"], json!("赵工"));
    let choices = section("order_applications");
    assert_eq!(choices.len(), 1);
    assert_eq!(choices[0]["student_id"], json!(a));
    // Every record names A, or holds A's own value of the field it is linked through (the
    // bookings of their class).
    for s in d["sections"].as_array().unwrap() {
        let want = match s["through"].as_str() {
            None => json!(a),
            Some(f) => d["student"][f].clone(),
        };
        for rec in s["records"].as_array().unwrap() {
            assert_eq!(rec[s["via"].as_str().unwrap()], want, "{s}");
        }
    }
    let bookings = section("bookings");
    assert_eq!(bookings.len(), 1, "the booking of A's class: {bookings:?}");
    assert_eq!(bookings[0]["id"], json!(app.fx.booking));
    // The mentor's own personal fields are not A's data.
    for v in ["13600001111", "zhaogong@changan.com.cn"] {
        assert!(!r.text.contains(v), "the mentor's {v} in A's download");
    }
    // Every registry field of the record types in the download is there.
    let mut types = vec!["students".to_string()];
    types.extend(
        d["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["resource"].as_str().unwrap().to_string()),
    );
    let mut checked = 0;
    for e in entries()
        .iter()
        .filter(|e| types.iter().any(|t| t == e.resource))
    {
        let rec = if e.resource == "students" {
            d["student"].clone()
        } else {
            section(e.resource)[0].clone()
        };
        assert!(
            rec.get(e.field).is_some_and(|v| !v.is_null()),
            "registry field {}.{} missing from the download",
            e.resource,
            e.field
        );
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} registry fields checked");
    // Nobody else's values.
    for (name, id, phone) in &others {
        for v in [name, id, phone] {
            assert!(!r.text.contains(v.as_str()), "{v} in A's JSON download");
        }
    }

    workbook(&student, &own_id, &others).await;
    audited_and_own_only(&app, &student, a).await;
}

/// The same download as a workbook: it opens, holds A's values and nobody else's.
async fn workbook(student: &Session, own_id: &str, others: &[(String, String, String)]) {
    // The same as a workbook.
    let x = student.get("/api/me/data?format=xlsx").await;
    assert_eq!(x.status, 200, "{}", x.text);
    assert_eq!(
        x.headers["content-type"].to_str().unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = student
        .http
        .get(format!("{}/api/me/data?format=xlsx", student.base))
        .header("origin", &student.base)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let (sheets, text) = xlsx_text(&bytes);
    assert!(sheets.len() >= 5, "{sheets:?}");
    for v in [
        own_id,
        "13812345678",
        "重庆市沙坪坝区大学城东路20号",
        "王小明",
        "赵工",
    ] {
        assert!(text.contains(v), "{v} missing from the workbook");
    }
    for (name, id, phone) in others {
        for v in [name, id, phone] {
            assert!(!text.contains(v.as_str()), "{v} in A's workbook");
        }
    }
    for v in ["13600001111", "zhaogong@changan.com.cn"] {
        assert!(!text.contains(v), "the mentor's {v} in A's workbook");
    }
}

/// Each download is audited with the student as the object; nobody else downloads A's data.
async fn audited_and_own_only(app: &App, student: &Session, a: i64) {
    let admin = app.login_as("admin").await;
    let audit = admin.get("/api/audit?action=subject_access").await.json();
    let items = audit["items"].as_array().unwrap();
    assert_eq!(items.len(), 3, "{audit}");
    for e in items {
        assert_eq!(e["object"], json!(format!("students/{a}")));
        assert!(e["actor"].as_str().unwrap().starts_with("user:"));
    }
    let details: Vec<&str> = items.iter().filter_map(|e| e["detail"].as_str()).collect();
    assert!(details.contains(&"json") && details.contains(&"xlsx"));

    // Nobody else downloads A's data (the route names no student), and a bad format is named.
    for role in ["admin", "teacher", "mentor", "sa1"] {
        let s = app.login_as(role).await;
        assert_eq!(s.get("/api/me/data").await.status, 403, "{role}");
    }
    let bad = student.get("/api/me/data?format=pdf").await;
    assert_eq!(bad.status, 422);
    assert!(bad.text.contains("format"), "{}", bad.text);
}

#[tokio::test]
async fn administrators_read_the_registry() {
    let app = spawn_app().await;
    let admin = app.login_as("admin").await;
    let r = admin.get("/api/privacy/registry").await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    let id = v
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["resource"] == "students" && e["field"] == "id_number")
        .expect("students.id_number in the registry");
    assert_eq!(id["basis"], json!("legal_duty"));
    assert!(id["revealers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["role"] == "admin"));
    assert_eq!(v.as_array().unwrap().len(), entries().len());
    let teacher = app.login_as("teacher").await;
    assert_eq!(teacher.get("/api/privacy/registry").await.status, 403);
}
