//! International exchange (issue 15 §1) through the HTTP API: the international office keeps the
//! records, a school's office reads its own school's, the yearly totals equal hand counts (a stay
//! across New Year split between the years, a person counted once), and the Belt and Road flag
//! on countries ships with the list and is edited by an administrator only.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use skillbridge_core::access::{Actor, Office, Role};

/// Accounts of the international office: college-wide (`intl`) and of school 2 (`intl2`).
async fn international_office(app: &App) -> (Session, Session) {
    for (name, school) in [("intl", None), ("intl2", Some(app.fx.school[1]))] {
        app.store
            .accounts()
            .create_user(
                &Actor::system(),
                name,
                "国际交流处",
                password_hash(),
                &[Role::Staff {
                    office: Office::International,
                    school_id: school,
                }],
                "fixture",
            )
            .await
            .unwrap();
    }
    (app.login_as("intl").await, app.login_as("intl2").await)
}

async fn post(s: &Session, path: &str, body: Value) -> Reply {
    s.send(Method::POST, path, Some(body)).await
}

async fn created(s: &Session, path: &str, body: Value) -> i64 {
    let r = post(s, path, body).await;
    assert_eq!(r.status, 201, "{path}: {}", r.text);
    r.json()["id"].as_i64().unwrap()
}

fn totals_of(r: &Reply) -> (i64, i64, Vec<String>) {
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    let countries = v["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    (
        v["persons"].as_i64().unwrap(),
        v["person_days"].as_i64().unwrap(),
        countries,
    )
}

#[tokio::test]
async fn the_office_keeps_the_records_and_the_totals_equal_hand_counts() {
    let app = spawn_app().await;
    let fx = app.fx.clone();
    let (intl, intl2) = international_office(&app).await;
    let partner = created(
        &intl,
        "/api/organisations",
        json!({"kind": "foreign", "name": "科伦坡职业技术学院", "country_code": "LK"}),
    )
    .await;
    // An exchange of school 1 with its student s1 from 2025-12-20 to 2026-01-10: 12 days in
    // 2025 (20..31 December), 10 in 2026.
    let program = created(
        &intl,
        "/api/exchange_programs",
        json!({"name": "斯里兰卡数字乡村研学", "direction": "outbound", "org_id": partner,
               "country_code": "LK", "school_id": fx.school[0],
               "start_date": "2025-12-20", "end_date": "2026-01-10"}),
    )
    .await;
    created(
        &intl,
        "/api/exchange_participants",
        json!({"program_id": program, "kind": "student", "student_id": fx.student[0]}),
    )
    .await;
    // A visitor needs a name; a student participant names no visitor.
    let r = post(
        &intl,
        "/api/exchange_participants",
        json!({"program_id": program, "kind": "visitor"}),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(r.text.contains("visitor_name"), "{}", r.text);
    // Dealer technicians in Saudi Arabia, school 1: 20 trainees, 2025-12-27..2026-01-05 (10
    // days), 200 person-days: 100 in each year.
    created(
        &intl,
        "/api/training_abroad",
        json!({"title": "经销商技术人员培训", "country_code": "SA", "school_id": fx.school[0],
               "trainee_kind": "dealer_technicians", "trainees": 20, "start_date": "2025-12-27",
               "end_date": "2026-01-05", "person_days": 200}),
    )
    .await;
    // More person-days than trainees × days is refused.
    let r = post(
        &intl,
        "/api/training_abroad",
        json!({"title": "超量培训", "country_code": "SA", "school_id": fx.school[0],
               "trainee_kind": "employees", "trainees": 2, "start_date": "2025-01-01",
               "end_date": "2025-01-02", "person_days": 5}),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.text);
    // An expert from Germany at school 2 for the whole of 2025: 365 days.
    created(
        &intl2,
        "/api/foreign_experts",
        json!({"name": "Anna Weber", "country_code": "DE", "school_id": fx.school[1],
               "start_date": "2025-01-01", "end_date": "2025-12-31",
               "email": "anna.weber@example.de"}),
    )
    .await;
    // The office of school 2 writes only for school 2.
    let r = post(
        &intl2,
        "/api/foreign_experts",
        json!({"name": "Other Expert", "country_code": "DE", "school_id": fx.school[0],
               "start_date": "2025-01-01", "end_date": "2025-01-31"}),
    )
    .await;
    assert_ne!(r.status, 201, "{}", r.text);
    let all = intl.get("/api/foreign_experts").await.json();
    assert_eq!(all["total"], 1, "{all}");

    let (p, d, c) = totals_of(&intl.get("/api/international/totals?year=2025").await);
    assert_eq!((p, d), (1 + 20 + 1, 12 + 100 + 365));
    assert_eq!(c, vec!["DE", "LK", "SA"]);
    let (p, d, c) = totals_of(&intl.get("/api/international/totals?year=2026").await);
    assert_eq!((p, d), (1 + 20, 10 + 100));
    assert_eq!(c, vec!["LK", "SA"]);
    let v = intl.get("/api/international/totals?year=2025").await.json();
    assert_eq!(v["years"], json!([2025, 2026]));
    let training = v["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "training_abroad")
        .unwrap()
        .clone();
    assert_eq!(
        (&training["persons"], &training["person_days"]),
        (&json!(20), &json!(100))
    );

    school_and_outsiders(&app, &intl, partner).await;
}

/// A school's office counts and reads only its school's people and writes nothing; a teacher
/// has no totals; a year out of range is refused.
async fn school_and_outsiders(app: &App, intl: &Session, partner: i64) {
    let fx = &app.fx;
    // Student affairs of school 1 counts school 1's people only (not school 2's expert).
    let sa1 = app.login_as("sa1").await;
    let (p, d, c) = totals_of(&sa1.get("/api/international/totals?year=2025").await);
    assert_eq!((p, d), (21, 112));
    assert_eq!(c, vec!["LK", "SA"]);
    assert_eq!(sa1.get("/api/foreign_experts").await.json()["total"], 0);
    // And reads but does not write.
    let r = post(
        &sa1,
        "/api/intl_projects",
        json!({"name": "项目", "kind": "other", "org_id": partner, "country_code": "LK",
               "school_id": fx.school[0], "start_date": "2025-01-01"}),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.text);

    let teacher = app.login_as("teacher").await;
    assert_eq!(
        teacher
            .get("/api/international/totals?year=2025")
            .await
            .status,
        403
    );
    let r = intl.get("/api/international/totals?year=1999").await;
    assert_eq!(r.status, 422, "{}", r.text);
}

#[tokio::test]
async fn the_belt_and_road_flag_ships_with_its_list_and_only_an_administrator_edits_it() {
    let app = spawn_app().await;
    let admin = app.login_as("admin").await;
    let flagged = admin
        .get("/api/countries?belt_and_road=true&limit=500")
        .await
        .json();
    assert_eq!(
        flagged["total"].as_i64().unwrap() as usize,
        skillbridge_core::reference::belt_and_road_codes().len()
    );
    let row = |v: Value| v["items"][0].clone();
    let it = row(admin.get("/api/countries?alpha2=IT").await.json());
    assert_eq!(it["belt_and_road"], false);
    let lk = row(admin.get("/api/countries?alpha2=LK").await.json());
    assert_eq!(lk["belt_and_road"], true);
    let path = format!("/api/countries/{}", it["id"]);
    let aa = app.login_as("aa").await;
    let r = aa
        .send(Method::PATCH, &path, Some(json!({"belt_and_road": true})))
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
    let r = admin
        .send(Method::PATCH, &path, Some(json!({"belt_and_road": true})))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(admin.get(&path).await.json()["belt_and_road"], true);
}
