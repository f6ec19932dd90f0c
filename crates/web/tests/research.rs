//! R&D and teaching resources through the HTTP API (issue 12 §3, §4): the technology-service
//! income per school and year equals sums taken by hand, within the reader's schools; an
//! enterprise user reads the projects their organisation partners in and no other; a teaching
//! resource takes files up to its own cap (200 MiB), above the configured default.

mod common;
use common::*;
use serde_json::{json, Value};
use skillbridge_core::access::Actor;
use skillbridge_core::schema::resource;
use skillbridge_web::WebConfig;

async fn mk(app: &App, name: &str, v: Value) -> i64 {
    app.store
        .create(
            &Actor::system(),
            resource(name).unwrap(),
            v.as_object().unwrap(),
            "t",
        )
        .await
        .unwrap_or_else(|e| panic!("{name}: {e:?}"))["id"]
        .as_i64()
        .unwrap()
}

async fn project(app: &App, no: &str, kind: &str, school: i64) -> i64 {
    mk(
        app,
        "research_projects",
        json!({"project_no": no, "title": format!("项目{no}"), "kind": kind, "school_id": school,
               "lead_id": app.fx.teacher, "start_date": "2023-03-01", "contract_fen": 100_000_000,
               "status": "active"}),
    )
    .await
}

async fn receipt(app: &App, project: i64, year: i64, fen: i64) {
    mk(
        app,
        "research_receipts",
        json!({"project_id": project, "year": year, "amount_fen": fen}),
    )
    .await;
}

#[tokio::test]
async fn income_by_school_and_year_equals_the_hand_sums_within_the_readers_schools() {
    let app = spawn_app().await;
    let [s1, s2] = app.fx.school;
    let a = project(&app, "H-1", "horizontal", s1).await;
    let b = project(&app, "H-2", "horizontal", s1).await;
    let v = project(&app, "V-1", "vertical", s1).await;
    let c = project(&app, "H-3", "horizontal", s2).await;
    receipt(&app, a, 2024, 12_000_000).await;
    receipt(&app, b, 2024, 3_550_050).await;
    receipt(&app, v, 2024, 50_000_000).await;
    receipt(&app, a, 2025, 8_000_000).await;
    receipt(&app, c, 2025, 1_000_001).await;

    let aa = app.login_as("aa").await;
    let r = aa.get("/api/research/income").await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.text);
    let body = r.json();
    let rows: Vec<(i64, i64, i64, i64, i64)> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            let n = |k: &str| x[k].as_i64().unwrap();
            (
                n("school_id"),
                n("year"),
                n("horizontal_fen"),
                n("vertical_fen"),
                n("horizontal_projects"),
            )
        })
        .collect();
    // By hand: school 1 in 2024: 12,000,000 + 3,550,050 = 15,550,050 fen (2 projects) and
    // 50,000,000 vertical; school 1 in 2025: 8,000,000 (1); school 2 in 2025: 1,000,001 (1).
    assert_eq!(
        rows,
        vec![
            (s1, 2024, 15_550_050, 50_000_000, 2),
            (s1, 2025, 8_000_000, 0, 1),
            (s2, 2025, 1_000_001, 0, 1),
        ]
    );
    assert_eq!(body["items"][0]["school_name"], "汽车工程学院");
    assert_eq!(
        body["totals"],
        json!([{"year": 2024, "horizontal_fen": 15_550_050, "vertical_fen": 50_000_000},
               {"year": 2025, "horizontal_fen": 9_000_001, "vertical_fen": 0}])
    );

    // Student affairs of school 1: school 1's rows only.
    let sa1 = app.login_as("sa1").await;
    let mine = sa1.get("/api/research/income").await.json();
    let schools: Vec<i64> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["school_id"].as_i64().unwrap())
        .collect();
    assert_eq!(schools, vec![s1, s1]);
    assert_eq!(mine["totals"][1]["horizontal_fen"], 8_000_000);

    for role in ["teacher", "mentor", "student"] {
        let r = app.login_as(role).await.get("/api/research/income").await;
        assert_eq!(r.status.as_u16(), 403, "{role}");
    }
}

#[tokio::test]
async fn an_enterprise_user_reads_the_projects_their_organisation_partners_in() {
    let app = spawn_app().await;
    let p = project(&app, "H-9", "horizontal", app.fx.school[0]).await;
    let other = project(&app, "H-10", "horizontal", app.fx.school[0]).await;
    mk(
        &app,
        "research_partners",
        json!({"project_id": p, "org_id": app.fx.org[0], "role": "client"}),
    )
    .await;
    receipt(&app, p, 2025, 100).await;
    receipt(&app, other, 2025, 200).await;
    let ids = |v: Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_i64().unwrap())
            .collect()
    };
    let mentor = app.login_as("mentor").await; // of o1
    assert_eq!(
        ids(mentor.get("/api/research_projects").await.json()),
        vec![p]
    );
    let receipts = mentor.get("/api/research_receipts").await.json();
    assert_eq!(receipts["items"].as_array().unwrap().len(), 1);
    assert_eq!(receipts["items"][0]["amount_fen"], 100);
    let hr2 = app.login_as("hr2").await; // of o2
    assert!(ids(hr2.get("/api/research_projects").await.json()).is_empty());
    assert_eq!(
        hr2.get(&format!("/api/research_projects/{p}"))
            .await
            .status
            .as_u16(),
        404
    );
}

#[tokio::test]
async fn a_teaching_resource_takes_files_over_the_default_cap_up_to_its_own() {
    let app = spawn_with(
        WebConfig {
            login_rate_per_minute: 1000,
            max_attachment_bytes: 64 * 1024,
            ..WebConfig::default()
        },
        |a| a,
    )
    .await;
    let r = mk(
        &app,
        "teaching_resources",
        json!({"resource_no": "TR-1", "title": "新能源汽车高压安全课件", "kind": "courseware",
               "school_id": app.fx.school[0], "lead_id": app.fx.teacher, "licence": "campus"}),
    )
    .await;
    let aa = app.login_as("aa").await;
    let big = vec![b'a'; 100 * 1024];
    let up = |owner: &str, id: i64| {
        format!("/api/attachments?owner={owner}&owner_id={id}&name=notes.txt")
    };
    let ok = aa
        .send_file(&up("teaching_resources", r), "text/plain", big.clone())
        .await;
    assert_eq!(ok.status.as_u16(), 201, "{}", ok.text);
    // The same file on a student's record is over the configured 64 KiB.
    let refused = aa
        .send_file(&up("students", app.fx.student[0]), "text/plain", big)
        .await;
    assert_eq!(refused.status.as_u16(), 413, "{}", refused.text);

    // Usage: a view counted by opening the link, a download by serving the file from its first
    // byte (a range that starts later is not a new download); learners as entered.
    let id = ok.json()["id"].as_i64().unwrap();
    let student = app.login_as("student").await;
    let opened = student
        .send(
            reqwest::Method::POST,
            &format!("/api/teaching_resources/{r}/view"),
            None,
        )
        .await;
    assert_eq!(opened.status.as_u16(), 200, "{}", opened.text);
    student
        .send(
            reqwest::Method::POST,
            &format!("/api/teaching_resources/{r}/view"),
            None,
        )
        .await;
    assert_eq!(
        aa.get(&format!("/api/attachments/{id}/file"))
            .await
            .status
            .as_u16(),
        200
    );
    let part = aa
        .send_with(
            reqwest::Method::GET,
            &format!("/api/attachments/{id}/file"),
            None,
            &[("range", "bytes=10-")],
        )
        .await;
    assert_eq!(part.status.as_u16(), 206);
    let usage = aa.get("/api/teaching_resources/usage").await.json();
    assert_eq!(
        usage["items"],
        json!([{"resource_id": r, "learners": null, "views": 2, "downloads": 1}])
    );
    // A resource outside one's scope is not found, and nothing is counted.
    let hr2 = app.login_as("hr2").await;
    let hidden = hr2
        .send(
            reqwest::Method::POST,
            &format!("/api/teaching_resources/{r}/view"),
            None,
        )
        .await;
    assert_eq!(hidden.status.as_u16(), 404);
    assert_eq!(
        aa.get("/api/teaching_resources/usage").await.json()["items"][0]["views"],
        2
    );
}
