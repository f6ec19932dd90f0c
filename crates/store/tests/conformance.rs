//! The storage conformance suite: every storage method, on whichever backend
//! `SKILLBRIDGE_TEST_DATABASE_URL` names (SQLite when unset). `.ci/run` runs it on both.

use serde_json::{json, Map, Value};
use skillbridge_core::access::{Actor, ContactRole, Office, Role};
use skillbridge_core::ids::make_id_number;
use skillbridge_core::modules::bases::{BASE_PROGRAMS, BOOKINGS};
use skillbridge_core::modules::college::{
    ACADEMIC_YEARS, CLASSES, PROGRAMS, SCHOOLS, STAFF, STUDENTS, TERMS,
};
use skillbridge_core::modules::order_classes::{ORDER_CLASSES, ORDER_CLASS_PROGRAMS};
use skillbridge_core::modules::partners::{AGREEMENTS, ORGANISATIONS};
use skillbridge_core::modules::reference::{
    COUNTRIES, HEADER_ALIASES, INDUSTRIES, KEY_INDUSTRIES, REGIONS,
};
use skillbridge_core::schema::{self, ResourceDef};
use skillbridge_store::testing::{self, backend_name, college, test_audit_key, TestDb};
use skillbridge_store::{ListQuery, Store, StoreError};

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

fn q() -> ListQuery {
    ListQuery {
        limit: 50,
        ..Default::default()
    }
}

async fn setup() -> (TestDb, Store) {
    eprintln!("conformance backend: {}", backend_name());
    let db = TestDb::new().await.expect("test database");
    let store = db.open().await.expect("open store");
    (db, store)
}

async fn create(s: &Store, def: &ResourceDef, v: Value) -> i64 {
    s.create(&Actor::system(), def, &obj(v), "127.0.0.1")
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}", def.name))["id"]
        .as_i64()
        .unwrap()
}

fn actor(roles: Vec<Role>) -> Actor {
    Actor {
        user_id: Some(99),
        username: "tester".into(),
        roles,
    }
}

fn ids(page: &skillbridge_store::Page) -> Vec<i64> {
    page.items
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn migrations_are_idempotent_and_reference_data_loads() {
    let (db, s) = setup().await;
    assert!(
        s.migrate().await.unwrap().is_empty(),
        "second run applies nothing"
    );
    assert!(s.count(&REGIONS).await.unwrap() > 3000);
    assert_eq!(s.count(&INDUSTRIES).await.unwrap(), 117);
    assert!(s.count(&COUNTRIES).await.unwrap() > 240);
    assert_eq!(s.count(&KEY_INDUSTRIES).await.unwrap(), 6);
    s.integrity_check().await.unwrap();
    // Reopening does not load reference data twice.
    s.close().await;
    let s = db.open().await.unwrap();
    assert_eq!(s.count(&INDUSTRIES).await.unwrap(), 117);
}

#[tokio::test]
async fn create_get_update_delete_round_trip() {
    let (_db, s) = setup().await;
    let c = college(&s).await;
    let sys = Actor::system();
    let st = s.get(&sys, &STUDENTS, c.student[0]).await.unwrap();
    assert_eq!(st["name"], "王小明");
    assert_eq!(st["entry_year"], 2024);
    assert_eq!(
        st["phone"], "138****5678",
        "reads are masked even for admins"
    );
    assert!(st["id_number"].as_str().unwrap().contains("**********"));
    let staff = s.get(&sys, &STAFF, c.teacher).await.unwrap();
    assert_eq!(staff["dual_qualified"], true);

    let up = s
        .update(
            &sys,
            &STUDENTS,
            c.student[0],
            &obj(json!({"name": "王小明", "phone": "138****5678"})),
            "t",
        )
        .await
        .unwrap();
    assert_eq!(up["status"], "enrolled");
    assert_eq!(
        s.reveal(&sys, &STUDENTS, c.student[0], "phone", "核对联系方式", "t")
            .await
            .unwrap()
            .as_deref(),
        Some("13812345678")
    );

    let e = s
        .update(
            &sys,
            &STUDENTS,
            c.student[0],
            &obj(json!({"status": "graduated"})),
            "t",
        )
        .await
        .unwrap_err();
    // A status changes only through a status-change request (issue 10 §8).
    assert!(
        matches!(e, StoreError::Invalid(ref v) if v[0].code == "status_by_procedure"),
        "{e:?}"
    );

    let e = s
        .delete(&sys, &PROGRAMS, c.program[0], "t")
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Conflict { code: "in_use", .. }),
        "{e:?}"
    );

    let ay = create(
        &s,
        &ACADEMIC_YEARS,
        json!({"name": "2026-2027", "start_date": "2025-09-01", "end_date": "2026-07-15"}),
    )
    .await;
    let term = create(&s, &TERMS, json!({"academic_year_id": ay, "name": "2026-2027-1", "seq": 1, "start_date": "2025-09-01", "end_date": "2026-01-20"})).await;
    s.delete(&sys, &TERMS, term, "t").await.unwrap();
    assert!(matches!(
        s.get(&sys, &TERMS, term).await,
        Err(StoreError::NotFound)
    ));
}

/// Competitions and start-ups (issue 15 §2): an advisor and a mentor name one person, so they
/// are made here; the team and the start-up are the parents of the generic samples of the rest.
async fn with_competition_parents(
    s: &Store,
    mut fx: skillbridge_store::testing::Fx,
) -> skillbridge_store::testing::Fx {
    let comp = create(s, schema::resource("competitions").unwrap(), json!({"code": "GZ-2025-001", "name": "全国职业院校技能大赛", "track": "新能源汽车检测与维修",
        "level": "national", "year": 2025, "organiser": "教育部"})).await;
    let team = create(s, schema::resource("competition_teams").unwrap(), json!({"team_no": "T-2025-01", "competition_id": comp, "name": "汽车一队", "school_id": fx.school[0]})).await;
    create(
        s,
        schema::resource("competition_advisors").unwrap(),
        json!({"team_id": team, "staff_id": fx.teacher}),
    )
    .await;
    let startup = create(
        s,
        schema::resource("startups").unwrap(),
        json!({"name": "绿能充电", "school_id": fx.school[0], "stage": "incubating"}),
    )
    .await;
    create(
        s,
        schema::resource("startup_mentors").unwrap(),
        json!({"startup_id": startup, "contact_id": fx.mentor_contact}),
    )
    .await;
    fx.extra
        .extend([("competition_teams", team), ("startups", startup)]);
    fx
}

/// International exchange (issue 15): a participant names a program of its own.
async fn exchange_participant(s: &Store, fx: &skillbridge_store::testing::Fx) {
    let sys = Actor::system();
    let exchange = schema::resource("exchange_programs").unwrap();
    let program = s
        .create(&sys, exchange, &fx.generic_sample(exchange, 900), "t")
        .await
        .unwrap()["id"]
        .clone();
    let participant =
        obj(json!({"program_id": program, "kind": "student", "student_id": fx.student[0]}));
    let participants = schema::resource("exchange_participants").unwrap();
    s.create(&sys, participants, &participant, "t")
        .await
        .unwrap();
}

/// Record types of modules added later: a record made from the description alone (an exchange
/// participant, which needs a program of its own, first).
async fn later_modules(s: &Store, fx: &skillbridge_store::testing::Fx) {
    let sys = Actor::system();
    exchange_participant(s, fx).await;
    for (n, def) in schema::RESOURCES.iter().enumerate() {
        if s.count(def).await.unwrap() == 0 {
            s.create(&sys, def, &testing::any_sample(s, fx, def, n).await, "t")
                .await
                .unwrap_or_else(|e| panic!("{}: {e:?}", def.name));
        }
    }
}

#[tokio::test]
async fn every_resource_accepts_create_and_list() {
    let (_db, s) = setup().await;
    let fx = with_competition_parents(&s, college(&s).await).await;
    let sys = Actor::system();
    let ay = create(
        &s,
        &ACADEMIC_YEARS,
        json!({"name": "2024-2025", "start_date": "2024-09-01", "end_date": "2025-07-10"}),
    )
    .await;
    create(&s, &TERMS, json!({"academic_year_id": ay, "name": "2024-2025-1", "seq": 1, "start_date": "2024-09-01", "end_date": "2025-01-18"})).await;
    create(&s, &AGREEMENTS, json!({"agreement_no": "XQ-2025-002", "org_id": 1, "kind": "industry_college", "title": "共建汽车产业学院协议", "start_date": "2025-01-01", "end_date": "2029-12-31", "status": "active", "amount_fen": 500000000})).await;
    create(
        &s,
        &ORGANISATIONS,
        json!({"kind": "foreign", "name": "University of Colombo", "country_code": "LK"}),
    )
    .await;
    create(&s, &BASE_PROGRAMS, json!({"base_id": 1, "program_id": 1})).await;
    create(
        &s,
        &HEADER_ALIASES,
        json!({"resource": "students", "field": "phone", "alias": "联系手机"}),
    )
    .await;
    // The same pair again breaks the two-column unique key `base_programs_base_id_program_id_key`
    // (no field of the description is unique alone, so only the database refuses it): a
    // `duplicate` error on both fields, found by the key's name (PostgreSQL) or its table and
    // columns (SQLite), never a 500.
    match s
        .create(
            &sys,
            &BASE_PROGRAMS,
            &obj(json!({"base_id": 1, "program_id": 1})),
            "t",
        )
        .await
    {
        Err(StoreError::Invalid(f)) => assert_eq!(
            f.iter()
                .map(|e| (e.field.as_str(), e.code))
                .collect::<Vec<_>>(),
            vec![("base_id", "duplicate"), ("program_id", "duplicate")]
        ),
        other => panic!("{other:?}"),
    }
    // Order classes (issue 4): a class, its program, an application through the student's own
    // route, and a published allocation (runs and offers are written only by the workflow).
    let program = s.list(&sys, &PROGRAMS, &q()).await.unwrap().items[0]["id"]
        .as_i64()
        .unwrap();
    let oc = create(&s, &ORDER_CLASSES, json!({"name": "长安新能源汽车订单班", "org_id": 1, "seats": 2, "entry_years": "2024",
        "opens_on": "2025-01-01", "closes_on": "2099-12-31", "interview_required": false, "status": "open"})).await;
    create(
        &s,
        &ORDER_CLASS_PROGRAMS,
        json!({"order_class_id": oc, "program_id": program}),
    )
    .await;
    let student = s.list(&sys, &STUDENTS, &q()).await.unwrap().items[0]["id"]
        .as_i64()
        .unwrap();
    let as_student = Actor {
        user_id: None,
        username: "s".into(),
        roles: vec![skillbridge_core::access::Role::Student {
            student_id: student,
        }],
    };
    s.order_classes()
        .set_my_choices(&as_student, &[oc], "t")
        .await
        .unwrap();
    let run = s
        .order_classes()
        .run_allocation(&sys, &[oc], Some(1), "t")
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    s.order_classes()
        .publish_run(&sys, run, "2099-12-31", "t")
        .await
        .unwrap();
    // Status changes are written by their procedure only (issue 10 §8).
    let req = obj(
        json!({"student_id": fx.student[0], "change_type": "suspend", "reason": "因病", "effective_date": "2099-09-01"}),
    );
    s.status_changes().file(&sys, &req, "t").await.unwrap();
    later_modules(&s, &fx).await;
    for def in schema::RESOURCES {
        let page = s.list(&sys, def, &q()).await.unwrap();
        assert!(page.total > 0, "{} is empty", def.name);
        assert!(!page.items.is_empty());
    }
    let a = s.list(&sys, &AGREEMENTS, &q()).await.unwrap();
    let mine = a
        .items
        .iter()
        .find(|r| r["agreement_no"] == "XQ-2025-002")
        .unwrap();
    assert_eq!(mine["amount_fen"], 500000000);
}

#[tokio::test]
async fn validation_names_fields_and_references() {
    let (_db, s) = setup().await;
    let c = college(&s).await;
    let sys = Actor::system();
    let e = s
        .create(&sys, &STUDENTS, &obj(json!({"student_no": "2024010001", "name": "重名", "gender": "1", "id_number": make_id_number("500106", "20060301", 11), "program_id": 999, "home_region": "999999", "entry_year": 2024, "status": "enrolled"})), "t")
        .await
        .unwrap_err();
    let StoreError::Invalid(errs) = e else {
        panic!("{e:?}")
    };
    let mut got: Vec<(String, &str)> = errs.iter().map(|e| (e.field.clone(), e.code)).collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("home_region".into(), "not_found"),
            ("id_number".into(), "duplicate"),
            ("program_id".into(), "not_found"),
            ("student_no".into(), "duplicate"),
        ]
    );
    // Updating a record to its own unique values is not a duplicate.
    s.update(
        &sys,
        &SCHOOLS,
        c.school[0],
        &obj(json!({"code": "01", "name": "汽车工程学院（新）"})),
        "t",
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn list_filters_search_sort_and_pages() {
    let (_db, s) = setup().await;
    let c = college(&s).await;
    let sys = Actor::system();
    let page = s
        .list(
            &sys,
            &STUDENTS,
            &ListQuery {
                filters: vec![("program_id".into(), c.program[1].to_string())],
                ..q()
            },
        )
        .await
        .unwrap();
    assert_eq!(ids(&page), vec![c.student[1]]);
    let page = s
        .list(
            &sys,
            &STUDENTS,
            &ListQuery {
                q: Some("小明".into()),
                ..q()
            },
        )
        .await
        .unwrap();
    assert_eq!(ids(&page), vec![c.student[0]]);
    let page = s
        .list(
            &sys,
            &STUDENTS,
            &ListQuery {
                sort: Some("-student_no".into()),
                ..q()
            },
        )
        .await
        .unwrap();
    assert_eq!(ids(&page), vec![c.student[1], c.student[0]]);
    let page = s
        .list(
            &sys,
            &STUDENTS,
            &ListQuery {
                limit: 1,
                offset: 1,
                ..q()
            },
        )
        .await
        .unwrap();
    assert_eq!((page.total, page.items.len()), (2, 1));
    let page = s
        .list(
            &sys,
            &REGIONS,
            &ListQuery {
                filters: vec![("in_circle".into(), "partial".into())],
                ..q()
            },
        )
        .await
        .unwrap();
    assert_eq!(page.total, 2);
    bad_list_queries_are_refused(&s).await;
    // LIKE wildcards in the search text are literal.
    let page = s
        .list(
            &sys,
            &STUDENTS,
            &ListQuery {
                q: Some("%".into()),
                ..q()
            },
        )
        .await
        .unwrap();
    assert_eq!(page.total, 0);
}

/// A sort or filter on no field, or a filter on a personal field, is refused.
async fn bad_list_queries_are_refused(s: &Store) {
    let sys = Actor::system();
    let e = s
        .list(
            &sys,
            &STUDENTS,
            &ListQuery {
                sort: Some("password".into()),
                ..q()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)));
    // Personal fields are no oracle (core::privacy): sorting, a range or a prefix is refused
    // even to the system actor; an exact match is for whoever may reveal, and is audited.
    for (filters, sort) in [
        (vec![], Some("phone")),
        (vec![], Some("-id_number")),
        (vec![("phone.gte".to_string(), "138".to_string())], None),
        (vec![("id_number".to_string(), "5001*".to_string())], None),
    ] {
        let e = s
            .list(
                &sys,
                &STUDENTS,
                &ListQuery {
                    filters,
                    sort: sort.map(String::from),
                    ..q()
                },
            )
            .await
            .unwrap_err();
        assert!(
            matches!(e, StoreError::PersonalQuery(_)),
            "personal fields are not an oracle: {e:?}"
        );
    }
    let found = s
        .list(
            &sys,
            &STUDENTS,
            &ListQuery {
                filters: vec![("phone".into(), "13812345678".into())],
                ..q()
            },
        )
        .await
        .unwrap();
    assert_eq!(found.total, 1);
    let trail = s
        .audit_trail()
        .list(&sys, Some("search_personal"), 10, 0)
        .await
        .unwrap();
    let trail = format!("{trail:?}");
    assert!(trail.contains("students.phone"), "{trail}");
    assert!(!trail.contains("13812345678"), "{trail}");
    let e = s
        .list(
            &sys,
            &STUDENTS,
            &ListQuery {
                filters: vec![("nope; DROP TABLE students".into(), "1".into())],
                ..q()
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)));
}

#[tokio::test]
async fn scopes_limit_rows_inside_the_store() {
    let (_db, s) = setup().await;
    let c = college(&s).await;
    let school_staff = actor(vec![Role::Staff {
        office: Office::AcademicAffairs,
        school_id: Some(c.school[0]),
    }]);
    assert_eq!(
        ids(&s.list(&school_staff, &STUDENTS, &q()).await.unwrap()),
        vec![c.student[0]]
    );
    assert!(matches!(
        s.get(&school_staff, &STUDENTS, c.student[1]).await,
        Err(StoreError::NotFound)
    ));
    // Creating a student in another school is refused and leaves nothing behind.
    let before = s.count(&STUDENTS).await.unwrap();
    // The program of another school is out of the writer's scope: refused like a program that
    // does not exist (issue 9: references in scope).
    let not_found = |e: &StoreError, field: &str| matches!(e, StoreError::Invalid(f) if f.len() == 1 && f[0].field == field && f[0].code == "not_found");
    let e = s.create(&school_staff, &STUDENTS, &obj(json!({"student_no": "2024020002", "name": "越权", "gender": "1", "id_number": make_id_number("500106", "20060301", 33), "program_id": c.program[1], "entry_year": 2024, "status": "enrolled"})), "t").await.unwrap_err();
    assert!(not_found(&e, "program_id"), "{e:?}");
    assert_eq!(s.count(&STUDENTS).await.unwrap(), before);
    // Moving one's own student to another school is refused too.
    let e = s
        .update(
            &school_staff,
            &STUDENTS,
            c.student[0],
            &obj(json!({"program_id": c.program[1]})),
            "t",
        )
        .await
        .unwrap_err();
    assert!(not_found(&e, "program_id"), "{e:?}");

    let teacher = actor(vec![Role::Teacher {
        staff_id: c.teacher,
    }]);
    let mut got = ids(&s.list(&teacher, &STUDENTS, &q()).await.unwrap());
    got.sort();
    assert_eq!(
        got,
        vec![c.student[0], c.student[1]],
        "advised class and mentee"
    );
    assert_eq!(
        ids(&s.list(&teacher, &CLASSES, &q()).await.unwrap()),
        vec![c.class[0]]
    );
    assert!(matches!(
        s.update(
            &teacher,
            &STUDENTS,
            c.student[0],
            &obj(json!({"name": "x"})),
            "t"
        )
        .await,
        Err(StoreError::Denied)
    ));

    enterprise_users_see_their_mentees_only(&s, &c).await;

    let student = actor(vec![Role::Student {
        student_id: c.student[1],
    }]);
    assert_eq!(
        ids(&s.list(&student, &STUDENTS, &q()).await.unwrap()),
        vec![c.student[1]]
    );
    assert_eq!(
        ids(&s.list(&student, &CLASSES, &q()).await.unwrap()),
        vec![c.class[1]]
    );
    assert!(matches!(
        s.reveal(&student, &STUDENTS, c.student[1], "phone", "自己查看", "t")
            .await,
        Err(StoreError::Denied)
    ));
}

/// A mentor sees their mentees without personal fields and their own organisation; another
/// organisation's HR sees no student; neither reads staff.
async fn enterprise_users_see_their_mentees_only(s: &Store, c: &skillbridge_store::testing::Fx) {
    let mentor = actor(vec![Role::Enterprise {
        org_id: c.org[0],
        contact_id: c.mentor_contact,
        relation: ContactRole::Mentor,
    }]);
    let page = s.list(&mentor, &STUDENTS, &q()).await.unwrap();
    assert_eq!(ids(&page), vec![c.student[0]]);
    let rec = &page.items[0];
    assert!(
        rec.get("id_number").is_none()
            && rec.get("phone").is_none()
            && rec.get("home_region").is_none()
            && rec.get("address").is_none()
    );
    assert_eq!(
        ids(&s.list(&mentor, &ORGANISATIONS, &q()).await.unwrap()),
        vec![c.org[0]]
    );
    let other = actor(vec![Role::Enterprise {
        org_id: c.org[1],
        contact_id: 12345,
        relation: ContactRole::Hr,
    }]);
    assert_eq!(s.list(&other, &STUDENTS, &q()).await.unwrap().total, 0);
    assert!(matches!(
        s.list(&mentor, &STAFF, &q()).await,
        Err(StoreError::Denied)
    ));
}

#[tokio::test]
async fn reveal_needs_reason_and_is_audited() {
    let (_db, s) = setup().await;
    let c = college(&s).await;
    let sys = Actor::system();
    assert!(matches!(
        s.reveal(&sys, &STUDENTS, c.student[0], "id_number", "", "t")
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        s.reveal(&sys, &STUDENTS, c.student[0], "name", "办理保险", "t")
            .await,
        Err(StoreError::Invalid(_))
    ));
    let v = s
        .reveal(
            &sys,
            &STUDENTS,
            c.student[0],
            "id_number",
            "办理实习责任保险",
            "10.0.0.1",
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(v, make_id_number("500106", "20060301", 11));
    let log = s
        .audit_trail()
        .list(&Actor::system(), Some("reveal"), 10, 0)
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].detail, "办理实习责任保险");
    assert_eq!(
        log[0].object,
        format!("students/{}.id_number", c.student[0])
    );
    // With the audit writer failing, nothing is revealed.
    s.faults
        .audit_write
        .store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(matches!(
        s.reveal(
            &sys,
            &STUDENTS,
            c.student[0],
            "id_number",
            "办理实习责任保险",
            "t"
        )
        .await,
        Err(StoreError::Fault(_))
    ));
}

#[tokio::test]
async fn audit_chain_is_append_only_and_verifies() {
    let (_db, s) = setup().await;
    college(&s).await;
    let n = s
        .audit_trail()
        .verify(&Actor::system(), &[])
        .await
        .unwrap()
        .unwrap();
    assert!(n.entries >= 13, "every write is audited: {n:?}");
    assert!(s
        .raw_execute_for_tests("UPDATE audit_log SET outcome = 'denied' WHERE id = 2")
        .await
        .is_err());
    assert!(s
        .raw_execute_for_tests("DELETE FROM audit_log WHERE id = 2")
        .await
        .is_err());
    assert_eq!(
        s.audit_trail().verify(&Actor::system(), &[]).await.unwrap(),
        Ok(n)
    );
    // An attacker who drops the trigger and edits a row is still caught by the chain.
    let drop = if backend_name() == "postgres" {
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update"
    } else {
        "DROP TRIGGER audit_log_no_update"
    };
    s.raw_execute_for_tests(drop).await.unwrap();
    s.raw_execute_for_tests("UPDATE audit_log SET outcome = 'denied' WHERE id = 2")
        .await
        .unwrap();
    assert_eq!(
        s.audit_trail().verify(&Actor::system(), &[]).await.unwrap(),
        Err(skillbridge_core::audit::ChainBreak::Entry(2))
    );
}

#[tokio::test]
async fn failed_audit_write_rolls_back_the_change() {
    let (_db, s) = setup().await;
    let sys = Actor::system();
    s.faults
        .audit_write
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let e = s
        .create(
            &sys,
            &SCHOOLS,
            &obj(json!({"code": "09", "name": "测试学院"})),
            "t",
        )
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Fault(_)));
    assert_eq!(s.count(&SCHOOLS).await.unwrap(), 0);
}

/// Sessions time out, and a role change, disabling, a password reset or a logout ends them.
async fn sessions_end_on_account_changes(s: &Store, id: i64) {
    let sys = Actor::system();
    s.create_session("h1", id, 3600, "t").await.unwrap();
    assert_eq!(s.session("h1", 1800).await.unwrap().unwrap().user_id, id);
    s.age_sessions_for_tests(id, 1801).await.unwrap();
    assert!(
        s.session("h1", 1800).await.unwrap().is_none(),
        "idle timeout"
    );
    s.create_session("h2", id, 0, "t").await.unwrap();
    assert!(
        s.session("h2", 1800).await.unwrap().is_none(),
        "absolute lifetime"
    );
    s.create_session("h3", id, 3600, "t").await.unwrap();
    s.accounts()
        .set_roles(&sys, id, &[Role::Leader], "t")
        .await
        .unwrap();
    assert!(
        s.session("h3", 1800).await.unwrap().is_none(),
        "role change ends sessions"
    );
    s.create_session("h4", id, 3600, "t").await.unwrap();
    s.accounts()
        .set_disabled(&sys, id, true, "t")
        .await
        .unwrap();
    assert!(
        s.session("h4", 1800).await.unwrap().is_none(),
        "disabling ends sessions"
    );
    s.accounts()
        .set_disabled(&sys, id, false, "t")
        .await
        .unwrap();
    s.create_session("h5", id, 3600, "t").await.unwrap();
    s.accounts()
        .set_password(&sys, id, "$argon2id$other", "t")
        .await
        .unwrap();
    assert!(
        s.session("h5", 1800).await.unwrap().is_none(),
        "password reset ends sessions"
    );
    s.create_session("h6", id, 3600, "t").await.unwrap();
    s.delete_session("h6").await.unwrap();
    assert!(s.session("h6", 1800).await.unwrap().is_none(), "logout");
}

/// Accounts and the audit trail are read and changed through the actor's rights, like records:
/// only who holds the `users` (or `audit`) permission gets through.
#[tokio::test]
async fn account_reads_and_changes_check_the_actor() {
    let (_db, s) = setup().await;
    let sys = Actor::system();
    let id = s
        .accounts()
        .create_user(&sys, "wang", "王老师", "$argon2id$fake", &[], "t")
        .await
        .unwrap();
    let leader = Actor {
        user_id: None,
        username: "leader".into(),
        roles: vec![Role::Leader],
    };
    let staff = Actor {
        user_id: None,
        username: "staff".into(),
        roles: vec![Role::Staff {
            office: Office::AcademicAffairs,
            school_id: None,
        }],
    };
    let admin = Actor {
        user_id: None,
        username: "admin".into(),
        roles: vec![Role::Admin],
    };
    for who in [&leader, &staff] {
        let a = s.accounts();
        assert!(matches!(a.list_users(who).await, Err(StoreError::Denied)));
        assert!(matches!(a.user(who, id).await, Err(StoreError::Denied)));
        assert!(matches!(
            a.set_disabled(who, id, true, "t").await,
            Err(StoreError::Denied)
        ));
        assert!(matches!(
            a.create_user(who, "li", "李", "h", &[], "t").await,
            Err(StoreError::Denied)
        ));
    }
    // The audit trail: administrators and college leaders read it, offices do not.
    let a = s.audit_trail();
    assert!(matches!(
        a.list(&staff, None, 10, 0).await,
        Err(StoreError::Denied)
    ));
    assert!(matches!(
        a.verify(&staff, &[]).await,
        Err(StoreError::Denied)
    ));
    assert!(!a.list(&leader, None, 10, 0).await.unwrap().is_empty());
    assert!(!s.user_by_id(id).await.unwrap().disabled, "nothing changed");
    assert_eq!(
        s.accounts().user(&admin, id).await.unwrap().username,
        "wang"
    );
    assert_eq!(s.accounts().list_users(&admin).await.unwrap().len(), 1);
    assert!(s.audit_trail().verify(&admin, &[]).await.unwrap().is_ok());
}

#[tokio::test]
async fn accounts_sessions_and_lockout() {
    let (_db, s) = setup().await;
    let sys = Actor::system();
    let roles = vec![Role::Staff {
        office: Office::Employment,
        school_id: None,
    }];
    let id = s
        .accounts()
        .create_user(&sys, "zhang", "张老师", "$argon2id$fake", &roles, "t")
        .await
        .unwrap();
    // A taken username breaks the unique key `users_username_key` (found by its name on
    // PostgreSQL, by its table and column on SQLite): a `duplicate` error on `username`.
    match s
        .accounts()
        .create_user(&sys, "zhang", "x", "h", &[], "t")
        .await
    {
        Err(StoreError::Invalid(f)) => assert_eq!(
            f.iter()
                .map(|e| (e.field.as_str(), e.code))
                .collect::<Vec<_>>(),
            vec![("username", "duplicate")]
        ),
        other => panic!("{other:?}"),
    }
    let u = s.user_by_username("zhang").await.unwrap().unwrap();
    assert_eq!(
        (u.id, u.roles.clone(), u.disabled),
        (id, roles.clone(), false)
    );
    assert!(s.user_by_username("nobody").await.unwrap().is_none());
    assert_eq!(s.load_actor(id).await.unwrap().roles, roles);

    // Attempts are claimed before the password is checked: four to verify, the fifth the last
    // one (it locks the account unless it succeeds), then locked without verifying.
    for _ in 0..4 {
        assert_eq!(
            s.claim_login_attempt(id, 5, 900).await.unwrap(),
            skillbridge_store::LoginState::Open
        );
    }
    assert_eq!(
        s.claim_login_attempt(id, 5, 900).await.unwrap(),
        skillbridge_store::LoginState::LastAttempt
    );
    assert!(s.user_by_id(id).await.unwrap().locked_until.is_some());
    assert_eq!(
        s.claim_login_attempt(id, 5, 900).await.unwrap(),
        skillbridge_store::LoginState::Locked
    );
    s.record_login_success(id).await.unwrap();
    assert!(s.user_by_id(id).await.unwrap().locked_until.is_none());

    sessions_end_on_account_changes(&s, id).await;
    assert_eq!(
        s.accounts()
            .list_users(&Actor::system())
            .await
            .unwrap()
            .len(),
        1
    );
    let kinds: Vec<String> = s
        .audit_trail()
        .list(&Actor::system(), None, 50, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for k in [
        "user_create",
        "role_change",
        "user_disable",
        "user_enable",
        "password_reset",
    ] {
        assert!(kinds.iter().any(|x| x == k), "{k} audited");
    }
}

#[tokio::test]
async fn faults_fail_closed() {
    let (_db, s) = setup().await;
    let id = s
        .accounts()
        .create_user(&Actor::system(), "li", "李", "h", &[Role::Leader], "t")
        .await
        .unwrap();
    s.faults
        .permission_lookup
        .store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(s.load_actor(id).await.is_err());
    s.faults
        .session_store
        .store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(s.session("x", 10).await.is_err());
}

#[tokio::test]
async fn backup_is_a_consistent_copy() {
    let (db, s) = setup().await;
    college(&s).await;
    if backend_name() == "postgres" {
        assert!(
            matches!(s.backup("/tmp/x.db").await, Err(StoreError::Config(m)) if m.contains("pg_dump"))
        );
        return;
    }
    let dest = format!("{}.backup", db.url.trim_start_matches("sqlite:"));
    let _ = std::fs::remove_file(&dest);
    s.backup(&dest).await.unwrap();
    assert!(s.backup(&dest).await.is_err(), "never overwrites");
    // A copy is verified with the audit key, which a restore needs beside the database.
    let copy = Store::open_with_key(&format!("sqlite:{dest}"), test_audit_key())
        .await
        .unwrap();
    copy.integrity_check().await.unwrap();
    for def in schema::RESOURCES {
        assert_eq!(
            copy.count(def).await.unwrap(),
            s.count(def).await.unwrap(),
            "{}",
            def.name
        );
    }
    assert_eq!(
        copy.audit_trail()
            .verify(&Actor::system(), &[])
            .await
            .unwrap(),
        s.audit_trail().verify(&Actor::system(), &[]).await.unwrap()
    );
    copy.close().await;
    let _ = std::fs::remove_file(&dest);
}

#[tokio::test]
async fn urls_are_strict() {
    for bad in ["mysql://x", "sqlite::memory:", "file.db", ""] {
        assert!(
            matches!(Store::connect(bad).await, Err(StoreError::Config(_))),
            "{bad}"
        );
    }
}

fn sheet_row(row: usize, v: Value) -> skillbridge_store::SheetRow {
    skillbridge_store::SheetRow {
        row,
        values: obj(v),
        issues: Vec::new(),
    }
}

fn student_row(row: usize, n: u32) -> skillbridge_store::SheetRow {
    sheet_row(
        row,
        // Digit 17 of the ID number (the sequence's last digit) is odd for a man.
        json!({"student_no": format!("2025{n:06}"), "name": format!("学生{n}"), "gender": if n % 2 == 1 { "1" } else { "2" },
               "id_number": make_id_number("500106", "20070101", n), "phone": "13800000000",
               "program_id": "A01", "class_id": "新能源2401", "entry_year": "2025", "status": "enrolled",
               "home_region": "500106"}),
    )
}

#[tokio::test]
async fn import_is_all_or_nothing_reports_every_bad_cell_and_is_idempotent() {
    let (_db, s) = setup().await;
    college(&s).await;
    let sys = Actor::system();
    let headers =
        std::collections::HashMap::from([("id_number".to_string(), "身份证号".to_string())]);
    let before = s.count(&STUDENTS).await.unwrap();
    let mut rows: Vec<_> = (1..=50).map(|n| student_row(n as usize + 2, n)).collect();
    rows[4]
        .values
        .insert("id_number".into(), json!("500106200701010050")); // bad check digit
    rows[9]
        .values
        .insert("class_id".into(), json!("不存在的班级"));
    rows[19]
        .values
        .insert("student_no".into(), json!("2025000001")); // duplicate of row 3
    let r = s
        .import(&sys, &STUDENTS, rows, &headers, "t", false)
        .await
        .unwrap();
    assert!(!r.committed);
    let got: Vec<(usize, &str, &str)> = r
        .issues
        .iter()
        .map(|i| (i.row, i.field.as_str(), i.code.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (7, "id_number", "invalid_id_number"),
            (12, "class_id", "not_found"),
            (22, "student_no", "duplicate_in_file")
        ]
    );
    assert_eq!(r.issues[0].column, "身份证号");
    assert!(
        r.issues[0].value.contains('*'),
        "personal values are masked in the report"
    );
    assert_eq!(
        s.count(&STUDENTS).await.unwrap(),
        before,
        "nothing committed"
    );

    let rows = || {
        (1..=50)
            .map(|n| student_row(n as usize + 2, n))
            .collect::<Vec<_>>()
    };
    let r = s
        .import(&sys, &STUDENTS, rows(), &headers, "t", false)
        .await
        .unwrap();
    assert!(r.committed && r.issues.is_empty(), "{:?}", r.issues);
    assert_eq!((r.created, r.updated, r.unchanged), (50, 0, 0));
    assert_eq!(s.count(&STUDENTS).await.unwrap(), before + 50);
    let r = s
        .import(&sys, &STUDENTS, rows(), &headers, "t", false)
        .await
        .unwrap();
    assert!(r.already_imported && r.committed);
    assert_eq!((r.created, r.updated, r.unchanged), (0, 0, 50));

    // A masked value means "unchanged"; a changed name is an update.
    let mut changed = rows();
    changed[0].values.insert(
        "id_number".into(),
        json!(skillbridge_core::ids::mask_id_number(&make_id_number(
            "500106", "20070101", 1
        ))),
    );
    changed[0]
        .values
        .insert("phone".into(), json!("138****0000"));
    changed[0].values.insert("name".into(), json!("改名"));
    let r = s
        .import(&sys, &STUDENTS, changed, &headers, "t", false)
        .await
        .unwrap();
    assert_eq!(
        (r.created, r.updated, r.unchanged),
        (0, 1, 49),
        "{:?}",
        r.issues
    );
    let imports = s
        .audit_trail()
        .list(&Actor::system(), Some("import"), 10, 0)
        .await
        .unwrap();
    assert_eq!(imports.len(), 2, "one audit record per committed import");

    exports_reimport_unchanged(&s, &headers).await;
}

/// Exported rows name references by key and re-import as unchanged; a full export shows the
/// personal fields and is audited.
async fn exports_reimport_unchanged(
    s: &Store,
    headers: &std::collections::HashMap<String, String>,
) {
    let sys = Actor::system();
    // Exported rows name references by key and re-import as unchanged.
    let out = s
        .export(&sys, &STUDENTS, &ListQuery::default(), "t")
        .await
        .unwrap();
    let one = out
        .iter()
        .find(|r| r["student_no"] == "2025000002")
        .unwrap();
    assert_eq!(one["program_id"], "A01");
    assert_eq!(one["class_id"], "新能源2401");
    let back: Vec<_> = out
        .iter()
        .enumerate()
        .map(|(i, r)| skillbridge_store::SheetRow {
            row: i + 2,
            values: r.clone(),
            issues: Vec::new(),
        })
        .collect();
    let r = s
        .import(&sys, &STUDENTS, back, headers, "t", false)
        .await
        .unwrap();
    assert!(r.already_imported, "{:?}", r.issues);
    let full = s
        .export_full(&sys, &STUDENTS, &ListQuery::default(), "办理实习保险", "t")
        .await
        .unwrap();
    assert!(full
        .iter()
        .any(|r| r["id_number"] == make_id_number("500106", "20070101", 2)));
    assert_eq!(
        s.audit_trail()
            .list(&Actor::system(), Some("export_full"), 10, 0)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn import_respects_scope() {
    let (_db, s) = setup().await;
    let c = college(&s).await;
    let staff = actor(vec![Role::Staff {
        office: Office::StudentAffairs,
        school_id: Some(c.school[0]),
    }]);
    let headers = Default::default();
    let mut row = student_row(2, 1);
    row.values.insert("program_id".into(), json!("B01"));
    row.values.insert("class_id".into(), json!("计应2401"));
    let before = s.count(&STUDENTS).await.unwrap();
    let r = s
        .import(
            &staff,
            &STUDENTS,
            vec![row, student_row(3, 2)],
            &headers,
            "t",
            false,
        )
        .await
        .unwrap();
    assert_eq!(
        r.issues
            .iter()
            .map(|i| (i.row, i.code.as_str()))
            .collect::<Vec<_>>(),
        // The program and the class of another school: out of the importer's scope, so not
        // found, exactly like names that exist nowhere (issue 9: references in scope).
        vec![(2, "not_found"), (2, "not_found")]
    );
    assert_eq!(s.count(&STUDENTS).await.unwrap(), before);
    let teacher = actor(vec![Role::Teacher {
        staff_id: c.teacher,
    }]);
    assert!(matches!(
        s.import(
            &teacher,
            &STUDENTS,
            vec![student_row(2, 3)],
            &headers,
            "t",
            false
        )
        .await,
        Err(StoreError::Denied)
    ));
}

#[tokio::test]
async fn backup_under_write_load_restores_to_a_consistent_snapshot() {
    if backend_name() == "postgres" {
        return; // pg_dump's business; the command says so (see backup_is_a_consistent_copy).
    }
    let (db, s) = setup().await;
    college(&s).await;
    let writer = {
        let s = s.clone();
        tokio::spawn(async move {
            for i in 0..300 {
                let v = obj(json!({"code": format!("W{i}"), "name": format!("写入学院{i}")}));
                s.create(&Actor::system(), &SCHOOLS, &v, "load")
                    .await
                    .unwrap();
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    let dest = format!("{}.loadbackup", db.url.trim_start_matches("sqlite:"));
    let _ = std::fs::remove_file(&dest);
    s.backup(&dest).await.unwrap();
    writer.await.unwrap();
    // A copy is verified with the audit key, which a restore needs beside the database.
    let copy = Store::open_with_key(&format!("sqlite:{dest}"), test_audit_key())
        .await
        .unwrap();
    copy.integrity_check().await.unwrap();
    let sys = Actor::system();
    let q = ListQuery {
        limit: 500,
        sort: Some("id".into()),
        ..Default::default()
    };
    let b = copy.list(&sys, &SCHOOLS, &q).await.unwrap().items;
    let src = s.list(&sys, &SCHOOLS, &q).await.unwrap().items;
    assert!(
        b.len() > 2 && b.len() < src.len(),
        "taken mid-load: {} of {}",
        b.len(),
        src.len()
    );
    assert_eq!(
        b[..],
        src[..b.len()],
        "the copy is exactly the source as it was at one instant"
    );
    assert!(copy
        .audit_trail()
        .verify(&Actor::system(), &[])
        .await
        .unwrap()
        .is_ok());
    copy.close().await;
    let _ = std::fs::remove_file(&dest);
}

/// SECURITY goal 20 on PostgreSQL, where the backup is `pg_dump`'s: a dump taken while writes run
/// restores, with `pg_restore` into an empty database, to exactly the source as it was at the
/// dump's snapshot. The snapshot is exported from a transaction of the test's own, which fingerprints
/// every table in it; `pg_dump --snapshot` dumps that same instant. The restored database opens as
/// a store, passes the checks, and its audit chain verifies. (SQLite: the test above.)
#[tokio::test]
async fn pg_dump_under_write_load_restores_to_the_exported_snapshot() {
    use sqlx::{Connection, Row};
    if backend_name() != "postgres" {
        return; // SQLite's backup is `skillbridge backup`: the test above.
    }
    let Some(bin) = pg_bin("pg_dump") else {
        panic!("pg_dump is not installed beside the PostgreSQL server that .ci/postgres.sh starts");
    };
    let restore = pg_bin("pg_restore").expect("pg_restore beside pg_dump");
    let (db, s) = setup().await;
    college(&s).await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (s, stop) = (s.clone(), stop.clone());
        tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) || i < 20 {
                let v = obj(json!({"code": format!("P{i}"), "name": format!("转储学院{i}")}));
                s.create(&Actor::system(), &SCHOOLS, &v, "load")
                    .await
                    .unwrap();
                i += 1;
            }
            i
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    // The snapshot, held open while pg_dump runs, and every table's fingerprint in it.
    let mut held = sqlx::PgConnection::connect(&db.url).await.unwrap();
    sqlx::raw_sql("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .execute(&mut held)
        .await
        .unwrap();
    let snapshot: String = sqlx::query("SELECT pg_export_snapshot()")
        .fetch_one(&mut held)
        .await
        .unwrap()
        .get(0);
    let at_snapshot = pg_fingerprints(&mut held).await;
    let file = std::env::temp_dir().join(format!("sbdump{}.custom", std::process::id()));
    let out = std::process::Command::new(&bin)
        .args(["--format=custom", "--snapshot", &snapshot, "--file"])
        .arg(&file)
        .arg(&db.url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    sqlx::raw_sql("COMMIT").execute(&mut held).await.unwrap();
    held.close().await.unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written = writer.await.unwrap();

    let copy = TestDb::new().await.unwrap();
    let out = std::process::Command::new(&restore)
        .args(["--no-owner", "--exit-on-error", "--dbname", &copy.url])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pg_restore: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_file(&file);
    let mut conn = sqlx::PgConnection::connect(&copy.url).await.unwrap();
    let restored = pg_fingerprints(&mut conn).await;
    conn.close().await.unwrap();
    assert_eq!(
        restored, at_snapshot,
        "the restored database is exactly the source at the dump's snapshot"
    );
    // Taken mid-load: the source has moved on since the snapshot.
    let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
    let now = pg_fingerprints(&mut conn).await;
    conn.close().await.unwrap();
    assert_ne!(
        now["schools"], at_snapshot["schools"],
        "{written} writes, none after the snapshot"
    );
    assert!(
        at_snapshot["schools"].0 > 2,
        "the snapshot holds some of the load"
    );
    let store = Store::open_with_key(&copy.url, test_audit_key())
        .await
        .unwrap();
    store.integrity_check().await.unwrap();
    assert!(store
        .audit_trail()
        .verify(&Actor::system(), &[])
        .await
        .unwrap()
        .is_ok());
    store.close().await;
    s.close().await;
}

/// A PostgreSQL client program of the server's own version, as `.ci/postgres.sh` installs it.
fn pg_bin(name: &str) -> Option<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin").join(name)))
        .filter(|p| p.exists())
        .collect();
    dirs.sort();
    dirs.pop()
}

/// Every table of the public schema: its row count and a hash over its rows in a fixed order.
async fn pg_fingerprints(
    conn: &mut sqlx::PgConnection,
) -> std::collections::BTreeMap<String, (i64, String)> {
    use sqlx::Row;
    let tables: Vec<String> =
        sqlx::query("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            .fetch_all(&mut *conn)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
    assert!(tables.len() > 10, "tables: {tables:?}");
    let mut out = std::collections::BTreeMap::new();
    for t in tables {
        let r = sqlx::query(&format!(
            "SELECT count(*), coalesce(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '') \
             FROM \"{t}\" x"
        ))
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        out.insert(t, (r.get::<i64, _>(0), r.get::<String, _>(1)));
    }
    out
}

/// Two stores on one database stand for two server processes: each has its own in-process write
/// lock, so only the database serialises them (the base's advisory lock on PostgreSQL, the write
/// lock on SQLite). Twenty bookings of one slot race through both: exactly one is made.
#[tokio::test]
async fn bookings_race_across_processes_and_exactly_one_wins() {
    let (db, s1) = setup().await;
    let s2 = db.open().await.expect("second store");
    let fx = college(&s1).await;
    let base = fx.base[1];
    let mut set = tokio::task::JoinSet::new();
    for i in 0..20 {
        let s = if i % 2 == 0 { s1.clone() } else { s2.clone() };
        let teacher = fx.teacher;
        set.spawn(async move {
            let v = json!({"base_id": base, "kind": "base", "staff_id": teacher, "course_name": format!("课程{i}"),
                           "start_at": format!("2026-04-01T{:02}:00", 8 + i % 3), "end_at": "2026-04-01T12:00", "status": "active"});
            s.create(&Actor::system(), &BOOKINGS, &obj(v), "race")
                .await
        });
    }
    let (mut made, mut refused) = (Vec::new(), 0);
    while let Some(r) = set.join_next().await {
        match r.unwrap() {
            Ok(rec) => made.push(rec["id"].as_i64().unwrap()),
            Err(StoreError::Conflict {
                code: "booking_conflict",
                zh,
                en,
            }) => {
                // Both messages name the booking in the way.
                assert!(zh.starts_with("与已有预约冲突："), "{zh}");
                assert!(en.starts_with("conflicts with booking "), "{en}");
                assert!(!zh.contains('#') && !en.contains('#'), "named, not by id");
                refused += 1;
            }
            Err(e) => panic!("{}: unexpected {e:?}", backend_name()),
        }
    }
    assert_eq!(made.len(), 1, "{}: {made:?}", backend_name());
    assert_eq!(refused, 19);
    // Bulk loads are checked too: a batch that overlaps the winner is refused whole.
    let clash = obj(
        json!({"base_id": base, "kind": "workstations", "workstations": 1, "staff_id": fx.teacher, "course_name": "汽车电气实训",
                           "start_at": "2026-04-01T11:00", "end_at": "2026-04-01T13:00", "status": "active"}),
    );
    let fine = obj(
        json!({"base_id": base, "kind": "workstations", "workstations": 1, "staff_id": fx.teacher, "course_name": "汽车电气实训",
                          "start_at": "2026-04-02T11:00", "end_at": "2026-04-02T13:00", "status": "active"}),
    );
    let before = s1.count(&BOOKINGS).await.unwrap();
    let e = s2
        .bulk_insert(&BOOKINGS, vec![fine.clone(), clash])
        .await
        .unwrap_err();
    assert_eq!(e.conflict_code(), Some("booking_conflict"), "{e:?}");
    assert!(
        matches!(&e, StoreError::Conflict { zh, en, .. } if zh.starts_with("第 2 行：") && en.starts_with("row 2: ")),
        "{e:?}"
    );
    assert_eq!(s1.count(&BOOKINGS).await.unwrap(), before);
    // And within the batch itself: the same booking twice.
    let e = s2
        .bulk_insert(&BOOKINGS, vec![fine.clone(), fine.clone()])
        .await;
    assert!(e.is_ok(), "1 + 1 of 30 workstations fit: {e:?}");
    let whole = obj(
        json!({"base_id": base, "kind": "base", "staff_id": fx.teacher, "purpose": "技能大赛集训",
                           "start_at": "2026-04-03T08:00", "end_at": "2026-04-03T09:00", "status": "active"}),
    );
    let e = s2
        .bulk_insert(&BOOKINGS, vec![whole.clone(), whole])
        .await
        .unwrap_err();
    assert_eq!(e.conflict_code(), Some("booking_conflict"), "{e:?}");
    assert!(s1
        .insert_many_unaudited(&BOOKINGS, vec![fine])
        .await
        .is_err());
    s2.close().await;
}

/// Batch work (issue 10 §6) on this backend: the rows' savepoints, all or nothing, one audit
/// entry; and the selection and count of an export.
#[tokio::test]
async fn batches_apply_all_rows_or_none_and_exports_count_their_selection() {
    let (_db, s) = setup().await;
    let fx = college(&s).await;
    let admin = actor(vec![Role::Admin]);
    let agreement = |n: usize| {
        json!({"agreement_no": format!("BA-{n}"), "org_id": fx.org[0], "kind": "framework",
               "title": "框架协议", "start_date": "2025-01-01", "status": "draft"})
    };
    let a = create(&s, &AGREEMENTS, agreement(1)).await;
    let b = create(&s, &AGREEMENTS, agreement(2)).await;
    let entries = || {
        let s = s.clone();
        async move {
            s.audit_trail()
                .list(&Actor::system(), Some("batch_update"), 10, 0)
                .await
                .unwrap()
        }
    };
    // A missing row refuses the batch: nothing applied, a result per row, one entry.
    let r = s
        .batch_set(
            &admin,
            &AGREEMENTS,
            &[a, 999_999, b],
            "status",
            &json!("active"),
            "127.0.0.1",
        )
        .await
        .unwrap();
    assert!(!r.applied);
    let got: Vec<(i64, &str)> = r.rows.iter().map(|r| (r.id, r.outcome)).collect();
    assert_eq!(
        got,
        [(a, "not_applied"), (999_999, "refused"), (b, "not_applied")]
    );
    assert_eq!(r.rows[1].code.as_deref(), Some("not_found"));
    let status = |id| {
        let s = s.clone();
        async move { s.get(&Actor::system(), &AGREEMENTS, id).await.unwrap()["status"].clone() }
    };
    assert_eq!(status(a).await, "draft");
    let log = entries().await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].outcome, "refused");
    assert!(
        log[0].detail.contains("refused 1: 999999 (not_found)"),
        "{}",
        log[0].detail
    );
    // Every row good: applied, one more entry.
    let r = s
        .batch_set(
            &admin,
            &AGREEMENTS,
            &[a, b],
            "status",
            &json!("active"),
            "127.0.0.1",
        )
        .await
        .unwrap();
    assert!(r.applied);
    assert_eq!(
        (status(a).await, status(b).await),
        (json!("active"), json!("active"))
    );
    let log = entries().await;
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].outcome, "ok");
    assert_eq!(
        log[0].detail,
        format!("set status=active; applied 2: {a},{b}")
    );
    // The selection of a list and of an export.
    let sel = ListQuery {
        ids: Some(vec![a]),
        ..q()
    };
    assert_eq!(ids(&s.list(&admin, &AGREEMENTS, &sel).await.unwrap()), [a]);
    let cur = s
        .export_begin(&admin, &AGREEMENTS, &sel, true)
        .await
        .unwrap();
    assert_eq!(s.export_count(&cur).await.unwrap(), 1);
    let none = ListQuery {
        ids: Some(vec![]),
        ..q()
    };
    assert_eq!(s.list(&admin, &AGREEMENTS, &none).await.unwrap().total, 0);
}
