//! Talent-cultivation plans (issue 12 §2) through the HTTP API: drafted by the program lead,
//! submitted, co-signed by the enterprise signatory through their own account, approved by
//! academic affairs (blocked by a failed check unless an exception is recorded), frozen once
//! submitted, copied as the next version and compared with it, exported as .xlsx and imported
//! back as an equal plan.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};

async fn send(s: &Session, m: Method, path: &str, body: Value) -> Reply {
    s.send(m, path, Some(body)).await
}

fn id(r: &Reply) -> i64 {
    r.json()["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{}", r.text))
}

/// The courses of the hand-worked plan of `core::modules::plans` (every check passes), the
/// core course co-developed by o1.
fn courses(org: i64) -> Vec<Value> {
    let c = |sem: i64, code: &str, ty: &str, nature: &str, t: i64, p: i64, cr: f64| {
        json!({"semester": sem, "course_code": code, "course_name": format!("课程{code}"),
               "theory_hours": t, "practice_hours": p, "credits": cr, "course_type": ty, "nature": nature})
    };
    let mut v = vec![
        c(1, "GB01", "public", "compulsory", 200, 124, 18.0),
        c(2, "GB02", "public", "compulsory", 200, 124, 18.0),
        c(3, "ZH01", "core", "compulsory", 150, 170, 20.0),
        c(4, "ZH02", "core", "compulsory", 150, 170, 20.0),
        c(5, "TZ01", "extension", "elective", 100, 188, 16.0),
        c(6, "SJ01", "practice", "compulsory", 0, 960, 60.0),
    ];
    v[2]["org_id"] = json!(org);
    v[2]["frontier_tags"] = json!("新能源汽车");
    v[2]["skill_tags"] = json!("高压安全,电池管理系统诊断");
    v
}

async fn bytes(s: &Session, path: &str) -> (u16, Vec<u8>) {
    let r = s
        .http
        .get(format!("{}{path}", s.base))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
}

/// A draft plan of program 1 led by the teacher, with the hand-worked courses and a course
/// without hours (XX01), and no signatory yet.
async fn draft(app: &App, teacher: &Session) -> i64 {
    let fx = &app.fx;
    // Drafted by the program lead, with a course without hours.
    let r = send(teacher, Method::POST, "/api/plans", json!({"program_id": fx.program[0], "cohort_year": 2026,
        "version": 1, "title": "新能源汽车技术专业人才培养方案（2026级）", "lead_staff_id": fx.teacher, "status": "draft"})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let plan = id(&r);
    // Not as approved, and not for another lead.
    let r = send(
        teacher,
        Method::POST,
        "/api/plans",
        json!({"program_id": fx.program[0], "cohort_year": 2027,
        "version": 1, "title": "x", "lead_staff_id": fx.teacher, "status": "approved"}),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text);
    for mut c in courses(fx.org[0]) {
        c["plan_id"] = json!(plan);
        let r = send(teacher, Method::POST, "/api/plan_courses", c).await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let r = send(teacher, Method::POST, "/api/plan_courses", json!({"plan_id": plan, "semester": 2, "course_code": "XX01",
        "course_name": "专题讲座", "theory_hours": 0, "practice_hours": 0, "credits": 0, "course_type": "extension", "nature": "elective"})).await;
    assert_eq!(r.status, 201, "{}", r.text);
    plan
}

/// Every write of plan `plan`, its course and its signatory is refused as frozen.
async fn assert_frozen(admin: &Session, plan: i64, course: i64, sig: i64) {
    for (m, path, body) in [
        (
            Method::PATCH,
            format!("/api/plans/{plan}"),
            json!({"title": "改"}),
        ),
        (
            Method::PATCH,
            format!("/api/plan_courses/{course}"),
            json!({"theory_hours": 10}),
        ),
        (
            Method::DELETE,
            format!("/api/plan_courses/{course}"),
            json!({}),
        ),
        (
            Method::POST,
            "/api/plan_courses".to_string(),
            json!({"plan_id": plan, "semester": 1, "course_code": "NEW1",
            "course_name": "新课", "theory_hours": 16, "practice_hours": 16, "credits": 2, "course_type": "core", "nature": "compulsory"}),
        ),
        (
            Method::DELETE,
            format!("/api/plan_signatories/{sig}"),
            json!({}),
        ),
        (Method::DELETE, format!("/api/plans/{plan}"), json!({})),
    ] {
        let r = send(admin, m.clone(), &path, body).await;
        assert_eq!(r.status, 409, "{m} {path}: {}", r.text);
        assert_eq!(r.json()["code"], "plan_frozen", "{}", r.text);
    }
}

/// The checks of plan `plan` fail on `code` only.
async fn assert_only_failed(teacher: &Session, plan: i64, code: &str) {
    let r = teacher.get(&format!("/api/plans/{plan}/checks")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let checks = r.json();
    assert_eq!(checks["totals"]["hours"], 2536);
    assert_eq!(checks["passed"], false);
    let failed: Vec<&str> = checks["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["passed"] == false)
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(failed, [code]);
}

#[tokio::test]
async fn a_plan_is_checked_co_signed_approved_with_an_exception_and_frozen() {
    let app = spawn_app().await;
    let fx = app.fx.clone();
    let (teacher, mentor, hr2, aa, admin) = (
        app.login_as("teacher").await,
        app.login_as("mentor").await,
        app.login_as("hr2").await,
        app.login_as("aa").await,
        app.login_as("admin").await,
    );
    let plan = draft(&app, &teacher).await;
    assert_only_failed(&teacher, plan, "course_hours").await;
    // Submitting needs a signatory.
    let r = send(
        &teacher,
        Method::POST,
        &format!("/api/plans/{plan}/submit"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let r = send(
        &teacher,
        Method::POST,
        "/api/plan_signatories",
        json!({"plan_id": plan, "contact_id": fx.mentor_contact}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let sig = id(&r);
    let r = send(
        &teacher,
        Method::POST,
        &format!("/api/plans/{plan}/submit"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["status"], "in_review");
    // Frozen from now on: the plan, its courses and signatories.
    let course = teacher
        .get(&format!("/api/plan_courses?plan_id={plan}"))
        .await
        .json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    assert_frozen(&admin, plan, course, sig).await;
    // Approval waits for the signature; only the signatory signs, through their own account.
    let r = send(
        &aa,
        Method::POST,
        &format!("/api/plans/{plan}/approve"),
        json!({"exception_reason": "x"}),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.text);
    let r = send(
        &hr2,
        Method::POST,
        &format!("/api/plans/{plan}/sign"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, 404, "{}", r.text);
    let r = send(
        &mentor,
        Method::POST,
        &format!("/api/plans/{plan}/sign"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["status"], "co_signed");
    // The failed check blocks approval until an exception is recorded.
    let r = send(
        &aa,
        Method::POST,
        &format!("/api/plans/{plan}/approve"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["field"], "exception_reason");
    let r = send(
        &aa,
        Method::POST,
        &format!("/api/plans/{plan}/approve"),
        json!({"exception_reason": "专题讲座计入第二课堂"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["status"], "approved");
    assert_eq!(r.json()["exception_reason"], "专题讲座计入第二课堂");
    let r = send(
        &admin,
        Method::PATCH,
        &format!("/api/plans/{plan}"),
        json!({"remarks": "改"}),
    )
    .await;
    assert_eq!(r.status, 409, "{}", r.text);
}

#[tokio::test]
async fn the_next_version_is_a_draft_copy_compared_course_by_course_and_exchanged_as_xlsx() {
    let app = spawn_app().await;
    let fx = app.fx.clone();
    let (teacher, admin) = (app.login_as("teacher").await, app.login_as("admin").await);
    let plan = draft(&app, &teacher).await;
    // The next version starts as a draft copy; moving a course and dropping another shows in
    // the diff.
    let r = send(
        &teacher,
        Method::POST,
        &format!("/api/plans/{plan}/copy"),
        json!({}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let v2 = id(&r);
    assert_eq!(r.json()["version"], 2);
    assert_eq!(r.json()["status"], "draft");
    assert_eq!(r.json()["parent_id"], plan);
    let items = teacher
        .get(&format!("/api/plan_courses?plan_id={v2}&limit=100"))
        .await
        .json()["items"]
        .clone();
    let find = |code: &str| {
        items
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["course_code"] == code)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let r = send(
        &teacher,
        Method::PATCH,
        &format!("/api/plan_courses/{}", find("ZH02")),
        json!({"semester": 3}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = send(
        &teacher,
        Method::DELETE,
        &format!("/api/plan_courses/{}", find("XX01")),
        json!({}),
    )
    .await;
    assert!(r.status.is_success(), "{}", r.text);
    let r = teacher.get(&format!("/api/plans/{v2}/diff")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let d = &r.json()["diff"];
    assert_eq!(d["removed"][0]["code"], "XX01");
    assert_eq!(d["changed"][0]["code"], "ZH02");
    assert_eq!(d["changed"][0]["moved"], true);
    assert_eq!(d["totals_before"]["courses"], 7);
    assert_eq!(d["totals_after"]["courses"], 6);
    let r = teacher.get(&format!("/api/plans/{v2}/checks")).await;
    assert_eq!(r.json()["passed"], true, "{}", r.text);

    // Exported, and imported back for another program: the same courses.
    let (status, sheet) = bytes(&teacher, &format!("/api/plans/{v2}/xlsx")).await;
    assert_eq!(status, 200);
    let r = admin
        .send_file(
            &format!(
                "/api/plans/import?program_id={}&lead_staff_id={}",
                fx.program[1], fx.teacher
            ),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            sheet,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let imported = id(&r);
    let a = teacher.get(&format!("/api/plans/{v2}/checks")).await.json();
    let b = teacher
        .get(&format!("/api/plans/{imported}/checks"))
        .await
        .json();
    assert_eq!(a["courses"], b["courses"]);
    assert_eq!(a["courses"][2]["enterprise"], b["courses"][2]["enterprise"]);
    assert!(a["courses"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["enterprise"].is_string()));
    assert_eq!(b["plan"]["status"], "draft");
}
