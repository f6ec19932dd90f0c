//! Training bases through the HTTP API: conflict-free bookings under concurrent requests (on the
//! database the environment names: SQLite, or PostgreSQL with SKILLBRIDGE_TEST_DATABASE_URL),
//! changes and cancellations, the iCalendar feed, utilisation, audit, and the equipment import.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use skillbridge_core::access::Actor;
use skillbridge_core::modules::bases::{BASE_PROGRAMS, BOOKINGS, EQUIPMENT, TRAINING_BASES};

/// A new bookable base with `ws` workstations, of school 1, co-built with o1.
async fn new_base(app: &App, name: &str, ws: i64) -> i64 {
    app.store
        .create(
            &Actor::system(),
            &TRAINING_BASES,
            json!({"name": name, "kind": "campus", "school_id": app.fx.school[0], "partner_org_id": app.fx.org[0], "workstations": ws, "status": "active"})
                .as_object()
                .unwrap(),
            "t",
        )
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

fn booking(base: i64, kind: &str, extra: Value, from: &str, to: &str, teacher: i64) -> Value {
    let mut v = json!({"base_id": base, "kind": kind, "staff_id": teacher, "course_name": "整车检测实训",
                       "start_at": from, "end_at": to, "status": "active"});
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

/// Sends all `bodies` at once, each from its own signed-in session, and returns the replies.
async fn race(app: &App, role: &str, bodies: Vec<Value>) -> Vec<Reply> {
    let mut sessions = Vec::new();
    for _ in &bodies {
        sessions.push(app.login_as(role).await);
    }
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(bodies.len()));
    let mut set = tokio::task::JoinSet::new();
    for (s, b) in sessions.into_iter().zip(bodies) {
        let barrier = barrier.clone();
        set.spawn(async move {
            barrier.wait().await;
            s.send(Method::POST, "/api/bookings", Some(b)).await
        });
    }
    let mut out = Vec::new();
    while let Some(r) = set.join_next().await {
        out.push(r.unwrap());
    }
    out
}

async fn active_count(app: &App, base: i64) -> i64 {
    let page = app
        .store
        .list(
            &Actor::system(),
            &BOOKINGS,
            &skillbridge_store::ListQuery {
                filters: vec![
                    ("base_id".into(), base.to_string()),
                    ("status".into(), "active".into()),
                ],
                limit: 500,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    page.total
}

async fn clients_race_for_one_slot(n: usize) {
    let app = spawn_app().await;
    let base = new_base(&app, &format!("竞速基地{n}"), 40).await;
    // The same piece of equipment, overlapping intervals that are all different.
    let eq = app
        .store
        .create(
            &Actor::system(),
            &EQUIPMENT,
            json!({"asset_no": format!("RACE-{n}"), "name": "四轮定位仪", "status": "in_service", "base_id": base})
                .as_object()
                .unwrap(),
            "t",
        )
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let bodies: Vec<Value> = (0..n)
        .map(|i| {
            booking(
                base,
                "equipment",
                json!({"equipment_id": eq}),
                &format!("2037-03-02T{:02}:00", 8 + i % 2),
                &format!("2037-03-02T{:02}:30", 10 + i % 3),
                app.fx.teacher,
            )
        })
        .collect();
    let replies = race(&app, "teacher", bodies).await;
    let created: Vec<&Reply> = replies.iter().filter(|r| r.status == 201).collect();
    assert_eq!(
        created.len(),
        1,
        "exactly one booking on {}: {:?}",
        skillbridge_store::testing::backend_name(),
        replies
            .iter()
            .map(|r| r.status.as_u16())
            .collect::<Vec<_>>()
    );
    let winner = created[0].json()["id"].as_i64().unwrap();
    for r in replies.iter().filter(|r| r.status != 201) {
        assert_eq!(r.status, 409, "{}", r.text);
        let v = r.json();
        assert_eq!(v["code"], "booking_conflict");
        let msg = v["message"].as_str().unwrap();
        assert!(
            !msg.contains('#'),
            "names the booking, not its id: {msg} ({winner})"
        );
        assert!(msg.contains("整车检测实训"), "names who: {msg}");
        assert!(msg.contains("2037-03-02"), "names when: {msg}");
        // The same message in each language, for the page to show in its user's language.
        let (zh, en) = (
            v["message_zh"].as_str().unwrap(),
            v["message_en"].as_str().unwrap(),
        );
        // Never glued: `message` is the English one.
        assert_eq!(msg, en);
        assert!(!zh.contains(en) && !en.contains("与已有"), "{zh} | {en}");
        assert!(zh.starts_with("与已有预约冲突：整车检测实训"), "{zh}");
        assert!(
            en.starts_with("conflicts with booking 整车检测实训"),
            "{en}"
        );
    }
    assert_eq!(active_count(&app, base).await, 1);
}

#[tokio::test]
async fn two_clients_race_for_one_slot() {
    clients_race_for_one_slot(2).await;
}

#[tokio::test]
async fn twenty_clients_race_for_one_slot() {
    clients_race_for_one_slot(20).await;
}

#[tokio::test]
async fn twenty_clients_race_for_workstations_and_the_peak_holds() {
    let app = spawn_app().await;
    let base = new_base(&app, "工位竞速基地", 40).await;
    // 20 requests of 3 workstations, staggered so that they overlap in chains: the capacity
    // must hold at every instant, whichever order they arrive in.
    let bodies: Vec<Value> = (0..20)
        .map(|i| {
            booking(
                base,
                "workstations",
                json!({"workstations": 3}),
                &format!("2037-03-03T{:02}:{:02}", 8 + i / 6, (i % 6) * 10),
                &format!("2037-03-03T{:02}:00", 13 + i % 3),
                app.fx.teacher,
            )
        })
        .collect();
    let replies = race(&app, "admin", bodies).await;
    let ok = replies.iter().filter(|r| r.status == 201).count();
    // Every request overlaps 11:00–13:00, so at most 13 × 3 = 39 fit.
    assert_eq!(
        ok,
        13,
        "{:?}",
        replies
            .iter()
            .map(|r| r.status.as_u16())
            .collect::<Vec<_>>()
    );
    for r in replies.iter().filter(|r| r.status != 201) {
        assert_eq!(r.status, 409, "{}", r.text);
        assert_eq!(r.json()["code"], "booking_conflict", "{}", r.text);
        assert!(
            r.json()["message_en"]
                .as_str()
                .unwrap()
                .starts_with("not enough workstations"),
            "{}",
            r.text
        );
        assert!(
            r.json()["message"].as_str().unwrap().contains("39"),
            "{}",
            r.text
        );
    }
    assert_eq!(active_count(&app, base).await, 13);
}

#[tokio::test]
async fn updates_recheck_cancellations_free_and_both_are_audited() {
    let app = spawn_app().await;
    let teacher = app.login_as("teacher").await;
    let base = new_base(&app, "改期基地", 30).await;
    let t = app.fx.teacher;
    let a = teacher
        .send(
            Method::POST,
            "/api/bookings",
            Some(booking(
                base,
                "base",
                json!({}),
                "2037-03-04T08:00",
                "2037-03-04T10:00",
                t,
            )),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    let a_id = a.json()["id"].as_i64().unwrap();
    assert_eq!(a.json()["start_at"], "2037-03-04T00:00:00.000Z");
    let b = teacher
        .send(
            Method::POST,
            "/api/bookings",
            Some(booking(
                base,
                "workstations",
                json!({"workstations": 5}),
                "2037-03-04T10:00",
                "2037-03-04T12:00",
                t,
            )),
        )
        .await;
    assert_eq!(
        b.status, 201,
        "touching intervals do not overlap: {}",
        b.text
    );
    let b_id = b.json()["id"].as_i64().unwrap();
    // Moving b into a's time conflicts with a, named.
    let r = teacher
        .send(
            Method::PATCH,
            &format!("/api/bookings/{b_id}"),
            Some(json!({"start_at": "2037-03-04T09:00"})),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(r.json()["code"], "booking_conflict", "{}", r.text);
    let msg = r.json()["message_zh"].as_str().unwrap().to_string();
    assert!(
        msg.contains("2037-03-04") && !msg.contains(&format!("#{a_id}")),
        "{msg}"
    );
    // Moving it within its own slot is fine (it does not conflict with itself).
    let r = teacher
        .send(
            Method::PATCH,
            &format!("/api/bookings/{b_id}"),
            Some(json!({"end_at": "2037-03-04T11:30"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Cancelling a frees the slot; then b can move there.
    let r = teacher
        .send(
            Method::PATCH,
            &format!("/api/bookings/{a_id}"),
            Some(json!({"status": "cancelled"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = teacher
        .send(
            Method::PATCH,
            &format!("/api/bookings/{b_id}"),
            Some(json!({"start_at": "2037-03-04T09:00"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Reactivating a now conflicts with b.
    let r = teacher
        .send(
            Method::PATCH,
            &format!("/api/bookings/{a_id}"),
            Some(json!({"status": "active"})),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    refused_by_field(&app, &teacher, base).await;
    assert_eq!(teacher_audited(&app, "create", a_id).await, 1);
    assert_eq!(teacher_audited(&app, "cancel", a_id).await, 1);
    assert_eq!(teacher_audited(&app, "update", b_id).await, 2);
}

/// How many audit entries record the teacher doing `action` to booking `id`.
async fn teacher_audited(app: &App, action: &str, id: i64) -> usize {
    let audit = app
        .store
        .audit_trail()
        .list(&Actor::system(), None, 200, 0)
        .await
        .unwrap();
    // The trail names the teacher by account id.
    let teacher = app
        .store
        .user_by_username("teacher")
        .await
        .unwrap()
        .unwrap();
    let actor = format!("user:{}", teacher.id);
    audit
        .iter()
        .filter(|e| e.action == action && e.object == format!("bookings/{id}") && e.actor == actor)
        .count()
}

/// Bad intervals and targets are refused by field; a teacher books only as themselves.
async fn refused_by_field(app: &App, teacher: &Session, base: i64) {
    let t = app.fx.teacher;
    // Bad intervals and targets are refused by field.
    for (body, field) in [
        (
            booking(
                base,
                "base",
                json!({}),
                "2037-03-05T10:00",
                "2037-03-05T09:00",
                t,
            ),
            "end_at",
        ),
        (
            booking(
                base,
                "base",
                json!({}),
                "2037-03-05T10:00",
                "2037-03-06T10:01",
                t,
            ),
            "end_at",
        ),
        (
            booking(
                base,
                "workstations",
                json!({}),
                "2037-03-05T10:00",
                "2037-03-05T11:00",
                t,
            ),
            "workstations",
        ),
        (
            booking(
                base,
                "workstations",
                json!({"workstations": 31}),
                "2037-03-05T10:00",
                "2037-03-05T11:00",
                t,
            ),
            "workstations",
        ),
        (
            booking(
                base,
                "equipment",
                json!({"equipment_id": app.fx.equipment}),
                "2037-03-05T10:00",
                "2037-03-05T11:00",
                t,
            ),
            "equipment_id",
        ),
        (
            booking(base, "base", json!({}), "2037-03-05 10:00", "tomorrow", t),
            "end_at",
        ),
    ] {
        let r = teacher
            .send(Method::POST, "/api/bookings", Some(body))
            .await;
        assert_eq!(r.status, 422, "{}", r.text);
        assert_eq!(r.json()["fields"][0]["field"], field, "{}", r.text);
    }
    // A teacher books only as themselves.
    let r = teacher
        .send(
            Method::POST,
            "/api/bookings",
            Some(booking(
                base,
                "base",
                json!({"staff_id": null, "class_id": app.fx.class[0]}),
                "2037-03-06T08:00",
                "2037-03-06T09:00",
                t,
            )),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.text);
}

#[tokio::test]
async fn calendar_feed_and_utilisation() {
    let app = spawn_app().await;
    let aa = app.login_as("aa").await;
    let base = new_base(&app, "日历基地, 新能源", 20).await;
    let t = app.fx.teacher;
    // Two weekday bookings in the fixture's term (2025-09-01 to 2026-01-20).
    for (from, to, extra, kind) in [
        (
            "2025-09-02T08:00",
            "2025-09-02T12:00",
            json!({"workstations": 10, "purpose": "实训;考核,第1次"}),
            "workstations",
        ),
        ("2025-09-03T14:00", "2025-09-03T16:00", json!({}), "base"),
    ] {
        let r = aa
            .send(
                Method::POST,
                "/api/bookings",
                Some(booking(base, kind, extra, from, to, t)),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let r = aa
        .get(&format!("/api/training_bases/{base}/calendar.ics"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.headers["content-type"].to_str().unwrap(),
        "text/calendar; charset=utf-8"
    );
    assert!(r.headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert!(r.text.starts_with("BEGIN:VCALENDAR\r\n"));
    assert_eq!(r.text.matches("BEGIN:VEVENT\r\n").count(), 2);
    assert!(r.text.contains("DTSTART:20250902T000000Z\r\n"));
    assert!(r.text.contains("DTEND:20250903T080000Z\r\n"));
    let unfolded = r.text.replace("\r\n ", "");
    assert!(
        unfolded.contains("DESCRIPTION:实训\\;考核\\,第1次\r\n"),
        "{unfolded}"
    );
    assert!(unfolded.contains("X-WR-CALNAME:日历基地\\, 新能源\r\n"));
    // The feed holds only what the user may read: a student of class 2 sees none of these
    // (they are the teacher's, for no class), and an enterprise user of o2 not the base at all.
    let student = app.login_as("student").await;
    let r = student
        .get(&format!("/api/training_bases/{base}/calendar.ics"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.text.matches("BEGIN:VEVENT").count(), 0);
    let hr2 = app.login_as("hr2").await;
    assert_eq!(
        hr2.get(&format!("/api/training_bases/{base}/calendar.ics"))
            .await
            .status,
        404
    );
    // Week view: the bookings of one week.
    let r = aa
        .get(&format!(
            "/api/training_bases/{base}/bookings?from=2025-09-01T00:00&to=2025-09-03T00:00"
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let items = r.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert!(items[0]["who"].as_str().unwrap().contains("李老师"));
    utilisation_over_the_term(&app, &aa, base).await;
    // Over the limit, the latest bookings are kept (a feed shows what is current), oldest first.
    let (_, latest) = app
        .store
        .bases()
        .base_bookings(&Actor::system(), base, None, None, true, 1)
        .await
        .unwrap();
    assert_eq!(latest.len(), 1);
    assert_eq!(latest[0].record["start_at"], "2025-09-03T06:00:00.000Z");
    let (_, all) = app
        .store
        .bases()
        .base_bookings(&Actor::system(), base, None, None, true, 10)
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert!(all[0].record["start_at"].as_str() < all[1].record["start_at"].as_str());
    for bad in ["", "&open_from=22:00&open_to=08:00", "&weekends=maybe"] {
        let q = if bad.is_empty() {
            String::new()
        } else {
            format!("term_id={}{bad}", app.fx.term)
        };
        let r = aa
            .get(&format!("/api/training_bases/utilisation?{q}"))
            .await;
        assert_eq!(r.status, 422, "{bad}: {}", r.text);
    }
}

async fn utilisation_over_the_term(app: &App, aa: &Session, base: i64) {
    // Utilisation over the term: 2025-09-01..2026-01-20 has 102 weekdays × 14 h = 1428 h.
    let r = aa
        .get(&format!(
            "/api/training_bases/utilisation?term_id={}",
            app.fx.term
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    let row = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["base_id"] == base)
        .unwrap()
        .clone();
    assert_eq!(row["available_hours"], 1428.0);
    assert_eq!(row["occupied_hours"], 6.0);
    // 4 h × 10 ws + 2 h × 20 ws = 80 workstation-hours.
    assert_eq!(row["workstation_hours"], 80.0);
    assert_eq!(row["bookings"], 2);
    let rate = row["workstation_rate"].as_f64().unwrap();
    assert!((rate - 80.0 / (1428.0 * 20.0)).abs() < 1e-12);
    let r = aa
        .get(&format!(
            "/api/training_bases/utilisation?term_id={}&open_from=09:00&open_to=17:00&weekends=true",
            app.fx.term
        ))
        .await;
    let v = r.json();
    let row = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["base_id"] == base)
        .unwrap()
        .clone();
    // 142 days × 8 h; the first booking counts 09–12 only.
    assert_eq!(row["available_hours"], 1136.0);
    assert_eq!(row["occupied_hours"], 5.0);
}

#[tokio::test]
async fn equipment_import_reports_a_bad_row_then_imports_the_fixed_file() {
    let app = spawn_app().await;
    let aa = app.login_as("aa").await;
    let head = "资产编号,设备名称,规格型号,价值（分）,购置日期,状态,存放地点,所属基地\n";
    let good1 = "ZC-2026-0001,新能源汽车动力电池拆装台,BT-500,18000000,2024-06-01,在用,A区101,汽车实训中心\n";
    let good2 =
        "ZC-2026-0002,汽车故障诊断仪,X-431 PRO,2500000,2024/6/1,维修中,A区102,汽车实训中心\n";
    let bad = "ZC-2026-0003,四轮定位仪,V3D,-5,2024-06-01,在用,A区103,不存在的基地\n";
    let file = format!("{head}{good1}{good2}{bad}");
    let r = aa
        .send_bytes("/api/equipment/import", file.into_bytes())
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.json()["code"], "import_rejected");
    let rep = r.json()["report"].clone();
    assert_eq!(rep["committed"], false);
    let issues = rep["issues"].as_array().unwrap();
    let cells: Vec<(i64, &str)> = issues
        .iter()
        .map(|i| (i["row"].as_i64().unwrap(), i["column"].as_str().unwrap()))
        .collect();
    assert!(cells.contains(&(4, "所属基地")), "{issues:?}");
    assert!(cells.contains(&(4, "价值（分）")), "{issues:?}");
    assert!(issues
        .iter()
        .all(|i| i["row"] == 4 && !i["reason"].as_str().unwrap().is_empty()));
    // Nothing was committed: only the fixture's piece of equipment exists.
    assert_eq!(app.store.count(&EQUIPMENT).await.unwrap(), 1);
    let fixed = format!(
        "{head}{good1}{good2}{}",
        bad.replace(",-5,", ",6800000,")
            .replace("不存在的基地", "汽车实训中心")
    );
    let r = aa
        .send_bytes("/api/equipment/import", fixed.clone().into_bytes())
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json()["created"], 3);
    assert_eq!(app.store.count(&EQUIPMENT).await.unwrap(), 4);
    // Again: nothing to do.
    let r = aa
        .send_bytes("/api/equipment/import", fixed.into_bytes())
        .await;
    assert_eq!(r.json()["already_imported"], true, "{}", r.text);
    // Export names the base by name and the status by label, so it reads back.
    let r = aa.get("/api/equipment/export?format=csv").await;
    assert_eq!(r.status, 200);
    assert!(r.text.contains("ZC-2026-0002"), "{}", r.text);
    assert!(r.text.contains("维修中"));
    assert!(r.text.contains("汽车实训中心"));
    let r = aa.get("/api/equipment/template?format=csv").await;
    assert!(r.text.contains("资产编号"), "{}", r.text);
    // The school-less cooperation office may read the register but not import it.
    let coop = app.login_as("coop").await;
    let r = coop
        .send_bytes(
            "/api/equipment/import",
            format!("{head}{good1}").into_bytes(),
        )
        .await;
    assert_eq!(r.status, 403);
}

/// SECURITY goal 15 for the new writes: every unsafe route of bases, equipment and bookings
/// refuses a request without the server's own Origin, before it reaches the handler, and nothing
/// changes.
#[tokio::test]
async fn new_unsafe_routes_need_the_own_origin() {
    let app = spawn_app().await;
    let admin = app.login_as("admin").await;
    let before = app
        .store
        .audit_trail()
        .list(&Actor::system(), None, 1000, 0)
        .await
        .unwrap()
        .len();
    let counts = |s: skillbridge_store::Store| async move {
        let mut v = Vec::new();
        for def in [&TRAINING_BASES, &BASE_PROGRAMS, &EQUIPMENT, &BOOKINGS] {
            v.push(s.count(def).await.unwrap());
        }
        v
    };
    let start = counts(app.store.clone()).await;
    let mut walked = 0;
    for spec in skillbridge_web::routes().specs {
        let ours = ["training_bases", "base_programs", "equipment", "bookings"]
            .iter()
            .any(|r| spec.path.starts_with(&format!("/api/{r}")));
        if !ours || spec.method == "get" {
            continue;
        }
        let path = spec.path.replace("{id}", &app.fx.booking.to_string());
        let method = Method::from_bytes(spec.method.to_uppercase().as_bytes()).unwrap();
        for headers in [vec![], vec![("origin", "http://evil.example")]] {
            let r = admin
                .send_with(
                    method.clone(),
                    &path,
                    Some(json!({"status": "cancelled"})),
                    &headers,
                )
                .await;
            assert_eq!(r.status, 403, "{} {path}: {}", spec.method, r.text);
            assert_eq!(r.json()["code"], "csrf", "{} {path}", spec.method);
        }
        walked += 1;
    }
    assert!(walked >= 12, "walked {walked} unsafe routes");
    assert_eq!(counts(app.store.clone()).await, start);
    let b = app
        .store
        .get(&Actor::system(), &BOOKINGS, app.fx.booking)
        .await
        .unwrap();
    assert_eq!(b["status"], "active");
    let after = app
        .store
        .audit_trail()
        .list(&Actor::system(), None, 1000, 0)
        .await
        .unwrap();
    assert!(after.len() >= before);
    assert!(!after
        .iter()
        .any(|e| e.object.starts_with("bookings/") && e.action != "create"));
}

#[tokio::test]
async fn the_booking_form_asks_for_a_course_or_purpose() {
    let app = spawn_app().await;
    let teacher = app.login_as("teacher").await;
    let base = new_base(&app, "表单基地", 30).await;
    let t = app.fx.teacher;
    // The empty form as the page sends it (kind, date and times filled in): the course or the
    // purpose is asked for, at both fields, and nothing is booked.
    let empty = json!({"base_id": base, "kind": "workstations", "workstations": 1, "course_name": null,
        "class_id": null, "staff_id": t, "start_at": "2037-03-09T08:00", "end_at": "2037-03-09T09:40",
        "purpose": null, "status": "active"});
    let r = teacher
        .send(Method::POST, "/api/bookings", Some(empty.clone()))
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let fields: Vec<(String, String)> = r.json()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for f in ["course_name", "purpose"] {
        assert!(
            fields.contains(&(f.to_string(), "required".to_string())),
            "{fields:?}"
        );
    }
    // Nothing at all: each required field has its error.
    let r = teacher
        .send(Method::POST, "/api/bookings", Some(json!({})))
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let body = r.json();
    let named: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for f in ["base_id", "kind", "start_at", "end_at"] {
        assert!(named.contains(&f), "{named:?}");
    }
    assert_eq!(active_count(&app, base).await, 0);
    // A purpose alone will do.
    let mut ok = empty.clone();
    ok["purpose"] = json!("技能大赛集训");
    let r = teacher.send(Method::POST, "/api/bookings", Some(ok)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(active_count(&app, base).await, 1);
}

#[tokio::test]
async fn past_times_are_refused_unless_the_user_may_backdate() {
    let app = spawn_app().await;
    let teacher = app.login_as("teacher").await;
    let aa = app.login_as("aa").await;
    let base = new_base(&app, "补录基地", 30).await;
    let t = app.fx.teacher;
    let r = teacher
        .send(
            Method::POST,
            "/api/bookings",
            Some(booking(
                base,
                "base",
                json!({}),
                "2037-03-09T08:00",
                "2037-03-09T10:00",
                t,
            )),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let booked = r.json()["id"].as_i64().unwrap();
    // Past times: a teacher is refused at the start field; academic affairs may backdate.
    let past = |who: &str| {
        booking(
            base,
            "workstations",
            json!({"workstations": 2, "purpose": format!("补录 {who}")}),
            "2024-03-04T08:00",
            "2024-03-04T10:00",
            t,
        )
    };
    let r = teacher
        .send(Method::POST, "/api/bookings", Some(past("teacher")))
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["field"], "start_at");
    assert_eq!(r.json()["fields"][0]["code"], "in_past");
    let r = aa
        .send(Method::POST, "/api/bookings", Some(past("aa")))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    // Moving one's own booking into the past is refused too; cancelling a past one is not
    // a move (the fixture's booking of 2025 belongs to the teacher).
    let r = teacher
        .send(
            Method::PATCH,
            &format!("/api/bookings/{booked}"),
            Some(json!({"start_at": "2024-03-05T08:00", "end_at": "2024-03-05T09:00"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert_eq!(r.json()["fields"][0]["code"], "in_past");
    let r = teacher
        .send(
            Method::PATCH,
            &format!("/api/bookings/{}", app.fx.booking),
            Some(json!({"status": "cancelled"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn free_workstations_of_a_slot_are_capacity_less_the_peak() {
    let app = spawn_app().await;
    let teacher = app.login_as("teacher").await;
    let base = new_base(&app, "工位基地", 30).await;
    let t = app.fx.teacher;
    // Free workstations for a slot: 30 less the peak of the workstation bookings.
    for (n, from, to) in [
        (10, "2037-03-10T08:00", "2037-03-10T10:00"),
        (5, "2037-03-10T09:00", "2037-03-10T11:00"),
    ] {
        let r = teacher
            .send(
                Method::POST,
                "/api/bookings",
                Some(booking(
                    base,
                    "workstations",
                    json!({"workstations": n}),
                    from,
                    to,
                    t,
                )),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let free = |from: &'static str, to: &'static str| {
        let teacher = &teacher;
        async move {
            let r = teacher
                .get(&format!(
                    "/api/training_bases/{base}/free?from={from}&to={to}"
                ))
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
            r.json()
        }
    };
    let f = free("2037-03-10T08:00", "2037-03-10T12:00").await;
    assert_eq!(
        (
            f["capacity"].clone(),
            f["free"].clone(),
            f["booked"].clone()
        ),
        (json!(30), json!(15), json!(15)),
        "{f}"
    );
    assert_eq!(
        free("2037-03-10T08:00", "2037-03-10T09:00").await["free"],
        20
    );
    assert_eq!(
        free("2037-03-10T10:00", "2037-03-10T12:00").await["free"],
        25
    );
    assert_eq!(
        free("2037-03-10T11:00", "2037-03-10T12:00").await["free"],
        30
    );
    // The count agrees with the conflict check: 15 more fit over 08–12, 16 do not.
    let try_n = |n: i64| {
        booking(
            base,
            "workstations",
            json!({"workstations": n}),
            "2037-03-10T08:00",
            "2037-03-10T12:00",
            t,
        )
    };
    let r = teacher
        .send(Method::POST, "/api/bookings", Some(try_n(16)))
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    let r = teacher
        .send(Method::POST, "/api/bookings", Some(try_n(15)))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(
        free("2037-03-10T08:00", "2037-03-10T12:00").await["free"],
        0
    );
    // A bad interval is a field error; a base the user may not read is not found.
    let r = teacher
        .get(&format!(
            "/api/training_bases/{base}/free?from=2037-03-10T12:00&to=2037-03-10T08:00"
        ))
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let hr2 = app.login_as("hr2").await;
    let r = hr2
        .get(&format!(
            "/api/training_bases/{}/free?from=2037-03-10T08:00&to=2037-03-10T12:00",
            app.fx.base[0]
        ))
        .await;
    assert_eq!(r.status, 404, "{}", r.text);
}
