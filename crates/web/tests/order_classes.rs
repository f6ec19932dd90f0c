//! Order classes end to end through the API (issue 4), on SQLite or, with
//! `SKILLBRIDGE_TEST_DATABASE_URL`, PostgreSQL: students apply with ranked lists, sponsors score,
//! staff run, review, check and publish the allocation, students accept and decline, and the
//! refill places nobody who accepted lower and fills the declined seats. Also: an enterprise user
//! sees only its own order classes and applicants, without personal fields; a student sees only
//! their own; imports report every bad cell and commit nothing; unsafe routes need the own origin.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{json, Map, Value};
use skillbridge_core::access::{Actor, ContactRole, Role};
use skillbridge_core::modules::college::STUDENTS;
use skillbridge_core::modules::order_classes::{
    ALLOCATION_RUNS, ORDER_APPLICATIONS, ORDER_CLASSES, ORDER_CLASS_PROGRAMS, ORDER_OFFERS,
};
use skillbridge_core::modules::partners::CONTACTS;
use skillbridge_core::schema;

struct World {
    app: App,
    /// Student ids S0..S6 (S0 is the fixture's s1, account `student`).
    s: Vec<i64>,
    /// Accounts of S0..S6.
    users: Vec<String>,
    /// New-energy vehicles (o1, 2 seats, interview), digital media (o2, 2 seats, grade >= 60,
    /// ranked by the enterprise), Saudi after-sales (o1, 1 seat, interview), and a class for the
    /// 2023 cohort.
    a: i64,
    b: i64,
    c: i64,
    d: i64,
}

async fn mk(app: &App, def: &'static schema::ResourceDef, v: Value) -> i64 {
    app.store
        .create(&Actor::system(), def, v.as_object().unwrap(), "fixture")
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}", def.name))["id"]
        .as_i64()
        .unwrap()
}

async fn world() -> World {
    let app = spawn_app().await;
    let (s, users) = students(&app).await;
    hr_of_o1(&app).await;
    let [a, b, c, d] = order_classes(&app).await;
    World {
        app,
        s,
        users,
        a,
        b,
        c,
        d,
    }
}

/// Students S0..S6 and their accounts (S0 is the fixture's s1, account `student`).
async fn students(app: &App) -> (Vec<i64>, Vec<String>) {
    let fx = app.fx.clone();
    let mut s = vec![fx.student[0]];
    let mut users = vec!["student".to_string()];
    for i in 1..=6 {
        let id = mk(app, &STUDENTS, json!({"student_no": format!("20240101{i:02}"), "name": format!("学生{i}"), "gender": "1",
            "id_number": skillbridge_core::ids::make_id_number("500106", "20060301", 100 + i), "phone": format!("1391234{i:04}"),
            "program_id": fx.program[0], "class_id": fx.class[0], "entry_year": 2024, "status": "enrolled"})).await;
        let name = format!("st{i}");
        app.store
            .accounts()
            .create_user(
                &Actor::system(),
                &name,
                &name,
                password_hash(),
                &[Role::Student { student_id: id }],
                "fixture",
            )
            .await
            .unwrap();
        s.push(id);
        users.push(name);
    }
    (s, users)
}

/// HR of o1, account `hr1` (the fixture has HR only at o2: `hr2`).
async fn hr_of_o1(app: &App) {
    let fx = app.fx.clone();
    let hr = mk(
        app,
        &CONTACTS,
        json!({"org_id": fx.org[0], "name": "孙经理", "kind": "hr"}),
    )
    .await;
    app.store
        .accounts()
        .create_user(
            &Actor::system(),
            "hr1",
            "孙经理",
            password_hash(),
            &[Role::Enterprise {
                org_id: fx.org[0],
                contact_id: hr,
                relation: ContactRole::Hr,
            }],
            "fixture",
        )
        .await
        .unwrap();
}

/// The order classes A, B, C, D of [`World`], open, recruiting from the fixture's first program.
async fn order_classes(app: &App) -> [i64; 4] {
    let fx = app.fx.clone();
    let class = |name: &str,
                 org: i64,
                 seats: i64,
                 interview: bool,
                 min: Option<i64>,
                 years: &str| {
        json!({"name": name, "org_id": org, "seats": seats, "entry_years": years, "requirements": "新能源汽车构造、电池管理系统",
               "opens_on": "2025-01-01", "closes_on": "2099-12-31", "min_grade": min, "interview_required": interview, "status": "open"})
    };
    let a = mk(
        app,
        &ORDER_CLASSES,
        class("长安新能源汽车订单班", fx.org[0], 2, true, None, "2024"),
    )
    .await;
    let b = mk(
        app,
        &ORDER_CLASSES,
        class(
            "华龙网数字媒体订单班",
            fx.org[1],
            2,
            false,
            Some(60),
            "2024,2025",
        ),
    )
    .await;
    let c = mk(
        app,
        &ORDER_CLASSES,
        class("沙特海外售后订单班", fx.org[0], 1, true, None, "2024"),
    )
    .await;
    let d = mk(
        app,
        &ORDER_CLASSES,
        class("2023级订单班", fx.org[0], 5, false, None, "2023"),
    )
    .await;
    for cl in [a, b, c, d] {
        mk(
            app,
            &ORDER_CLASS_PROGRAMS,
            json!({"order_class_id": cl, "program_id": fx.program[0]}),
        )
        .await;
    }
    [a, b, c, d]
}

fn offer_of(v: &Value, class: i64) -> Option<&Value> {
    v["offers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["order_class_id"] == json!(class) && o["status"] != json!("superseded"))
}

/// The accounts the order class walk-through acts as: the students S0..S6, placement staff
/// (`aa`) and the sponsors' HR (`hr1` at o1, `hr2` at o2).
struct Cast {
    st: Vec<Session>,
    aa: Session,
    hr1: Session,
    hr2: Session,
}

/// The ranked lists of S0..S6 (first choice first).
fn lists(w: &World) -> [Vec<i64>; 7] {
    let (a, b, c) = (w.a, w.b, w.c);
    [
        vec![a, b],
        vec![c, a],
        vec![b, a],
        vec![a, c],
        vec![a, b],
        vec![c, b],
        vec![b],
    ]
}

fn applicants(v: &Value) -> Vec<Value> {
    v["applicants"].as_array().unwrap().clone()
}

fn by_student(list: &[Value], s: i64) -> Value {
    list.iter().find(|x| x["student_id"] == json!(s)).unwrap()["id"].clone()
}

fn review_row<'a>(w: &World, review: &'a Value, i: usize) -> &'a Value {
    review["students"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["student_id"] == json!(w.s[i]))
        .unwrap()
}

/// The order class student S`i` is placed in by a run's review.
fn placed(w: &World, review: &Value, i: usize) -> Option<i64> {
    review_row(w, review, i)["order_class_id"].as_i64()
}

fn reasons(w: &World, review: &Value, i: usize) -> Vec<Value> {
    review_row(w, review, i)["reasons"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn apply_score_run_explain_check_publish_respond_refill() {
    let w = world().await;
    let app = &w.app;
    let mut st = Vec::new();
    for u in &w.users {
        st.push(app.login_as(u).await);
    }
    let cast = Cast {
        st,
        aa: app.login_as("aa").await,
        hr1: app.login_as("hr1").await,
        hr2: app.login_as("hr2").await,
    };
    apply_with_ranked_lists(&w, &cast.st).await;
    refused_lists_change_nothing(&w, &cast.st).await;
    enter_grades(&w, &cast.aa).await;
    sponsors_score_their_classes(&w, &cast).await;
    let run = run_and_review(&w, &cast).await;
    check_and_publish(&w, &cast, run).await;
    students_answer(&w, &cast.st, run).await;
    let refill = refill_declined_seats(&w, &cast, run).await;
    after_the_refill(&w, &cast, run, refill).await;
}

async fn apply_with_ranked_lists(w: &World, st: &[Session]) {
    let lists = lists(w);
    for (i, l) in lists.iter().enumerate() {
        let r = st[i]
            .send(
                Method::PUT,
                "/api/order_choices",
                Some(json!({"order_class_ids": l})),
            )
            .await;
        assert_eq!(r.status, 200, "S{i}: {}", r.text);
        let apps = r.json()["applications"].as_array().unwrap().clone();
        assert_eq!(apps.len(), l.len());
        for (k, class) in l.iter().enumerate() {
            assert_eq!(apps[k]["order_class_id"], json!(class));
            assert_eq!(apps[k]["student_rank"], json!(k + 1));
        }
    }
}

/// Refusals name the entry: the wrong cohort, too many, twice the same.
async fn refused_lists_change_nothing(w: &World, st: &[Session]) {
    let (a, b, c) = (w.a, w.b, w.c);
    let r = st[6]
        .send(
            Method::PUT,
            "/api/order_choices",
            Some(json!({"order_class_ids": [b, w.d]})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["field"], "order_class_ids[1]");
    assert_eq!(r.json()["fields"][0]["code"], "cohort");
    let r = st[6]
        .send(
            Method::PUT,
            "/api/order_choices",
            Some(json!({"order_class_ids": [b, b]})),
        )
        .await;
    assert_eq!(r.json()["fields"][0]["code"], "duplicate", "{}", r.text);
    let r = st[6]
        .send(
            Method::PUT,
            "/api/order_choices",
            Some(json!({"order_class_ids": [b, a, c, w.d, 999, 998]})),
        )
        .await;
    assert_eq!(r.json()["fields"][0]["code"], "too_many", "{}", r.text);
    let mine = st[6].get("/api/order_choices").await.json();
    assert_eq!(
        mine["applications"].as_array().unwrap().len(),
        1,
        "refused lists change nothing"
    );
    let listed = mine["classes"].as_array().unwrap();
    let d_row = listed.iter().find(|x| x["id"] == json!(w.d)).unwrap();
    assert_eq!(d_row["can_apply"], json!(false));
    assert_eq!(d_row["reason"]["code"], "cohort");
}

async fn enter_grades(w: &World, aa: &Session) {
    let b = w.b;
    // Staff enter grade averages (digital media needs 60).
    let apps = aa
        .get(&format!(
            "/api/order_applications?order_class_id={b}&limit=100"
        ))
        .await
        .json();
    for x in apps["items"].as_array().unwrap() {
        let r = aa
            .send(
                Method::PATCH,
                &format!("/api/order_applications/{}", x["id"]),
                Some(json!({"grade_average": 75})),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
}

/// Sponsors score their own classes: HR of o1 for A and C, HR of o2 ranks B.
async fn sponsors_score_their_classes(w: &World, cast: &Cast) {
    let (a, c) = (w.a, w.c);
    let hr1 = &cast.hr1;
    let la = applicants(
        &hr1.get(&format!("/api/order_classes/{a}/applicants"))
            .await
            .json(),
    );
    assert_eq!(la.len(), 5);
    for x in &la {
        let o = x.as_object().unwrap();
        for k in ["id_number", "phone", "address", "home_region"] {
            assert!(!o.contains_key(k), "{k} shown to the sponsor");
        }
        assert!(o["student_name"].is_string() && o["program_name"].is_string());
    }
    let scores_a = json!({"scores": [
        {"application_id": by_student(&la, w.s[0]), "interview_score": 95},
        {"application_id": by_student(&la, w.s[1]), "interview_score": 90},
        {"application_id": by_student(&la, w.s[3]), "interview_score": 80},
    ]});
    let r = hr1
        .send(
            Method::PUT,
            &format!("/api/order_classes/{a}/scores"),
            Some(scores_a),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let lc = applicants(
        &hr1.get(&format!("/api/order_classes/{c}/applicants"))
            .await
            .json(),
    );
    let r = hr1
        .send(
            Method::PUT,
            &format!("/api/order_classes/{c}/scores"),
            Some(json!({"scores": [
                {"application_id": by_student(&lc, w.s[5]), "interview_score": 92},
                {"application_id": by_student(&lc, w.s[1]), "interview_score": 88},
            ]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // A score out of range, and an application of another class: refused, nothing written.
    let r = hr1
        .send(
            Method::PUT,
            &format!("/api/order_classes/{c}/scores"),
            Some(json!({"scores": [
            {"application_id": by_student(&lc, w.s[5]), "interview_score": 101}]})),
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json()["fields"][0]["field"].as_str()),
        (422, Some("scores[0].interview_score"))
    );
    let r = hr1
        .send(
            Method::PUT,
            &format!("/api/order_classes/{c}/scores"),
            Some(json!({"scores": [
            {"application_id": by_student(&lc, w.s[5]), "interview_score": 10},
            {"application_id": by_student(&la, w.s[0]), "interview_score": 10}]})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let lc2 = applicants(
        &hr1.get(&format!("/api/order_classes/{c}/applicants"))
            .await
            .json(),
    );
    assert!(
        lc2.iter().any(|x| x["interview_score"] == json!(92)),
        "rolled back"
    );
    decimal_scores(w, cast).await;
    rank_b(w, cast).await;
}

/// Interview scores take one decimal: 88.5 is saved and read back as 88.5 (on the scoring list
/// and on the application record); 150, 88.55 and a score that is not a number are refused at
/// their field with a code and a message in each language, and nothing is clamped or written.
async fn decimal_scores(w: &World, cast: &Cast) {
    let c = w.c;
    let hr1 = &cast.hr1;
    let path = format!("/api/order_classes/{c}/scores");
    let lc = applicants(
        &hr1.get(&format!("/api/order_classes/{c}/applicants"))
            .await
            .json(),
    );
    let app = by_student(&lc, w.s[1]);
    let put = |score: Value| {
        hr1.send(
            Method::PUT,
            &path,
            Some(json!({"scores": [{"application_id": app, "interview_score": score}]})),
        )
    };
    let r = put(json!(88.5)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let back = applicants(
        &hr1.get(&format!("/api/order_classes/{c}/applicants"))
            .await
            .json(),
    );
    let row = back.iter().find(|x| x["id"] == json!(app)).unwrap();
    assert_eq!(row["interview_score"], json!(88.5));
    let rec = hr1
        .get(&format!("/api/order_applications/{app}"))
        .await
        .json();
    assert_eq!(rec["interview_score"], json!(88.5));
    for (score, code) in [
        (json!(150), "out_of_range"),
        (json!(88.55), "precision"),
        (json!("abc"), "invalid"),
        (json!([1]), "invalid"),
    ] {
        let r = put(score.clone()).await;
        let body = r.json();
        assert_eq!(r.status, 422, "{score}: {}", r.text);
        let f = &body["fields"][0];
        assert_eq!(f["field"], json!("scores[0].interview_score"), "{score}");
        assert_eq!(f["code"], json!(code), "{score}");
        let (zh, en) = (
            f["message_zh"].as_str().unwrap(),
            f["message_en"].as_str().unwrap(),
        );
        assert!(!zh.is_empty() && !en.is_empty() && !zh.contains(" / ") && !en.contains(" / "));
        assert!(!en.contains("deserialize") && !en.contains("i64"), "{en}");
    }
    let r = put(json!(150)).await;
    assert_eq!(
        r.json()["fields"][0]["message_zh"],
        json!("须在 0 到 100 之间")
    );
    // A body of the wrong shape is a field error with a code, never the parser's text.
    let r = hr1
        .send(
            Method::PUT,
            &path,
            Some(json!({"scores": [{"application_id": "x", "interview_score": 80}]})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let f = &r.json()["fields"][0];
    assert_eq!(
        (f["field"].as_str(), f["code"].as_str()),
        (Some("scores[0].application_id"), Some("wrong_type"))
    );
    assert!(!r.text.contains("Failed to deserialize"), "{}", r.text);
    let back = applicants(
        &hr1.get(&format!("/api/order_classes/{c}/applicants"))
            .await
            .json(),
    );
    let row = back.iter().find(|x| x["id"] == json!(app)).unwrap();
    assert_eq!(
        row["interview_score"],
        json!(88.5),
        "nothing clamped or written"
    );
    // Put the whole score back for the rest of the flow.
    assert_eq!(put(json!(88)).await.status, 200);
}

async fn rank_b(w: &World, cast: &Cast) {
    let b = w.b;
    let (hr1, hr2) = (&cast.hr1, &cast.hr2);
    // HR of o1 cannot reach o2's class; HR of o2 ranks it.
    assert_eq!(
        hr1.get(&format!("/api/order_classes/{b}/applicants"))
            .await
            .status,
        404
    );
    let lb = applicants(
        &hr2.get(&format!("/api/order_classes/{b}/applicants"))
            .await
            .json(),
    );
    let ranks: Vec<Value> = [(6, 1), (2, 2), (4, 3), (5, 4), (0, 5)]
        .iter()
        .map(|(i, r)| json!({"application_id": by_student(&lb, w.s[*i]), "enterprise_rank": r}))
        .collect();
    let r = hr2
        .send(
            Method::PUT,
            &format!("/api/order_classes/{b}/scores"),
            Some(json!({"scores": ranks})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

async fn run_and_review(w: &World, cast: &Cast) -> i64 {
    let (a, b, c) = (w.a, w.b, w.c);
    let aa = &cast.aa;
    // Staff run the allocation with a recorded seed.
    let r = aa
        .send(
            Method::POST,
            "/api/allocation/runs",
            Some(json!({"order_class_ids": [a, b, c], "seed": "20260301"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let run = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["seed"], "20260301");
    assert_eq!(r.json()["status"], "draft");
    let review = aa
        .get(&format!("/api/allocation/runs/{run}/review"))
        .await
        .json();
    assert_eq!(review["check"]["stable"], json!(true), "{review}");
    // Worked by hand from the lists, scores and ranks above (no ties).
    let expect = [Some(a), Some(a), Some(b), None, None, Some(c), Some(b)];
    for (i, e) in expect.iter().enumerate() {
        assert_eq!(placed(w, &review, i), *e, "S{i}");
    }
    // S1 listed C first; C filled its one seat with S5, whom it ranked higher.
    let r1 = reasons(w, &review, 1);
    assert_eq!(r1[0]["reason"]["kind"], "filled_with_higher_ranked");
    assert!(
        r1[0]["zh"].as_str().unwrap().contains("沙特海外售后订单班"),
        "{r1:?}"
    );
    // Staff read the explanations in the third person (the student's own page says "you").
    assert!(
        r1[1]["en"].as_str().unwrap().contains("(their choice 2)"),
        "{r1:?}"
    );
    assert!(r1[0]["zh"].as_str().unwrap().starts_with("该生"), "{r1:?}");
    assert!(!r1[0]["zh"].as_str().unwrap().contains('你'), "{r1:?}");
    // S4 has no interview score for A: not acceptable there, with the reason.
    let r4 = reasons(w, &review, 4);
    assert_eq!(r4[0]["reason"]["kind"], "not_acceptable");
    assert!(
        r4[0]["en"]
            .as_str()
            .unwrap()
            .contains("requires an interview"),
        "{r4:?}"
    );
    review_search_filter_page(aa, run, &review).await;
    run
}

/// The review's search, outcome and program filters and paging, checked against the full list.
async fn review_search_filter_page(aa: &Session, run: i64, full: &Value) {
    let all = full["students"].as_array().unwrap();
    assert_eq!(full["total"], json!(all.len()));
    assert_eq!(full["students_total"], json!(all.len()));
    let get = |q: String| async move {
        let r = aa
            .get(&format!("/api/allocation/runs/{run}/review?{q}"))
            .await;
        assert_eq!(r.status, 200, "{q}: {}", r.text);
        r.json()
    };
    let nos = |v: &Value| -> Vec<String> {
        v["students"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["student_no"].as_str().unwrap().to_string())
            .collect()
    };
    // Paging: pages of 3 in order, covering the list once.
    let mut paged = Vec::new();
    for offset in (0..all.len()).step_by(3) {
        let p = get(format!("limit=3&offset={offset}")).await;
        assert_eq!(p["total"], json!(all.len()));
        assert!(p["students"].as_array().unwrap().len() <= 3);
        paged.extend(nos(&p));
    }
    assert_eq!(paged, nos(full));
    // Outcome: placed and unplaced split the list.
    let placed = get("outcome=placed".into()).await;
    let unplaced = get("outcome=unplaced".into()).await;
    let n_placed = all
        .iter()
        .filter(|s| !s["order_class_id"].is_null())
        .count();
    assert_eq!(placed["total"], json!(n_placed));
    assert_eq!(unplaced["total"], json!(all.len() - n_placed));
    assert!(unplaced["students"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["order_class_id"].is_null()));
    // Search by part of a student number, and by name.
    let first = &all[0];
    let no = first["student_no"].as_str().unwrap();
    let tail = &no[no.len() - 4..];
    let by_no = get(format!("q={tail}")).await;
    assert!(nos(&by_no).contains(&no.to_string()));
    assert!(nos(&by_no).iter().all(|n| n.contains(tail)));
    let name = first["name"].as_str().unwrap();
    let by_name = get(format!("q={}", urlencode(name))).await;
    assert!(nos(&by_name).contains(&no.to_string()), "{by_name}");
    // Program: the run's programs are offered, and each filters to its students.
    let programs = full["programs"].as_array().unwrap();
    assert!(!programs.is_empty());
    let mut covered = 0;
    for p in programs {
        let id = p["id"].as_i64().unwrap();
        let want = all.iter().filter(|s| s["program_id"] == json!(id)).count();
        let got = get(format!("program_id={id}")).await;
        assert_eq!(got["total"], json!(want), "program {id}");
        covered += want;
    }
    assert_eq!(covered, all.len());
    // An unknown outcome is a field error.
    let r = aa
        .get(&format!("/api/allocation/runs/{run}/review?outcome=maybe"))
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["field"], "outcome");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn check_and_publish(w: &World, cast: &Cast, run: i64) {
    let app = &w.app;
    let (aa, hr1, st) = (&cast.aa, &cast.hr1, &cast.st);
    let check = aa
        .get(&format!("/api/allocation/runs/{run}/check"))
        .await
        .json();
    assert_eq!(
        (check["stable"].as_bool(), check["placed"].as_i64()),
        (Some(true), Some(5))
    );
    // The leader may read the run, so may rerun the check; a sponsor may not.
    assert_eq!(
        app.login_as("leader")
            .await
            .get(&format!("/api/allocation/runs/{run}/check"))
            .await
            .status,
        200
    );
    assert_eq!(
        hr1.get(&format!("/api/allocation/runs/{run}/check"))
            .await
            .status,
        403
    );
    // Nothing is offered before publication.
    assert!(st[0].get("/api/order_choices").await.json()["offers"]
        .as_array()
        .unwrap()
        .is_empty());

    let r = aa
        .send(
            Method::POST,
            &format!("/api/allocation/runs/{run}/publish"),
            Some(json!({"respond_by": "2099-12-31"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = aa
        .send(
            Method::POST,
            &format!("/api/allocation/runs/{run}/publish"),
            Some(json!({"respond_by": "2099-12-31"})),
        )
        .await;
    assert_eq!(r.status, 409, "published once");
}

/// Students see their results and explanation, and answer.
async fn students_answer(w: &World, st: &[Session], run: i64) {
    let (a, b, c) = (w.a, w.b, w.c);
    let mine1 = st[1].get("/api/order_choices").await.json();
    let offer1 = offer_of(&mine1, a).unwrap().clone();
    assert_eq!(offer1["can_respond"], json!(true));
    assert_eq!(mine1["explanation"]["run_id"], json!(run));
    assert_eq!(
        mine1["explanation"]["reasons"][0]["reason"]["kind"],
        "filled_with_higher_ranked"
    );
    let offer_id = |i: usize, class: i64| {
        let st = st[i].clone();
        async move {
            offer_of(&st.get("/api/order_choices").await.json(), class).unwrap()["id"]
                .as_i64()
                .unwrap()
        }
    };
    let answer = |i: usize, id: i64, verb: &'static str| {
        let st = st[i].clone();
        async move {
            st.send(
                Method::POST,
                &format!("/api/order_offers/{id}/{verb}"),
                None,
            )
            .await
        }
    };
    let (o0, o1, o2, o5, o6) = (
        offer_id(0, a).await,
        offer_id(1, a).await,
        offer_id(2, b).await,
        offer_id(5, c).await,
        offer_id(6, b).await,
    );
    // Nobody answers another student's offer (not found), nor one twice.
    assert_eq!(answer(0, o1, "accept").await.status, 404);
    assert_eq!(answer(5, o5, "decline").await.status, 200);
    assert_eq!(answer(1, o1, "accept").await.status, 200);
    let r = answer(1, o1, "decline").await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(r.json()["code"], "already_decided", "{}", r.text);
    assert_eq!(answer(0, o0, "decline").await.status, 200);
    assert_eq!(answer(2, o2, "accept").await.status, 200);
    assert_eq!(answer(6, o6, "decline").await.status, 200);
}

async fn refill_declined_seats(w: &World, cast: &Cast, run: i64) -> i64 {
    let (a, b, c) = (w.a, w.b, w.c);
    let aa = &cast.aa;
    let lists = lists(w);
    // Refill: without S0, S5, S6.
    let r = aa
        .send(
            Method::POST,
            &format!("/api/allocation/runs/{run}/refill"),
            None,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let refill = r.json()["id"].as_i64().unwrap();
    assert_eq!(
        (
            r.json()["refill_round"].as_i64(),
            r.json()["refills_id"].as_i64()
        ),
        (Some(1), Some(run))
    );
    let review2 = aa
        .get(&format!("/api/allocation/runs/{refill}/review"))
        .await
        .json();
    assert_eq!(review2["check"]["stable"], json!(true), "{review2}");
    let check2 = aa
        .get(&format!("/api/allocation/runs/{refill}/check"))
        .await
        .json();
    assert_eq!(check2["stable"], json!(true));
    // Accepted students are never moved down: S1 (accepted A, choice 2) moves up to C, the seat
    // S5 declined; S2 keeps B. Declined seats are refilled: A's by S3, B's by S4.
    let place_in =
        |list: &[i64], class: Option<i64>| class.and_then(|c| list.iter().position(|x| *x == c));
    for (i, accepted) in [(1usize, a), (2, b)] {
        let before = place_in(&lists[i], Some(accepted)).unwrap();
        let after = place_in(&lists[i], placed(w, &review2, i)).expect("still placed");
        assert!(after <= before, "S{i} moved down");
    }
    let expect2 = [(1, Some(c)), (2, Some(b)), (3, Some(a)), (4, Some(b))];
    for (i, e) in expect2 {
        assert_eq!(placed(w, &review2, i), e, "S{i} after the refill");
    }
    for gone in [0, 5, 6] {
        assert!(review2["students"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["student_id"] != json!(w.s[gone])));
    }
    let r = aa
        .send(
            Method::POST,
            &format!("/api/allocation/runs/{refill}/publish"),
            Some(json!({"respond_by": "2099-12-31"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    refill
}

async fn after_the_refill(w: &World, cast: &Cast, run: i64, refill: i64) {
    let (a, b, c) = (w.a, w.b, w.c);
    let app = &w.app;
    let (aa, hr1, st) = (&cast.aa, &cast.hr1, &cast.st);
    // S1's accepted A offer is superseded by a new offer at C; S2's acceptance stands; S3 and S4
    // get new offers.
    let mine1 = st[1].get("/api/order_choices").await.json();
    let all1 = mine1["offers"].as_array().unwrap();
    assert!(all1
        .iter()
        .any(|o| o["order_class_id"] == json!(a) && o["status"] == "superseded"));
    assert_eq!(offer_of(&mine1, c).unwrap()["status"], "offered");
    assert_eq!(
        offer_of(&st[2].get("/api/order_choices").await.json(), b).unwrap()["status"],
        "accepted"
    );
    assert_eq!(
        offer_of(&st[3].get("/api/order_choices").await.json(), a).unwrap()["status"],
        "offered"
    );
    assert_eq!(
        offer_of(&st[4].get("/api/order_choices").await.json(), b).unwrap()["status"],
        "offered"
    );
    let r = aa
        .send(
            Method::POST,
            &format!("/api/allocation/runs/{run}/refill"),
            None,
        )
        .await;
    assert_eq!(r.status, 409, "refilled once: {}", r.text);
    assert_eq!(r.json()["code"], "already_refilled", "{}", r.text);
    assert!(
        r.json()["message_en"]
            .as_str()
            .unwrap()
            .contains("already been refilled"),
        "{}",
        r.text
    );

    // Scores cannot change once the class's allocation is published.
    let r = hr1
        .send(
            Method::PUT,
            &format!("/api/order_classes/{a}/scores"),
            Some(json!({"scores": []})),
        )
        .await;
    assert_eq!(r.status, 422);
    // Results export as a spreadsheet (an attachment), audited.
    let r = aa
        .get(&format!("/api/allocation/runs/{refill}/export?format=xlsx"))
        .await;
    assert_eq!(r.status, 200);
    assert!(r.headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let csv = aa
        .get(&format!("/api/allocation/runs/{refill}/export?format=csv"))
        .await;
    assert!(
        csv.text.contains("沙特海外售后订单班") && csv.text.contains("学号"),
        "{}",
        csv.text
    );
    // Runs, publications, refills, lists, scores and answers are in the audit trail.
    let audit = app
        .store
        .audit_trail()
        .list(&Actor::system(), None, 500, 0)
        .await
        .unwrap();
    for action in [
        "apply",
        "score",
        "allocate",
        "publish",
        "refill",
        "offer_accept",
        "offer_decline",
        "export",
    ] {
        assert!(
            audit.iter().any(|e| e.action == action),
            "no {action} in the audit trail"
        );
    }
    let alloc = audit.iter().find(|e| e.action == "allocate").unwrap();
    assert!(alloc.detail.contains("seed 20260301"), "{}", alloc.detail);
    assert!(app
        .store
        .audit_trail()
        .verify(&Actor::system(), &[])
        .await
        .unwrap()
        .is_ok());
}

#[tokio::test]
async fn enterprise_users_see_only_their_own_classes_and_applicants_and_students_only_their_own() {
    let w = world().await;
    let app = &w.app;
    let st: Vec<_> = {
        let mut v = Vec::new();
        for u in &w.users {
            v.push(app.login_as(u).await);
        }
        v
    };
    let run = apply_run_and_publish(&w, &st).await;
    let all = All {
        apps: everything(app, &ORDER_APPLICATIONS).await,
        offers: everything(app, &ORDER_OFFERS).await,
    };
    // hr2 (o2): walking every id sees only o2's class B and its applicants and offers.
    for (who, org) in [("hr2", app.fx.org[1]), ("hr1", app.fx.org[0])] {
        sponsor_sees_only_its_own(&w, &all, who, org).await;
    }
    // A student sees their own applications and offers only.
    for (i, sess) in st.iter().enumerate().take(3) {
        student_sees_only_their_own(&w, &all, run, i, sess).await;
    }
}

/// S0..S2 apply, staff enter grades, run and publish; returns the run.
async fn apply_run_and_publish(w: &World, st: &[Session]) -> i64 {
    let app = &w.app;
    for (i, l) in [[w.a, w.b], [w.b, w.c], [w.c, w.a]].iter().enumerate() {
        let r = st[i]
            .send(
                Method::PUT,
                "/api/order_choices",
                Some(json!({"order_class_ids": l})),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let aa = app.login_as("aa").await;
    let bs = aa
        .get(&format!("/api/order_applications?order_class_id={}", w.b))
        .await
        .json();
    for x in bs["items"].as_array().unwrap() {
        let r = aa
            .send(
                Method::PATCH,
                &format!("/api/order_applications/{}", x["id"]),
                Some(json!({"grade_average": 80})),
            )
            .await;
        assert_eq!(r.status, 200);
    }
    let r = aa
        .send(
            Method::POST,
            "/api/allocation/runs",
            Some(json!({"order_class_ids": [w.a, w.b, w.c]})),
        )
        .await;
    let run = r.json()["id"].as_i64().unwrap();
    assert_eq!(
        aa.send(
            Method::POST,
            &format!("/api/allocation/runs/{run}/publish"),
            Some(json!({"respond_by": "2099-12-31"}))
        )
        .await
        .status,
        200
    );
    run
}

/// Every application and every offer, read as the system.
struct All {
    apps: Vec<Map<String, Value>>,
    offers: Vec<Map<String, Value>>,
}

async fn everything(app: &App, def: &'static schema::ResourceDef) -> Vec<Map<String, Value>> {
    app.store
        .list(
            &Actor::system(),
            def,
            &skillbridge_store::ListQuery {
                limit: 500,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .items
}

fn class_org(w: &World, c: i64) -> i64 {
    if c == w.b {
        w.app.fx.org[1]
    } else {
        w.app.fx.org[0]
    }
}

/// The sponsor `who` of organisation `org`, walking every id, sees only its own order classes,
/// their applicants and offers, without personal fields, and no student records.
async fn sponsor_sees_only_its_own(w: &World, all: &All, who: &str, org: i64) {
    let app = &w.app;
    let (all_apps, all_offers) = (&all.apps, &all.offers);
    let max_app = all_apps
        .iter()
        .filter_map(|x| x["id"].as_i64())
        .max()
        .unwrap();
    let max_offer = all_offers
        .iter()
        .filter_map(|x| x["id"].as_i64())
        .max()
        .unwrap();
    let class_org = |c: i64| class_org(w, c);
    let s = app.login_as(who).await;
    for id in 1..=max_app + 2 {
        let r = s.get(&format!("/api/order_applications/{id}")).await;
        let own = all_apps.iter().any(|x| {
            x["id"] == json!(id) && class_org(x["order_class_id"].as_i64().unwrap()) == org
        });
        assert_eq!(
            r.status,
            if own { 200 } else { 404 },
            "{who} application {id}: {}",
            r.text
        );
    }
    for id in 1..=max_offer + 2 {
        let r = s.get(&format!("/api/order_offers/{id}")).await;
        let own = all_offers.iter().any(|x| {
            x["id"] == json!(id) && class_org(x["order_class_id"].as_i64().unwrap()) == org
        });
        assert_eq!(r.status, if own { 200 } else { 404 }, "{who} offer {id}");
    }
    for c in [w.a, w.b, w.c, w.d, w.d + 1] {
        let own = c <= w.d && class_org(c) == org;
        for path in [
            format!("/api/order_classes/{c}"),
            format!("/api/order_classes/{c}/applicants"),
        ] {
            let r = s.get(&path).await;
            assert_eq!(r.status, if own { 200 } else { 404 }, "{who} {path}");
            for k in ["id_number", "phone", "address", "home_region"] {
                assert!(
                    !r.text.contains(&format!("\"{k}\"")),
                    "{who} {path} shows {k}"
                );
            }
        }
    }
    let list = s.get("/api/order_applications?limit=500").await.json();
    assert!(!list["items"].as_array().unwrap().is_empty());
    for x in list["items"].as_array().unwrap() {
        assert_eq!(
            class_org(x["order_class_id"].as_i64().unwrap()),
            org,
            "{who} listed {x}"
        );
    }
    let classes = s.get("/api/order_classes?limit=500").await.json();
    for x in classes["items"].as_array().unwrap() {
        assert_eq!(x["org_id"], json!(org));
    }
    // No students' records through the back door either: the generic student routes stay
    // scoped to the organisation's mentees (none for HR).
    for i in &w.s[1..] {
        assert_eq!(s.get(&format!("/api/students/{i}")).await.status, 404);
    }
}

async fn student_sees_only_their_own(w: &World, all: &All, run: i64, i: usize, sess: &Session) {
    let (all_apps, all_offers) = (&all.apps, &all.offers);
    for x in all_apps {
        let r = sess
            .get(&format!("/api/order_applications/{}", x["id"]))
            .await;
        let own = x["student_id"] == json!(w.s[i]);
        assert_eq!(r.status, if own { 200 } else { 404 });
    }
    for x in all_offers {
        let r = sess.get(&format!("/api/order_offers/{}", x["id"])).await;
        assert_eq!(
            r.status,
            if x["student_id"] == json!(w.s[i]) {
                200
            } else {
                404
            }
        );
    }
    let list = sess.get("/api/order_applications?limit=500").await.json();
    for x in list["items"].as_array().unwrap() {
        assert_eq!(x["student_id"], json!(w.s[i]));
    }
    assert_eq!(
        sess.get(&format!("/api/order_classes/{}/applicants", w.a))
            .await
            .status,
        403
    );
    assert_eq!(
        sess.get(&format!("/api/allocation/runs/{run}/review"))
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn import_of_applications_and_scores_reports_bad_rows_and_commits_nothing() {
    let w = world().await;
    let app = &w.app;
    let aa = app.login_as("aa").await;
    let count = || async { app.store.count(&ORDER_APPLICATIONS).await.unwrap() };
    let before = count().await;
    let bad = "学生,订单班,志愿顺序,平均成绩,面试成绩\n\
               2024010001,长安新能源汽车订单班,1,80,90\n\
               2099999999,长安新能源汽车订单班,1,80,90\n\
               2024010101,沙特海外售后订单班,1,80,120\n\
               2024010101,不存在的订单班,2,80,60\n";
    let r = aa
        .send_bytes("/api/order_applications/import", bad.as_bytes().to_vec())
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let issues = r.json()["report"]["issues"].as_array().unwrap().clone();
    let got: Vec<(i64, &str, &str)> = issues
        .iter()
        .map(|i| {
            (
                i["row"].as_i64().unwrap(),
                i["column"].as_str().unwrap(),
                i["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (3, "学生", "not_found"),
            (4, "面试成绩", "out_of_range"),
            (5, "订单班", "not_found")
        ],
        "{issues:?}"
    );
    assert_eq!(count().await, before, "nothing committed");
    // Fixed, it imports; again, it changes nothing; then interview scores alone update rows.
    let good = "学生,订单班,志愿顺序,平均成绩\n\
                2024010001,长安新能源汽车订单班,1,80\n\
                2024010101,沙特海外售后订单班,1,70\n\
                2024010101,长安新能源汽车订单班,2,70\n";
    let r = aa
        .send_bytes("/api/order_applications/import", good.as_bytes().to_vec())
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["created"], 3);
    let r = aa
        .send_bytes("/api/order_applications/import", good.as_bytes().to_vec())
        .await;
    assert_eq!(r.json()["already_imported"], true, "{}", r.text);
    // A score with two decimals is refused at its cell, not rounded.
    let scores = "学生,订单班,面试成绩\n2024010101,长安新能源汽车订单班,77.25\n";
    let r = aa
        .send_bytes("/api/order_applications/import", scores.as_bytes().to_vec())
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(
        r.json()["report"]["issues"][0]["code"],
        "precision",
        "{}",
        r.text
    );
    let scores = "学生,订单班,面试成绩\n2024010101,长安新能源汽车订单班,77.5\n";
    let r = aa
        .send_bytes("/api/order_applications/import", scores.as_bytes().to_vec())
        .await;
    assert_eq!(
        (r.status.as_u16(), r.json()["updated"].as_i64()),
        (200, Some(1)),
        "{}",
        r.text
    );
    let hr1 = app.login_as("hr1").await;
    let la = hr1
        .get(&format!("/api/order_classes/{}/applicants", w.a))
        .await
        .json();
    let row = la["applicants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["student_no"] == "2024010101")
        .unwrap()
        .clone();
    assert_eq!(
        (
            row["interview_score"].as_f64(),
            row["student_rank"].as_i64()
        ),
        (Some(77.5), Some(2))
    );
    // A sponsor cannot import.
    assert_eq!(
        hr1.send_bytes("/api/order_applications/import", scores.as_bytes().to_vec())
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn unsafe_order_class_routes_need_the_own_origin() {
    let w = world().await;
    let app = &w.app;
    let student = app.login_as("student").await;
    let aa = app.login_as("aa").await;
    for (s, method, path, body) in [
        (
            &student,
            Method::PUT,
            "/api/order_choices".to_string(),
            json!({"order_class_ids": [w.a]}),
        ),
        (
            &aa,
            Method::POST,
            "/api/allocation/runs".to_string(),
            json!({"order_class_ids": [w.a]}),
        ),
        (
            &aa,
            Method::PUT,
            format!("/api/order_classes/{}/scores", w.a),
            json!({"scores": []}),
        ),
    ] {
        let r = s
            .send_with(method.clone(), &path, Some(body.clone()), &[])
            .await;
        assert_eq!(
            (r.status.as_u16(), r.json()["code"].as_str()),
            (403, Some("csrf")),
            "{path} without Origin"
        );
        let r = s
            .send_with(
                method.clone(),
                &path,
                Some(body.clone()),
                &[("origin", "http://evil.example")],
            )
            .await;
        assert_eq!(r.status, 403, "{path} with a foreign Origin");
    }
    assert!(app.store.count(&ALLOCATION_RUNS).await.unwrap() == 0);
    assert!(app.store.count(&ORDER_APPLICATIONS).await.unwrap() == 0);
    // The workflow's writes have no GET twin.
    assert_eq!(aa.get("/api/allocation/runs").await.status, 405);
    assert_eq!(student.get("/api/order_offers/1/accept").await.status, 405);
}
