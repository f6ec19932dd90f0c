//! Batch work on lists (issue 10 §6) through the API: each operation is one call, checked for
//! every row in the store's one place, all or nothing, one audit entry, a result per row;
//! rows out of scope are reported, not skipped; the call needs the server's own origin.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use skillbridge_core::access::Actor;
use skillbridge_core::schema::resource;

async fn create(app: &App, def: &str, v: Value) -> i64 {
    app.store
        .create(
            &Actor::system(),
            resource(def).unwrap(),
            v.as_object().unwrap(),
            "fixture",
        )
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// The audit entries of one action, newest first, as the admin reads them.
async fn audit_of(app: &App, action: &str) -> Vec<Value> {
    let admin = app.login_as("admin").await;
    let r = admin
        .get(&format!("/api/audit?action={action}&limit=100"))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["items"].as_array().unwrap().clone()
}

fn outcomes(rows: &Value) -> Vec<(i64, String, String)> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_i64().unwrap(),
                r["outcome"].as_str().unwrap().to_string(),
                r["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_batch_sets_a_status_on_every_row_with_one_audit_entry() {
    let app = spawn_app().await;
    let a2 = create(
        &app,
        "agreements",
        Value::Object(sample("agreements", 2, &app.fx)),
    )
    .await;
    let a3 = create(
        &app,
        "agreements",
        Value::Object(sample("agreements", 3, &app.fx)),
    )
    .await;
    let ids = [app.fx.agreement, a2, a3];
    let coop = app.login_as("coop").await;
    let body = json!({"op": "set", "field": "status", "value": "active", "ids": ids});
    let r = coop
        .send(Method::POST, "/api/agreements/batch", Some(body.clone()))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let rep = r.json();
    assert_eq!(rep["applied"], true);
    let want: Vec<(i64, String, String)> = ids
        .iter()
        .map(|i| (*i, "applied".into(), String::new()))
        .collect();
    // a1 of the fixture may already be active: then it is reported unchanged.
    let got = outcomes(&rep["rows"]);
    assert_eq!(got.len(), 3);
    for ((id, o, _), (wid, _, _)) in got.iter().zip(&want) {
        assert_eq!(id, wid);
        assert!(
            o == "applied" || (o == "unchanged" && *id == app.fx.agreement),
            "{got:?}"
        );
    }
    for id in ids {
        let rec = coop.get(&format!("/api/agreements/{id}")).await.json();
        assert_eq!(rec["status"], "active");
    }
    // One audit entry for the batch, naming the ids and outcomes; none per row.
    let entries = audit_of(&app, "batch_update").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    let detail = entries[0]["detail"].as_str().unwrap();
    assert!(detail.starts_with("set status=active; "), "{detail}");
    for id in [a2, a3] {
        assert!(detail.contains(&id.to_string()), "{detail}");
    }
    assert_eq!(entries[0]["object"], "agreements");
    assert_eq!(entries[0]["outcome"], "ok");
    assert!(audit_of(&app, "update")
        .await
        .iter()
        .all(|e| !e["object"].as_str().unwrap().starts_with("agreements/")));
    // Again: every row is already so.
    let r = coop
        .send(Method::POST, "/api/agreements/batch", Some(body))
        .await;
    assert!(outcomes(&r.json()["rows"])
        .iter()
        .all(|(_, o, _)| o == "unchanged"));
    // A field a batch may not set, a value the field refuses, an empty selection: 422, nothing done.
    for (b, field) in [
        (
            json!({"op": "set", "field": "title", "value": "x", "ids": ids}),
            "field",
        ),
        (
            json!({"op": "set", "field": "status", "value": "nonsense", "ids": ids}),
            "value",
        ),
        (
            json!({"op": "set", "field": "status", "value": "draft", "ids": []}),
            "ids",
        ),
    ] {
        let r = coop
            .send(Method::POST, "/api/agreements/batch", Some(b))
            .await;
        assert_eq!(r.status, 422, "{}", r.text);
        assert_eq!(r.json()["fields"][0]["field"], field, "{}", r.text);
    }
    // A student's status is changed by its procedure (学籍异动), never in batch.
    let aa = app.login_as("aa").await;
    let r = aa
        .send(Method::POST, "/api/students/batch", Some(json!({"op": "set", "field": "status", "value": "suspended", "ids": [app.fx.student[0]]})))
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["code"], "not_batch");
    // Without the update permission: 403, whatever the selection.
    let teacher = app.login_as("teacher").await;
    let r = teacher
        .send(
            Method::POST,
            "/api/agreements/batch",
            Some(json!({"op": "set", "field": "status", "value": "draft", "ids": ids})),
        )
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn rows_out_of_scope_are_reported_and_nothing_is_applied() {
    let app = spawn_app().await;
    // A booking by another teacher (readable by the teacher, not theirs to change).
    let other = create(&app, "staff", json!({"staff_no": "T777", "name": "吴老师", "gender": "2", "dual_qualified": false, "school_id": app.fx.school[0]})).await;
    let mut b = sample("bookings", 40, &app.fx);
    b.insert("staff_id".into(), json!(other));
    let theirs = create(&app, "bookings", Value::Object(b)).await;
    let mine = app.fx.booking;
    let teacher = app.login_as("teacher").await;
    let body = json!({"op": "set", "field": "status", "value": "cancelled", "ids": [mine, theirs, 987654]});
    let r = teacher
        .send(Method::POST, "/api/bookings/batch", Some(body))
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let j = r.json();
    assert_eq!(j["code"], "batch_refused");
    assert_eq!(j["report"]["applied"], false);
    assert_eq!(
        outcomes(&j["report"]["rows"]),
        vec![
            (mine, "not_applied".into(), String::new()),
            (theirs, "refused".into(), "not_permitted".into()),
            (987654, "refused".into(), "not_found".into()),
        ]
    );
    // Nothing was applied: the teacher's own booking is still active.
    assert_eq!(
        teacher.get(&format!("/api/bookings/{mine}")).await.json()["status"],
        "active"
    );
    // One audit entry records the refused attempt with the ids and outcomes.
    let entries = audit_of(&app, "batch_update").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["outcome"], "refused");
    let detail = entries[0]["detail"].as_str().unwrap();
    assert!(
        detail.contains(&format!(
            "refused 2: {theirs} (not_permitted),987654 (not_found)"
        )) && detail.contains(&format!("not_applied 1: {mine}")),
        "{detail}"
    );
    // The own booking alone: applied (cancelled), one more entry.
    let r = teacher
        .send(
            Method::POST,
            "/api/bookings/batch",
            Some(json!({"op": "set", "field": "status", "value": "cancelled", "ids": [mine]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        teacher.get(&format!("/api/bookings/{mine}")).await.json()["status"],
        "cancelled"
    );
    assert_eq!(audit_of(&app, "batch_update").await.len(), 2);
}

#[tokio::test]
async fn a_batch_assigns_a_mentor_to_each_selected_student() {
    let app = spawn_app().await;
    let sa1 = app.login_as("sa1").await;
    let [s1, s2] = app.fx.student;
    // sa1 (student affairs of school 1) may not read s2 (school 2): reported, nothing created.
    let link = |ids: Vec<i64>, values: Value| json!({"op": "link", "target": "mentors", "values": values, "ids": ids});
    let teacher =
        json!({"kind": "teacher", "staff_id": app.fx.teacher, "start_date": "2026-03-01"});
    let before = app.store.count(resource("mentors").unwrap()).await.unwrap();
    let r = sa1
        .send(
            Method::POST,
            "/api/students/batch",
            Some(link(vec![s1, s2], teacher.clone())),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(
        outcomes(&r.json()["report"]["rows"]),
        vec![
            (s1, "not_applied".into(), String::new()),
            (s2, "refused".into(), "not_found".into())
        ]
    );
    assert_eq!(
        app.store.count(resource("mentors").unwrap()).await.unwrap(),
        before
    );
    // Academic affairs, college-wide: a college mentor and an enterprise mentor for both.
    let aa = app.login_as("aa").await;
    let r = aa
        .send(
            Method::POST,
            "/api/students/batch",
            Some(link(vec![s1, s2], teacher)),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let rows = r.json()["rows"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 2);
    for (row, s) in rows.iter().zip([s1, s2]) {
        assert_eq!(row["outcome"], "applied");
        let m = aa
            .get(&format!("/api/mentors/{}", row["created"]))
            .await
            .json();
        assert_eq!(
            (m["student_id"].as_i64(), m["staff_id"].as_i64()),
            (Some(s), Some(app.fx.teacher))
        );
    }
    let enterprise = json!({"kind": "enterprise", "contact_id": app.fx.mentor_contact, "start_date": "2026-03-01"});
    let r = aa
        .send(
            Method::POST,
            "/api/students/batch",
            Some(link(vec![s1, s2], enterprise)),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        app.store.count(resource("mentors").unwrap()).await.unwrap(),
        before + 4
    );
    let entries = audit_of(&app, "batch_create").await;
    assert_eq!(entries.iter().filter(|e| e["outcome"] == "ok").count(), 2);
    assert_eq!(
        entries.iter().filter(|e| e["outcome"] == "refused").count(),
        1
    );
    assert!(entries[0]["detail"]
        .as_str()
        .unwrap()
        .starts_with("create mentors for student_id; applied 2: "));
    // A mentor assignment names a staff member or a contact: the check refuses neither.
    let r = aa
        .send(
            Method::POST,
            "/api/students/batch",
            Some(link(
                vec![s1],
                json!({"kind": "teacher", "start_date": "2026-03-01"}),
            )),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    // The selected row is the link; the values may not name it.
    let r = aa
        .send(Method::POST, "/api/students/batch", Some(link(vec![s1], json!({"kind": "teacher", "staff_id": app.fx.teacher, "student_id": s2, "start_date": "2026-03-01"}))))
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
}

#[tokio::test]
async fn all_filtered_rows_get_a_class_adviser_and_batches_need_the_own_origin() {
    let app = spawn_app().await;
    let aa = app.login_as("aa").await;
    let c3 = create(
        &app,
        "classes",
        Value::Object(sample("classes", 3, &app.fx)),
    )
    .await;
    // Every class of program 1 (the list's filter, not ids).
    let listed: Vec<i64> = aa
        .get(&format!(
            "/api/classes?program_id={}&limit=100",
            app.fx.program[0]
        ))
        .await
        .json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert!(listed.contains(&c3) && listed.len() >= 2, "{listed:?}");
    let body = json!({"op": "set", "field": "adviser_id", "value": app.fx.teacher, "filter": {"program_id": app.fx.program[0].to_string()}});
    // Cross-site, or with no origin: refused before anything is read.
    for headers in [vec![("origin", "http://evil.example")], vec![]] {
        let r = aa
            .send_with(
                Method::POST,
                "/api/classes/batch",
                Some(body.clone()),
                &headers,
            )
            .await;
        assert_eq!(r.status, 403, "{}", r.text);
        assert_eq!(r.json()["code"], "csrf");
    }
    let r = aa
        .send(Method::POST, "/api/classes/batch", Some(body))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let rows = outcomes(&r.json()["rows"]);
    assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), listed);
    for id in &listed {
        assert_eq!(
            aa.get(&format!("/api/classes/{id}")).await.json()["adviser_id"],
            app.fx.teacher
        );
    }
    // Clearing it again (null), by ids.
    let r = aa
        .send(
            Method::POST,
            "/api/classes/batch",
            Some(json!({"op": "set", "field": "adviser_id", "value": null, "ids": [c3]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(aa.get(&format!("/api/classes/{c3}")).await.json()["adviser_id"].is_null());
    // Ids and a filter together, or neither: refused.
    let r = aa
        .send(
            Method::POST,
            "/api/classes/batch",
            Some(json!({"op": "set", "field": "adviser_id", "ids": [c3], "filter": {}})),
        )
        .await;
    assert_eq!(r.status, 422);
}
