//! References in scope and cross-record consistency (issue 9 §6), and hidden field groups
//! (§8), through the API: each out-of-scope reference the issue observed is refused exactly
//! like a reference to a record that does not exist, so a write is no oracle.

use super::common::*;
use reqwest::Method;
use serde_json::{json, Value};

const NOWHERE: i64 = 999_999;

/// The field errors of a refusal, as (field, code).
fn field_codes(r: &Reply) -> Vec<(String, String)> {
    r.json()["fields"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["field"].as_str().unwrap_or("").to_string(),
                        f["code"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Sends the same write with `field` set to an out-of-scope id and to an id that exists nowhere,
/// and checks that both are refused the same way: 422, `not_found` on that field, and the same
/// body once the ids are taken out.
async fn refused_like_nowhere(
    s: &Session,
    method: Method,
    path: &str,
    mut body: Value,
    field: &str,
    outside: i64,
) {
    body[field] = json!(outside);
    let out = s.send(method.clone(), path, Some(body.clone())).await;
    body[field] = json!(NOWHERE);
    let none = s.send(method, path, Some(body)).await;
    assert_eq!(out.status, 422, "{path} {field}={outside}: {}", out.text);
    assert_eq!(
        field_codes(&out),
        vec![(field.to_string(), "not_found".to_string())],
        "{}",
        out.text
    );
    assert_eq!(
        out.text.replace(&outside.to_string(), "ID"),
        none.text.replace(&NOWHERE.to_string(), "ID"),
        "an out-of-scope reference must read like a missing one"
    );
}

#[tokio::test]
async fn a_school_office_cannot_move_a_student_into_another_schools_class() {
    let app = spawn_app().await;
    let fx = app.fx.clone();
    let sa1 = app.login_as("sa1").await;
    // Class 2 belongs to school 2: sa1 cannot read it...
    let c2 = sa1
        .send(Method::GET, &format!("/api/classes/{}", fx.class[1]), None)
        .await;
    assert_eq!(c2.status, 404);
    // ...and so cannot name it (this was 200 before issue 9).
    let path = format!("/api/students/{}", fx.student[0]);
    refused_like_nowhere(
        &sa1,
        Method::PATCH,
        &path,
        json!({}),
        "class_id",
        fx.class[1],
    )
    .await;
    // Nor enrol a new student there.
    let mut new = sample("students", 7, &fx);
    new.remove("class_id");
    refused_like_nowhere(
        &sa1,
        Method::POST,
        "/api/students",
        Value::Object(new),
        "class_id",
        fx.class[1],
    )
    .await;
    // Nothing moved.
    let admin = app.login_as("admin").await;
    let s1 = admin.send(Method::GET, &path, None).await.json();
    assert_eq!(s1["class_id"], json!(fx.class[0]));
    // Its own school's class is fine.
    let ok = sa1
        .send(Method::PATCH, &path, Some(json!({"class_id": fx.class[0]})))
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
}

#[tokio::test]
async fn a_students_program_is_their_classs_program() {
    let app = spawn_app().await;
    let fx = app.fx.clone();
    // College-wide academic affairs reads both classes: scope is not the question here.
    let aa = app.login_as("aa").await;
    let mut new = sample("students", 8, &fx);
    new.insert("class_id".into(), json!(fx.class[1])); // a class of program 2
    let r = aa
        .send(Method::POST, "/api/students", Some(Value::Object(new)))
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(
        field_codes(&r),
        vec![("program_id".to_string(), "mismatch".to_string())]
    );
    let path = format!("/api/students/{}", fx.student[0]);
    let r = aa
        .send(Method::PATCH, &path, Some(json!({"class_id": fx.class[1]})))
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(
        field_codes(&r),
        vec![("program_id".to_string(), "mismatch".to_string())]
    );
    // Moving class and program together is consistent.
    let r = aa
        .send(
            Method::PATCH,
            &path,
            Some(json!({"class_id": fx.class[1], "program_id": fx.program[1]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn a_teacher_books_only_for_their_own_classes() {
    let app = spawn_app().await;
    let fx = app.fx.clone();
    let teacher = app.login_as("teacher").await;
    let booking = Value::Object(sample("bookings", 40, &fx));
    // Class 2 is not theirs.
    refused_like_nowhere(
        &teacher,
        Method::POST,
        "/api/bookings",
        booking.clone(),
        "class_id",
        fx.class[1],
    )
    .await;
    // Nor may they move their booking to it.
    refused_like_nowhere(
        &teacher,
        Method::PATCH,
        &format!("/api/bookings/{}", fx.booking),
        json!({}),
        "class_id",
        fx.class[1],
    )
    .await;
    // Their own class: booked.
    let r = teacher
        .send(Method::POST, "/api/bookings", Some(booking))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    // Academic affairs (college-wide) may book for any class: their role allows more.
    let aa = app.login_as("aa").await;
    let mut other = sample("bookings", 41, &fx);
    other.insert("class_id".into(), json!(fx.class[1]));
    let r = aa
        .send(Method::POST, "/api/bookings", Some(Value::Object(other)))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
}

#[tokio::test]
async fn an_import_names_only_classes_in_the_importers_scope() {
    let app = spawn_app().await;
    let sa1 = app.login_as("sa1").await;
    let csv = |class: &str, n: u32| {
        format!(
            "学号,姓名,性别,身份证号,专业,班级,入学年份,学籍状态\n20990{n:05},导入学生,男,{},A01,{class},2025,在读\n",
            skillbridge_core::ids::make_id_number("500106", "20070202", n * 2 + 1)
        )
    };
    // 计应2401 is class 2, of school 2.
    let out = sa1
        .send_bytes("/api/students/import", csv("计应2401", 1).into_bytes())
        .await;
    let none = sa1
        .send_bytes("/api/students/import", csv("无此班级", 1).into_bytes())
        .await;
    assert_eq!(out.status, 422, "{}", out.text);
    assert!(out.text.contains("计应2401"), "{}", out.text);
    assert_eq!(
        out.text.replace("计应2401", "X"),
        none.text.replace("无此班级", "X"),
        "an out-of-scope class must read like a missing one"
    );
    // Its own school's class imports.
    let ok = sa1
        .send_bytes("/api/students/import", csv("新能源2401", 2).into_bytes())
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
}

#[tokio::test]
async fn hidden_field_groups_are_left_out_and_cannot_be_probed() {
    let app = spawn_app().await;
    let fx = app.fx.clone();
    let t2 = super::s1_college_mentor(&app).await;
    let teacher = app.login_as("teacher").await;
    // A teacher reads staff names and offices, not phones or e-mails: removed, not masked.
    let t1 = teacher
        .send(Method::GET, &format!("/api/staff/{}", fx.teacher), None)
        .await
        .json();
    assert_eq!(t1["name"], json!("李老师"));
    assert!(
        t1.get("phone").is_none() && t1.get("email").is_none(),
        "{t1}"
    );
    let list = teacher.send(Method::GET, "/api/staff", None).await.json();
    for s in list["items"].as_array().unwrap() {
        assert!(s.get("phone").is_none() && s.get("email").is_none(), "{s}");
    }
    // Sorting or filtering by a hidden field would be an oracle: refused like an unknown field,
    // or, these being personal fields too, as a query on personal data (which comes first).
    for q in [
        "sort=phone",
        "sort=-email",
        "phone=13900001111",
        "email=zhou@example.edu.cn",
    ] {
        let r = teacher
            .send(Method::GET, &format!("/api/staff?{q}"), None)
            .await;
        let code = field_codes(&r)[0].1.clone();
        assert!(
            (r.status == 422 && code == "unknown_field")
                || (r.status == 400 && code.starts_with("personal_")),
            "{q}: {} {}",
            r.status,
            r.text
        );
        assert!(r.json().get("items").is_none(), "{q}: {}", r.text);
    }
    // The export leaves the columns out.
    let csv = teacher
        .send(Method::GET, "/api/staff/export?format=csv", None)
        .await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.text.contains("姓名") && csv.text.contains("部门"),
        "{}",
        csv.text
    );
    assert!(!csv.text.contains("手机号") && !csv.text.contains("电子邮箱"));
    // The student reads their own two mentors' work contact, and no other staff.
    let student = app.login_as("student").await;
    let m = student
        .send(Method::GET, &format!("/api/staff/{t2}"), None)
        .await
        .json();
    assert_eq!(m["email"], json!("zhou@example.edu.cn"), "{m}");
    assert!(m["phone"].is_string(), "{m}");
    let staff = student.send(Method::GET, "/api/staff", None).await.json();
    assert_eq!(staff["total"], json!(1), "{staff}");
    let contacts = student
        .send(Method::GET, "/api/contacts", None)
        .await
        .json();
    assert_eq!(contacts["total"], json!(1), "{contacts}");
    assert_eq!(contacts["items"][0]["id"], json!(fx.mentor_contact));
    assert!(contacts["items"][0].get("phone").is_some());
    // Meta tells the pages which fields the teacher sees.
    let meta = teacher.send(Method::GET, "/api/meta", None).await.json();
    let staff_meta = meta["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "staff")
        .unwrap();
    assert_eq!(staff_meta["hidden"], json!(["phone", "email"]));
    assert!(staff_meta["fields"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["group"] == "identity"));
}

#[tokio::test]
async fn a_kept_reference_is_not_pointing_anew() {
    let app = spawn_app().await;
    let fx = app.fx.clone();
    // t2 teaches in school 2 and mentors s1 (school 1): sa1 cannot read t2...
    let t2 = super::s1_college_mentor(&app).await;
    let admin = app.login_as("admin").await;
    let m = admin
        .send(Method::GET, &format!("/api/mentors?staff_id={t2}"), None)
        .await
        .json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let sa1 = app.login_as("sa1").await;
    let staff = sa1
        .send(Method::GET, &format!("/api/staff/{t2}"), None)
        .await;
    assert_eq!(staff.status, 404);
    // ...yet may change the dates of the assignment that names t2, or send t2 back unchanged:
    // keeping a reference is not pointing anew.
    let path = format!("/api/mentors/{m}");
    for body in [json!({"end_date": "2026-07-01"}), json!({"staff_id": t2})] {
        let r = sa1.send(Method::PATCH, &path, Some(body)).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    // A new assignment naming t2 is pointing anew: refused like a teacher who does not exist.
    refused_like_nowhere(
        &sa1,
        Method::POST,
        "/api/mentors",
        json!({"student_id": fx.student[0], "kind": "teacher", "start_date": "2025-09-01"}),
        "staff_id",
        t2,
    )
    .await;
}
