//! To-dos and notifications through the store (issue 10, item 5), on SQLite or, with
//! `SKILLBRIDGE_TEST_DATABASE_URL`, PostgreSQL: each source's item appears when its condition
//! holds and disappears when it is met (scores entered, run published, offer answered); read
//! marks change the unread count only; the notifier queues one mail per new item, in the
//! recipient's language, once; failed deliveries back off and are retried.

use serde_json::{json, Value};
use skillbridge_core::access::{Actor, ContactRole, Office, Role};
use skillbridge_core::modules::order_classes::{ORDER_CLASSES, ORDER_CLASS_PROGRAMS};
use skillbridge_core::modules::todos::{parse_preferences, Lang, Preferences};
use skillbridge_core::schema;
use skillbridge_store::testing::{advance_clock, college, TestDb};
use skillbridge_store::{ScoreInput, Store, StoreError};

async fn mk(s: &Store, def: &'static schema::ResourceDef, v: Value) -> i64 {
    s.create(&Actor::system(), def, v.as_object().unwrap(), "t")
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}", def.name))["id"]
        .as_i64()
        .unwrap()
}

async fn user(s: &Store, name: &str, role: Role) -> Actor {
    let id = s
        .accounts()
        .create_user(&Actor::system(), name, name, "x", &[role], "t")
        .await
        .unwrap();
    s.load_actor(id).await.unwrap()
}

fn keys(items: &[skillbridge_core::modules::todos::Todo]) -> Vec<String> {
    items.iter().map(|t| t.key.clone()).collect()
}

/// The notifier queues one mail, in English as the student chose, with the absolute link; a
/// second sweep queues nothing; a failed delivery waits (30 s, then 60 s...) and is retried.
/// The student applies: the sponsor's HR has an applicant to score, due when the window
/// closes, until it is scored.
async fn sponsor_scores(s: &Store, student: &Actor, hr: &Actor, office: &Actor, class: i64) {
    let t = s.todos();
    s.order_classes()
        .set_my_choices(student, &[class], "t")
        .await
        .unwrap();
    let items = t.items(hr).await.unwrap();
    assert_eq!(keys(&items), [format!("order_scores:{class}")]);
    assert_eq!(items[0].due.as_deref(), Some("2099-12-31"));
    assert!(
        items[0].title_zh.contains("1 名申请人"),
        "{}",
        items[0].title_zh
    );
    assert!(t.items(office).await.unwrap().is_empty());
    let app = s.order_classes().applicants(hr, class).await.unwrap()["applicants"][0]["id"]
        .as_i64()
        .unwrap();
    s.order_classes()
        .set_scores(
            hr,
            class,
            &[ScoreInput {
                application_id: app,
                interview_score: serde_json::json!(80),
                enterprise_rank: serde_json::Value::Null,
            }],
            "t",
        )
        .await
        .unwrap();
    assert!(t.items(hr).await.unwrap().is_empty(), "scored: done");
}

async fn mail_is_queued_once_and_retried(s: &Store) {
    let t = s.todos();
    // a second sweep queues nothing.
    assert_eq!(
        t.notify_sweep("http://sb.example.edu.cn/").await.unwrap(),
        1
    );
    assert_eq!(
        t.notify_sweep("http://sb.example.edu.cn/").await.unwrap(),
        0
    );
    let due = t.due_mail(10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].recipient, "s2@example.edu.cn");
    assert!(
        due[0].subject.starts_with("[SkillBridge] New to-do"),
        "{}",
        due[0].subject
    );
    assert!(due[0]
        .body
        .contains("http://sb.example.edu.cn/#/order-choices"));

    // A failed delivery waits (30 s, then 60 s...) and is retried.
    t.mail_failed(&due[0], "connection refused", 30)
        .await
        .unwrap();
    assert!(t.due_mail(10).await.unwrap().is_empty());
    advance_clock(s, 31);
    let again = t.due_mail(10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 1);
    t.mail_sent(again[0].id).await.unwrap();
    assert!(t.due_mail(10).await.unwrap().is_empty());
    assert_eq!(
        t.outbox_of("s2@example.edu.cn").await.unwrap(),
        [(due[0].subject.clone(), true, 2)]
    );
}

#[tokio::test]
async fn items_appear_and_disappear_with_their_conditions_and_mail_is_queued_once() {
    let db = TestDb::new().await.unwrap();
    let s = db.open().await.unwrap();
    let fx = college(&s).await;
    let class = mk(&s, &ORDER_CLASSES, json!({"name": "华龙网融媒体订单班", "org_id": fx.org[1], "seats": 2,
        "entry_years": "2024", "opens_on": "2025-01-01", "closes_on": "2099-12-31", "interview_required": true, "status": "open"})).await;
    mk(
        &s,
        &ORDER_CLASS_PROGRAMS,
        json!({"order_class_id": class, "program_id": fx.program[1]}),
    )
    .await;
    let student = user(
        &s,
        "s2",
        Role::Student {
            student_id: fx.student[1],
        },
    )
    .await;
    let hr = user(
        &s,
        "hr2",
        Role::Enterprise {
            org_id: fx.org[1],
            contact_id: fx.hr_contact,
            relation: ContactRole::Hr,
        },
    )
    .await;
    let office = user(
        &s,
        "emp",
        Role::Staff {
            office: Office::Employment,
            school_id: None,
        },
    )
    .await;
    let t = s.todos();
    for a in [&student, &hr, &office] {
        assert!(t.items(a).await.unwrap().is_empty(), "{}", a.username);
    }

    sponsor_scores(&s, &student, &hr, &office, class).await;

    // A draft run: the office has it to publish; publishing it is done, and the student has an
    // offer to answer, due on the answer deadline.
    let run = s
        .order_classes()
        .run_allocation(&office, &[class], Some(1), "t")
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        keys(&t.items(&office).await.unwrap()),
        [format!("allocation_run:{run}")]
    );
    s.todos()
        .set_preferences(
            &student,
            &parse_preferences("en", true, Some("s2@example.edu.cn")).unwrap(),
            "t",
        )
        .await
        .unwrap();
    s.order_classes()
        .publish_run(&office, run, "2099-12-30", "t")
        .await
        .unwrap();
    assert!(
        t.items(&office).await.unwrap().is_empty(),
        "published: done"
    );
    let list = t.list(&student).await.unwrap();
    assert_eq!(list.items.len(), 1);
    assert_eq!(list.unread, 1);
    let offer = &list.items[0].item;
    assert!(offer.key.starts_with("order_offer:"));
    assert_eq!(offer.due.as_deref(), Some("2099-12-30"));
    assert_eq!(offer.link, "/order-choices");

    mail_is_queued_once_and_retried(&s).await;

    // Read marks change the unread count only; a key that is not an open item is ignored.
    let read = t
        .mark_read(&student, Some(&["order_offer:999999".to_string()]))
        .await
        .unwrap();
    assert_eq!(read.unread, 1);
    let read = t.mark_read(&student, None).await.unwrap();
    assert_eq!((read.items.len(), read.unread), (1, 0));

    // Answering the offer is done.
    let offer_id: i64 = offer.key["order_offer:".len()..].parse().unwrap();
    s.order_classes()
        .respond_offer(&student, offer_id, true, "t")
        .await
        .unwrap();
    let list = t.list(&student).await.unwrap();
    assert!(list.items.is_empty());
    assert_eq!(list.unread, 0);
}

#[tokio::test]
async fn preferences_are_saved_checked_and_audited() {
    let db = TestDb::new().await.unwrap();
    let s = db.open().await.unwrap();
    let fx = college(&s).await;
    let student = user(
        &s,
        "s1",
        Role::Student {
            student_id: fx.student[0],
        },
    )
    .await;
    let t = s.todos();
    assert_eq!(
        t.preferences(&student).await.unwrap(),
        Preferences::default()
    );
    let p = parse_preferences("en", true, Some("s1@example.edu.cn")).unwrap();
    assert_eq!(t.set_preferences(&student, &p, "t").await.unwrap(), p);
    let p2 = parse_preferences("zh", false, None).unwrap();
    let got = t.set_preferences(&student, &p2, "t").await.unwrap();
    assert_eq!((got.language, got.email_enabled), (Lang::Zh, false));
    // Checked in the store too, whatever the caller did.
    let bad = Preferences {
        language: Lang::Zh,
        email_enabled: true,
        email: None,
    };
    assert!(matches!(
        t.set_preferences(&student, &bad, "t").await,
        Err(StoreError::Invalid(_))
    ));
    let rows = skillbridge_store::testing::audit_rows_raw(&s)
        .await
        .unwrap();
    assert_eq!(
        rows.iter().filter(|r| r.contains("|preferences|")).count(),
        2,
        "{rows:?}"
    );
    // No user behind the actor (the command line): nothing to read.
    assert!(matches!(
        t.list(&Actor::system()).await,
        Err(StoreError::Denied)
    ));
}

/// Status changes (学籍异动): a filed request is a to-do of whoever may decide it (academic
/// affairs), not of the employment office; a second request makes a new item (a new key, so a
/// new mail); the item is gone once every request is decided.
#[tokio::test]
async fn a_status_change_to_decide_is_a_to_do_of_the_office_until_decided() {
    let db = TestDb::new().await.unwrap();
    let s = db.open().await.unwrap();
    let fx = college(&s).await;
    let jwc = user(
        &s,
        "jwc2",
        Role::Staff {
            office: Office::AcademicAffairs,
            school_id: None,
        },
    )
    .await;
    let emp = user(
        &s,
        "emp2",
        Role::Staff {
            office: Office::Employment,
            school_id: None,
        },
    )
    .await;
    let t = s.todos();
    assert!(t.items(&jwc).await.unwrap().is_empty());
    let sc = s.status_changes();
    let file = |student: i64| {
        json!({"student_id": student, "change_type": "suspend", "reason": "因病需住院治疗",
            "effective_date": "2099-09-01"})
    };
    let first = sc
        .file(&jwc, file(fx.student[0]).as_object().unwrap(), "t")
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let items = t.items(&jwc).await.unwrap();
    assert_eq!(keys(&items), [format!("status_change:{first}")]);
    assert!(
        items[0].title_zh.contains("1 条待审批"),
        "{}",
        items[0].title_zh
    );
    assert!(items[0].link.starts_with("/status_changes"));
    assert!(
        t.items(&emp).await.unwrap().is_empty(),
        "not the employment office's"
    );

    let second = sc
        .file(&jwc, file(fx.student[1]).as_object().unwrap(), "t")
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let items = t.items(&jwc).await.unwrap();
    assert_eq!(keys(&items), [format!("status_change:{second}")]);
    assert!(
        items[0].title_en.contains("2 pending"),
        "{}",
        items[0].title_en
    );

    sc.decide(&jwc, first, true, Some("同意"), "t")
        .await
        .unwrap();
    sc.decide(&jwc, second, false, Some("材料不全"), "t")
        .await
        .unwrap();
    assert!(t.items(&jwc).await.unwrap().is_empty(), "decided: done");
}
