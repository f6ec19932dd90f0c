//! Student status changes (学籍异动, issue 10 §8) through the HTTP API: every type filed by a
//! class adviser, approved by academic affairs and applied, with its history; rejection; refused
//! transitions; who may file and decide; later dates; evidence; no direct status edits; no
//! deletion of a student with history.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use skillbridge_core::access::Actor;
use skillbridge_core::modules::college::{CLASSES, STUDENTS};

/// A fresh student of class 1 (the teacher advises it) in `status`.
async fn student(app: &App, n: usize, status: &str) -> i64 {
    let mut v = sample("students", n, &app.fx);
    v.insert("status".into(), json!(status));
    app.store
        .create(&Actor::system(), &STUDENTS, &v, "t")
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// A new class of `program`.
async fn class(app: &App, n: usize, program: i64, entry_year: i64) -> i64 {
    let v = json!({"name": format!("新班{n}"), "program_id": program, "entry_year": entry_year});
    app.store
        .create(&Actor::system(), &CLASSES, v.as_object().unwrap(), "t")
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

fn today() -> String {
    skillbridge_store::status_changes_today()
}

async fn post(s: &Session, path: &str, body: Value) -> Reply {
    s.send(Method::POST, path, Some(body)).await
}

/// One type's case: the starting status, the target, and what the student is after.
struct Case {
    ty: &'static str,
    from: &'static str,
    program: Option<i64>,
    class_id: Option<i64>,
    to: &'static str,
    program_after: i64,
    class_after: i64,
}

/// Files the case's change as the teacher, approves it as academic affairs, and checks the
/// student and the history.
async fn run_case(app: &App, teacher: &Session, aa: &Session, n: usize, c: Case) {
    let ty = c.ty;
    let s = student(app, 100 + n, c.from).await;
    let r = post(
        teacher,
        "/api/status_changes/file",
        json!({"student_id": s, "change_type": ty, "reason": format!("{ty} 的原因"),
               "effective_date": today(), "target_program_id": c.program, "target_class_id": c.class_id}),
    )
    .await;
    assert_eq!(r.status.as_u16(), 201, "{ty}: {}", r.text);
    let req = r.json();
    assert_eq!(req["state"], "pending", "{ty}");
    assert_eq!(req["from_status"], c.from, "{ty}");
    assert_eq!(req["filed_by"], "用户teacher", "{ty}");
    let id = req["id"].as_i64().unwrap();
    // Nothing changes before the decision.
    let st = aa.get(&format!("/api/students/{s}")).await.json();
    assert_eq!(st["status"], c.from, "{ty}");

    let r = post(
        aa,
        &format!("/api/status_changes/{id}/approve"),
        json!({"note": "同意"}),
    )
    .await;
    assert_eq!(r.status.as_u16(), 200, "{ty}: {}", r.text);
    let done = r.json();
    assert_eq!(done["state"], "applied", "{ty}");
    assert_eq!(done["to_status"], c.to, "{ty}");
    assert_eq!(done["decided_by"], "用户aa", "{ty}");
    assert!(done["applied_at"].is_string(), "{ty}");
    let st = aa.get(&format!("/api/students/{s}")).await.json();
    assert_eq!(st["status"], c.to, "{ty}");
    assert_eq!(st["program_id"], c.program_after, "{ty}");
    assert_eq!(st["class_id"], c.class_after, "{ty}");
    // The history: the request with its decision.
    let h = aa
        .get(&format!("/api/status_changes?student_id={s}"))
        .await
        .json();
    let items = h["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{ty}");
    assert_eq!(items[0]["change_type"], ty);
    assert_eq!(items[0]["decision_note"], "同意");
}

#[tokio::test]
async fn every_type_is_filed_approved_applied_and_kept_in_the_history() {
    let app = spawn_app().await;
    let teacher = app.login_as("teacher").await;
    let aa = app.login_as("aa").await;
    let fx = app.fx.clone();
    let (p1, c1) = (fx.program[0], fx.class[0]);
    let same_program_class = class(&app, 1, p1, 2025).await;
    let later_cohort = class(&app, 2, p1, 2026).await;
    let plain = |ty, from, to| Case {
        ty,
        from,
        program: None,
        class_id: None,
        to,
        program_after: p1,
        class_after: c1,
    };
    let cases = [
        plain("suspend", "enrolled", "suspended"),
        plain("resume", "suspended", "enrolled"),
        plain("reserve", "enrolled", "reserved"),
        plain("withdraw", "enrolled", "withdrawn"),
        Case {
            program: Some(fx.program[1]),
            class_id: Some(fx.class[1]),
            program_after: fx.program[1],
            class_after: fx.class[1],
            ..plain("change_program", "enrolled", "enrolled")
        },
        Case {
            class_id: Some(same_program_class),
            class_after: same_program_class,
            ..plain("change_class", "enrolled", "enrolled")
        },
        plain("transfer_out", "enrolled", "transferred"),
        Case {
            class_id: Some(later_cohort),
            class_after: later_cohort,
            ..plain("repeat", "enrolled", "enrolled")
        },
        plain("cancel", "enrolled", "cancelled"),
        plain("expel", "enrolled", "expelled"),
        plain("complete", "enrolled", "completed"),
        plain("incomplete", "enrolled", "incomplete"),
        plain("graduate", "enrolled", "graduated"),
    ];
    assert_eq!(
        cases.len(),
        skillbridge_core::modules::status_changes::CHANGE_TYPES.len()
    );
    for (n, c) in cases.into_iter().enumerate() {
        run_case(&app, &teacher, &aa, n, c).await;
    }
    // Every step is in the audit trail.
    let audit = app.login_as("admin").await;
    let trail = audit.get("/api/audit?limit=1000").await.text;
    for action in ["status_file", "status_approve", "status_apply"] {
        assert!(trail.contains(action), "{action} audited");
    }
}

#[tokio::test]
async fn rejections_refused_transitions_open_requests_and_later_dates() {
    let app = spawn_app().await;
    let teacher = app.login_as("teacher").await;
    let aa = app.login_as("aa").await;
    let s = student(&app, 1, "enrolled").await;
    let file = |ty: &str, date: String| json!({"student_id": s, "change_type": ty, "reason": "家庭原因", "effective_date": date});

    // A change the lifecycle refuses: resuming an enrolled student.
    let r = post(
        &teacher,
        "/api/status_changes/file",
        file("resume", today()),
    )
    .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["code"], "invalid_transition");
    // A move without its target; a target on a type that has none.
    let r = post(
        &teacher,
        "/api/status_changes/file",
        file("change_class", today()),
    )
    .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["field"], "target_class_id");

    // Rejected: with a reason only; nothing changes; decided once.
    let id = post(
        &teacher,
        "/api/status_changes/file",
        file("suspend", today()),
    )
    .await
    .json()["id"]
        .as_i64()
        .unwrap();
    let r = post(
        &teacher,
        "/api/status_changes/file",
        file("withdraw", today()),
    )
    .await;
    assert_eq!(r.status.as_u16(), 409, "{}", r.text);
    assert_eq!(r.json()["code"], "open_request");
    let r = post(&aa, &format!("/api/status_changes/{id}/reject"), json!({})).await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.text);
    let r = post(
        &aa,
        &format!("/api/status_changes/{id}/reject"),
        json!({"note": "材料不全"}),
    )
    .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    assert_eq!(r.json()["state"], "rejected");
    let r = post(&aa, &format!("/api/status_changes/{id}/approve"), json!({})).await;
    assert_eq!(r.status.as_u16(), 409, "{}", r.text);
    assert_eq!(r.json()["code"], "already_decided");
    assert_eq!(
        aa.get(&format!("/api/students/{s}")).await.json()["status"],
        "enrolled"
    );
}

#[tokio::test]
async fn later_dates_wait_for_the_due_date_step() {
    let app = spawn_app().await;
    let teacher = app.login_as("teacher").await;
    let aa = app.login_as("aa").await;
    let s = student(&app, 1, "enrolled").await;
    let file = |ty: &str, date: String| json!({"student_id": s, "change_type": ty, "reason": "家庭原因", "effective_date": date});
    // Approved for a later date: waits, then the due-date step applies it.
    let id = post(
        &teacher,
        "/api/status_changes/file",
        file("suspend", "2099-09-01".into()),
    )
    .await
    .json()["id"]
        .as_i64()
        .unwrap();
    let r = post(&aa, &format!("/api/status_changes/{id}/approve"), json!({})).await;
    assert_eq!(r.json()["state"], "approved", "{}", r.text);
    assert_eq!(
        aa.get(&format!("/api/students/{s}")).await.json()["status"],
        "enrolled"
    );
    assert_eq!(
        app.store
            .status_changes()
            .apply_due("2099-08-31")
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        app.store
            .status_changes()
            .apply_due("2099-09-01")
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        aa.get(&format!("/api/students/{s}")).await.json()["status"],
        "suspended"
    );
    let r = aa.get(&format!("/api/status_changes/{id}")).await.json();
    assert_eq!(
        (r["state"].as_str(), r["to_status"].as_str()),
        (Some("applied"), Some("suspended"))
    );

    // Two approved changes that exclude each other: the second to come due is void.
    let s2 = student(&app, 2, "enrolled").await;
    let f2 = |ty: &str, date: &str| json!({"student_id": s2, "change_type": ty, "reason": "测试", "effective_date": date});
    let a = post(&aa, "/api/status_changes/file", f2("suspend", "2099-09-01"))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    post(&aa, &format!("/api/status_changes/{a}/approve"), json!({})).await;
    // An approved request still open blocks a second one.
    assert_eq!(
        post(&aa, "/api/status_changes/file", f2("reserve", "2099-09-02"))
            .await
            .status
            .as_u16(),
        409
    );
}

#[tokio::test]
async fn who_files_who_decides_and_status_only_by_procedure() {
    let app = spawn_app().await;
    let s1 = app.fx.student[0];
    let body = json!({"student_id": s1, "change_type": "suspend", "reason": "因病", "effective_date": today()});
    // A student cannot file, not even for themselves; HR cannot.
    for role in ["student", "hr2", "leader", "coop"] {
        let s = app.login_as(role).await;
        let r = post(&s, "/api/status_changes/file", body.clone()).await;
        assert_eq!(r.status.as_u16(), 403, "{role}: {}", r.text);
    }
    // A teacher files for their own students only (advisees and mentees), not for a student of
    // a class they do not advise.
    let teacher = app.login_as("teacher").await;
    let mut v = sample("students", 7, &app.fx);
    v.insert("program_id".into(), json!(app.fx.program[1]));
    v.insert("class_id".into(), json!(app.fx.class[1]));
    let other = app
        .store
        .create(&Actor::system(), &STUDENTS, &v, "t")
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = post(&teacher, "/api/status_changes/file",
        json!({"student_id": other, "change_type": "suspend", "reason": "因病", "effective_date": today()})).await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.text);
    let r = post(&teacher, "/api/status_changes/file", body.clone()).await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let id = r.json()["id"].as_i64().unwrap();
    // A teacher, student affairs and the student cannot approve.
    for role in ["teacher", "sa1", "leader"] {
        let s = app.login_as(role).await;
        let r = post(&s, &format!("/api/status_changes/{id}/approve"), json!({})).await;
        assert_eq!(r.status.as_u16(), 403, "{role}: {}", r.text);
    }
    let student = app.login_as("student").await;
    assert_eq!(
        post(
            &student,
            &format!("/api/status_changes/{id}/approve"),
            json!({})
        )
        .await
        .status
        .as_u16(),
        403
    );
    // The student reads their own request; an enterprise user does not.
    assert_eq!(
        student
            .get(&format!("/api/status_changes/{id}"))
            .await
            .status
            .as_u16(),
        200
    );
    let hr = app.login_as("hr2").await;
    assert_eq!(
        hr.get(&format!("/api/status_changes/{id}"))
            .await
            .status
            .as_u16(),
        403
    );
    // Nobody writes a request directly.
    let admin = app.login_as("admin").await;
    let r = admin
        .send(
            Method::PATCH,
            &format!("/api/status_changes/{id}"),
            Some(json!({"state": "applied"})),
        )
        .await;
    assert_eq!(r.status.as_u16(), 403, "{}", r.text);
    // A status is not edited through the student record, nor by an import.
    let r = admin
        .send(
            Method::PATCH,
            &format!("/api/students/{s1}"),
            Some(json!({"status": "graduated"})),
        )
        .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["code"], "status_by_procedure");
}

#[tokio::test]
async fn evidence_is_attached_while_pending_and_read_with_the_request() {
    let app = spawn_app().await;
    let teacher = app.login_as("teacher").await;
    let aa = app.login_as("aa").await;
    let s1 = app.fx.student[0];
    let id = post(&teacher, "/api/status_changes/file",
        json!({"student_id": s1, "change_type": "suspend", "reason": "因病", "effective_date": today()}))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/attachments?owner=status_changes&owner_id={id}&name=diagnosis.pdf");
    let pdf = b"%PDF-1.4\n%diagnosis\n%%EOF\n".to_vec();
    let r = teacher
        .send_file(&path, "application/pdf", pdf.clone())
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let att = r.json()["id"].as_i64().unwrap();
    // Those who may not file for s1 cannot attach; those who cannot read it do not find it.
    let leader = app.login_as("leader").await;
    assert_eq!(
        leader
            .send_file(&path, "application/pdf", pdf.clone())
            .await
            .status
            .as_u16(),
        403
    );
    let hr = app.login_as("hr2").await;
    assert_eq!(
        hr.send_file(&path, "application/pdf", pdf.clone())
            .await
            .status
            .as_u16(),
        404
    );
    assert_eq!(
        hr.get(&format!("/api/attachments/{att}/file"))
            .await
            .status
            .as_u16(),
        404
    );
    // The student reads the evidence of their own request.
    let student = app.login_as("student").await;
    let r = student.get(&format!("/api/attachments/{att}/file")).await;
    assert_eq!(r.status.as_u16(), 200);
    assert_eq!(r.text.as_bytes(), pdf.as_slice());
    // Once decided, nothing more is attached.
    post(&aa, &format!("/api/status_changes/{id}/approve"), json!({})).await;
    let r = teacher.send_file(&path, "application/pdf", pdf).await;
    assert_eq!(r.status.as_u16(), 409, "{}", r.text);
    assert_eq!(r.json()["code"], "already_decided");
}

#[tokio::test]
async fn a_student_with_history_is_not_deleted() {
    let app = spawn_app().await;
    let admin = app.login_as("admin").await;
    let s = student(&app, 1, "enrolled").await;
    let plain = student(&app, 2, "enrolled").await;
    post(&admin, "/api/status_changes/file",
        json!({"student_id": s, "change_type": "withdraw", "reason": "本人申请", "effective_date": today()})).await;
    let r = admin
        .send(Method::DELETE, &format!("/api/students/{s}"), None)
        .await;
    assert_eq!(r.status.as_u16(), 409, "{}", r.text);
    let v = r.json();
    assert_eq!(v["code"], "has_status_history");
    assert!(v["message_zh"].as_str().unwrap().contains("学籍异动"));
    assert!(v["message_en"]
        .as_str()
        .unwrap()
        .contains("status-change history"));
    // One without history is deleted as before.
    let r = admin
        .send(Method::DELETE, &format!("/api/students/{plain}"), None)
        .await;
    assert_eq!(r.status.as_u16(), 204, "{}", r.text);
}
