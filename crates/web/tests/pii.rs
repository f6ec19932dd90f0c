//! No oracle on personal fields (issue 9, item 3), through the HTTP API: the probe-and-sort
//! attack written as a test, the enterprise user sorting students by ID number, every role
//! refused sort, range and partial matches on every personal field of every record type
//! (generated from the descriptions), exact matches only with the reveal right and audited, a
//! uniqueness clash that says nothing to whoever may not reveal, rate-limited and audited; and
//! e-mail as a personal field (item 8).

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use skillbridge_core::access::{Actor, Office, Role};
use skillbridge_core::audit::AuditEntry;
use skillbridge_core::ids::make_id_number;
use skillbridge_core::schema::{Pii, RESOURCES};
use skillbridge_web::WebConfig;

/// A school-scoped cooperation-office account: it writes contacts, reads students of every
/// school, and may reveal nothing.
async fn school_coop(app: &App) -> Session {
    app.store
        .accounts()
        .create_user(
            &Actor::system(),
            "coop1",
            "合作处（学院）",
            password_hash(),
            &[Role::Staff {
                office: Office::Cooperation,
                school_id: Some(app.fx.school[0]),
            }],
            "fixture",
        )
        .await
        .unwrap();
    app.login_as("coop1").await
}

async fn trail(app: &App, action: &str) -> Vec<AuditEntry> {
    app.store
        .audit_trail()
        .list(&Actor::system(), Some(action), 500, 0)
        .await
        .unwrap()
}

/// How the trail names a user: by internal id.
async fn user_ref(app: &App, username: &str) -> String {
    let id = app
        .store
        .user_by_username(username)
        .await
        .unwrap()
        .unwrap()
        .id;
    format!("user:{id}")
}

/// A refusal of a query on a personal field: 400, the code, the field, and no rows.
fn assert_refused(r: &Reply, field: &str, code: &str, what: &str) {
    assert_eq!(r.status, 400, "{what}: {}", r.text);
    let b = r.json();
    assert_eq!(b["code"], "personal_field_query", "{what}: {}", r.text);
    assert_eq!(b["fields"][0]["field"], field, "{what}");
    assert_eq!(b["fields"][0]["code"], code, "{what}");
    assert!(b.get("items").is_none(), "{what}: rows in a refusal");
}

#[tokio::test]
async fn probe_and_sort_attack_recovers_nothing() {
    let app = spawn_app().await;
    let coop = school_coop(&app).await;
    // The probe: a contact of the attacker's own making, at the target's organisation.
    let r = coop
        .send(
            Method::POST,
            "/api/contacts",
            Some(json!({"org_id": app.fx.org[0], "name": "探针", "kind": "contact", "phone": "13000000000"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let probe = r.json()["id"].as_i64().unwrap();
    let target = "13600001111"; // the enterprise mentor's phone (fixture)
                                // Bisection over the phone numbers, as the attack did: each round moves the probe and asks
                                // the list where it lands. Every question is refused, so nothing narrows.
    let (mut lo, mut hi) = (13_000_000_000u64, 13_999_999_999u64);
    let mut answered = 0;
    for round in 0..13 {
        let guess = (lo + hi) / 2;
        let r = coop
            .send(
                Method::PATCH,
                &format!("/api/contacts/{probe}"),
                Some(json!({"phone": guess.to_string()})),
            )
            .await;
        assert_eq!(r.status, 200, "round {round}: {}", r.text);
        for (path, code) in [
            (
                "/api/contacts?sort=phone&limit=500".to_string(),
                "personal_sort",
            ),
            (
                "/api/contacts?sort=-phone&limit=500".to_string(),
                "personal_sort",
            ),
            (format!("/api/contacts?phone.gte={guess}"), "personal_range"),
            (format!("/api/contacts?phone.lt={guess}"), "personal_range"),
            (
                format!("/api/contacts?phone={}*", &target[..5]),
                "personal_substring",
            ),
            (
                format!("/api/contacts?phone.prefix={}", &target[..5]),
                "personal_substring",
            ),
            (
                format!("/api/contacts?phone={target}"),
                "personal_exact_needs_reveal",
            ),
            (
                "/api/students/export?sort=phone".to_string(),
                "personal_sort",
            ),
        ] {
            let r = coop.get(&path).await;
            if r.status == 200 {
                answered += 1;
            }
            assert_refused(&r, "phone", code, &path);
        }
        // Free-text search never looks in a personal field: the target is not found by part
        // of its phone.
        let r = coop
            .get(&format!("/api/contacts?q={}", &target[3..9]))
            .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.json()["total"], 0, "q reached the phone: {}", r.text);
        // Without an answer the attacker can only guess a side.
        if round % 2 == 0 {
            lo = guess;
        } else {
            hi = guess;
        }
    }
    assert_eq!(answered, 0);
    // Students: the ID number by prefix, range or sort.
    for (path, code) in [
        ("/api/students?id_number.prefix=5101", "personal_substring"),
        ("/api/students?id_number=5101*", "personal_substring"),
        ("/api/students?id_number.gte=510104", "personal_range"),
        ("/api/students?sort=id_number", "personal_sort"),
        (
            "/api/students/export?id_number=5101%25",
            "personal_substring",
        ),
    ] {
        assert_refused(&coop.get(path).await, "id_number", code, path);
    }
    // The default list still works, masked.
    let r = coop.get("/api/contacts?limit=500").await;
    assert_eq!(r.status, 200);
    assert!(!r.text.contains(target));
}

/// The members of a refusal (or of one of its field errors): its code, its message in each
/// language, and (for the refusal) the field errors; nothing that could name a holder.
fn only_code_and_messages(v: &Value, text: &str) {
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let want: &[&str] = if v.get("field").is_some() {
        &["code", "field", "message", "message_en", "message_zh"]
    } else {
        &["code", "fields", "message", "message_en", "message_zh"]
    };
    assert_eq!(keys, want, "{text}");
}

#[tokio::test]
async fn a_clash_on_a_personal_value_says_only_that_it_cannot_be_used() {
    let app = spawn_with(
        WebConfig {
            login_rate_per_minute: 1000,
            pii_clash_per_minute: 3,
            ..WebConfig::default()
        },
        |a| a,
    )
    .await;
    // Student affairs of school 1: may reveal students of school 1 only.
    let sa1 = app.login_as("sa1").await;
    let mine = make_id_number("500106", "20060301", 11); // student 1, school 1
    let theirs = make_id_number("510104", "20060511", 22); // student 2, school 2
    let r = sa1
        .send(
            Method::POST,
            "/api/students",
            Some(Value::Object(sample("students", 1, &app.fx))),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let probe = r.json()["id"].as_i64().unwrap();
    // A holder the user may reveal: the precise message.
    let r = sa1
        .send(
            Method::PATCH,
            &format!("/api/students/{probe}"),
            Some(json!({"id_number": mine})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["code"], "duplicate", "{}", r.text);
    // A holder outside the reveal scope: the same words for every such clash, no id, no hint.
    let mut bodies = Vec::new();
    for _ in 0..3 {
        let r = sa1
            .send(
                Method::PATCH,
                &format!("/api/students/{probe}"),
                Some(json!({"id_number": theirs})),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.text);
        let f = &r.json()["fields"][0];
        assert_eq!(f["field"], "id_number");
        assert_eq!(f["code"], "unusable", "{}", r.text);
        assert!(!r.text.contains("exist"), "{}", r.text);
        // Nothing but the code, the message (in each language) and the one field error: no
        // holder, no record.
        let b = r.json();
        only_code_and_messages(&b, &r.text);
        only_code_and_messages(f, &r.text);
        assert_eq!(b["fields"].as_array().unwrap().len(), 1, "{}", r.text);
        assert!(!r.text.contains(&theirs[..6]), "{}", r.text);
        bodies.push(r.json());
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]));
    // The fourth clash in the minute: refused before the write, 429.
    let r = sa1
        .send(
            Method::PATCH,
            &format!("/api/students/{probe}"),
            Some(json!({"id_number": theirs})),
        )
        .await;
    assert_eq!(r.status, 429, "{}", r.text);
    // Even a harmless write waits for the minute to end.
    let r = sa1
        .send(
            Method::PATCH,
            &format!("/api/students/{probe}"),
            Some(json!({"name": "探针同学"})),
        )
        .await;
    assert_eq!(r.status, 429, "{}", r.text);
    // Audited: who (by id), which record type and field; never the value.
    let clashes = trail(&app, "pii_clash").await;
    // Refusals go through the aggregating queue: counted, singly or in one entry.
    let refusals = |es: &[AuditEntry]| es.iter().map(AuditEntry::refusals).sum::<u64>();
    assert_eq!(refusals(&clashes), 3, "{clashes:?}");
    let limited = trail(&app, "pii_clash_limited").await;
    assert_eq!(refusals(&limited), 2, "{limited:?}");
    let sa1_id = user_ref(&app, "sa1").await;
    for e in clashes.iter().chain(&limited) {
        assert_eq!(e.actor, sa1_id);
        assert!(e.object.starts_with("students/"), "{e:?}");
        let text = format!("{e:?}");
        assert!(
            !text.contains(&theirs) && !text.contains(&theirs[..10]),
            "{text}"
        );
    }
    assert!(clashes.iter().all(|e| e.detail.contains("id_number")));
    // An admin (who may reveal every row) keeps the precise message.
    let admin = app.login_as("admin").await;
    let r = admin
        .send(
            Method::PATCH,
            &format!("/api/students/{probe}"),
            Some(json!({"id_number": theirs})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["fields"][0]["code"], "duplicate", "{}", r.text);
}

#[tokio::test]
async fn an_import_of_guesses_answers_no_more_than_single_writes() {
    let app = spawn_with(
        WebConfig {
            login_rate_per_minute: 1000,
            pii_clash_per_minute: 3,
            ..WebConfig::default()
        },
        |a| a,
    )
    .await;
    let sa1 = app.login_as("sa1").await;
    let theirs = make_id_number("510104", "20060511", 22);
    // The gender agrees with the ID number's 17th digit (an import checks it).
    let row = |n: u32, id: &str| {
        let g = if (id.as_bytes()[16] - b'0') % 2 == 1 {
            "男"
        } else {
            "女"
        };
        format!("2099{n:06},探针{n},{g},{id},A01,新能源2401,2025,在读\n")
    };
    // Two guesses: under the limit, the report says "cannot be used" on the clashing row.
    let mut csv = "学号,姓名,性别,身份证号,专业,班级,入学年份,学籍状态\n".to_string();
    csv.push_str(&row(1, &theirs));
    csv.push_str(&row(2, &make_id_number("500106", "20070101", 5)));
    let r = sa1
        .send_bytes(
            "/api/students/import?dry_run=true",
            csv.clone().into_bytes(),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let issues = r.json()["report"]["issues"].clone();
    let codes: Vec<&str> = issues
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["field"] == "id_number")
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["unusable"], "{issues}");
    // A file of many guesses: over the limit, no report at all.
    let mut csv = "学号,姓名,性别,身份证号,专业,班级,入学年份,学籍状态\n".to_string();
    for n in 0..5 {
        csv.push_str(&row(10 + n, &theirs));
    }
    let r = sa1
        .send_bytes("/api/students/import?dry_run=true", csv.into_bytes())
        .await;
    assert_eq!(r.status, 429, "{}", r.text);
    assert!(!r.text.contains("unusable"));
    assert!(!trail(&app, "pii_clash_limited").await.is_empty());
}

#[tokio::test]
async fn an_enterprise_user_cannot_sort_or_match_students_by_id_number() {
    let app = spawn_app().await;
    for role in ["mentor", "hr2"] {
        let s = app.login_as(role).await;
        for (path, code) in [
            ("/api/students?sort=id_number", "personal_sort"),
            ("/api/students?sort=-id_number", "personal_sort"),
            ("/api/students?id_number.gte=5", "personal_range"),
            ("/api/students?id_number=5*", "personal_substring"),
        ] {
            assert_refused(&s.get(path).await, "id_number", code, path);
        }
        let full = make_id_number("500106", "20060301", 11);
        let r = s.get(&format!("/api/students?id_number={full}")).await;
        assert_refused(&r, "id_number", "personal_exact_needs_reveal", role);
    }
}

#[tokio::test]
async fn every_role_is_refused_sort_range_and_partial_matches_on_every_personal_field() {
    let app = spawn_app().await;
    let mut sessions = Vec::new();
    for role in ROLES.iter().filter(|r| **r != "anon") {
        sessions.push((*role, app.login_as(role).await));
    }
    let mut cases = 0;
    for def in RESOURCES {
        let exportable = !def.import_key.is_empty();
        for f in def.fields.iter().filter(|f| f.pii != Pii::None) {
            let n = f.name;
            let mut queries = vec![
                (format!("sort={n}"), "personal_sort"),
                (format!("sort=-{n}"), "personal_sort"),
                (format!("{n}.gte=1"), "personal_range"),
                (format!("{n}.lt=9"), "personal_range"),
                (format!("{n}.prefix=1"), "personal_substring"),
                (format!("{n}.contains=1"), "personal_substring"),
                (format!("{n}=1*"), "personal_substring"),
                (format!("{n}=%251"), "personal_substring"),
            ];
            queries.push((format!("sort=name&{n}.gt=0"), "personal_range"));
            for (role, s) in &sessions {
                for (q, code) in &queries {
                    let path = format!("/api/{}?{q}", def.name);
                    assert_refused(&s.get(&path).await, n, code, &format!("{role} {path}"));
                    cases += 1;
                    if exportable {
                        let path = format!("/api/{}/export?{q}", def.name);
                        assert_refused(&s.get(&path).await, n, code, &format!("{role} {path}"));
                        cases += 1;
                    }
                }
            }
        }
    }
    assert!(cases > 500, "only {cases} cases");
}

#[tokio::test]
async fn an_exact_match_is_for_whoever_may_reveal_and_is_audited() {
    let app = spawn_app().await;
    let s1 = make_id_number("500106", "20060301", 11);
    let s2 = make_id_number("510104", "20060511", 22);
    // College-wide academic affairs may reveal every student: one row, masked, audited.
    let aa = app.login_as("aa").await;
    let r = aa.get(&format!("/api/students?id_number={s1}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["total"], 1);
    assert_eq!(r.json()["items"][0]["id"], app.fx.student[0]);
    // School-scoped student affairs: only within the rows it may reveal.
    let sa1 = app.login_as("sa1").await;
    assert_eq!(
        sa1.get(&format!("/api/students?id_number={s1}"))
            .await
            .json()["total"],
        1
    );
    let r = sa1.get(&format!("/api/students?id_number={s2}")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["total"], 0, "outside the reveal scope: {}", r.text);
    // A teacher and a leader read students but may not reveal.
    for role in ["teacher", "leader"] {
        let r = app
            .login_as(role)
            .await
            .get(&format!("/api/students?id_number={s1}"))
            .await;
        assert_refused(&r, "id_number", "personal_exact_needs_reveal", role);
    }
    let log = trail(&app, "search_personal").await;
    assert_eq!(log.len(), 3, "{log:?}");
    for e in &log {
        assert_eq!(e.object, "students.id_number");
        assert!(e.detail.starts_with("user "), "{e:?}");
        let text = format!("{e:?}");
        assert!(
            !text.contains(&s1) && !text.contains(&s2),
            "value in the trail: {text}"
        );
    }
    let (aa, sa1) = (user_ref(&app, "aa").await, user_ref(&app, "sa1").await);
    assert!(log.iter().any(|e| e.actor == aa) && log.iter().any(|e| e.actor == sa1));
}

#[tokio::test]
async fn email_is_a_personal_field_masked_outside_the_reveal() {
    let app = spawn_app().await;
    let admin = app.login_as("admin").await;
    let email = "liwei.teacher@cqvc.edu.cn";
    let r = admin
        .send(
            Method::PATCH,
            &format!("/api/staff/{}", app.fx.teacher),
            Some(json!({"email": email})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["email"], "l***@cqvc.edu.cn");
    let r = admin
        .send(
            Method::PATCH,
            &format!("/api/contacts/{}", app.fx.mentor_contact),
            Some(json!({"email": "zhaogong@changan.com.cn"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    for role in ["aa", "coop", "leader", "teacher"] {
        let s = app.login_as(role).await;
        for path in ["/api/staff?limit=500", "/api/contacts?limit=500"] {
            let r = s.get(path).await;
            assert!(
                !r.text.contains(email) && !r.text.contains("zhaogong@"),
                "{role} {path}: {}",
                r.text
            );
        }
    }
    // Enterprise users never see it, not even masked.
    let r = app
        .login_as("mentor")
        .await
        .get("/api/contacts?limit=500")
        .await;
    assert_eq!(r.status, 200);
    assert!(!r.text.contains("changan.com.cn"), "{}", r.text);
    // A masked value sent back leaves it unchanged; the reveal gives it in full, audited.
    let r = admin
        .send(
            Method::PATCH,
            &format!("/api/staff/{}", app.fx.teacher),
            Some(json!({"email": "l***@cqvc.edu.cn", "office": "汽车系"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = admin
        .send(
            Method::POST,
            &format!("/api/staff/{}/reveal", app.fx.teacher),
            Some(json!({"field": "email", "reason": "联系教师核对信息"})),
        )
        .await;
    assert_eq!(r.json()["value"], email);
    // The description says so.
    let meta = admin.get("/api/meta").await.json();
    let staff = meta["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "staff")
        .unwrap();
    let f = staff["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "email")
        .unwrap();
    assert_eq!(f["pii"], "email");
}
