//! Competitions and start-ups through the store (issue 15 §2), on SQLite or, with
//! `SKILLBRIDGE_TEST_DATABASE_URL`, PostgreSQL: each role reaches the teams and start-ups of its
//! relation (a school's staff their school's, a teacher the teams they advise, a student their
//! own); the summary counts awards by year, level and grade and start-ups by stage over those
//! rows, equal to hand counts; a start-up's stage never moves back; an advisor is one person.

use serde_json::{json, Value};
use skillbridge_core::access::{Actor, Office, Role};
use skillbridge_core::modules::competitions::{
    COMPETITIONS, COMPETITION_ADVISORS, COMPETITION_AWARDS, COMPETITION_MEMBERS, COMPETITION_TEAMS,
    STARTUPS, STARTUP_FOUNDERS,
};
use skillbridge_core::schema::ResourceDef;
use skillbridge_store::testing::{college, Fx, TestDb};
use skillbridge_store::{ListQuery, Store, StoreError};

async fn mk(s: &Store, def: &'static ResourceDef, v: Value) -> i64 {
    s.create(&Actor::system(), def, v.as_object().unwrap(), "t")
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}", def.name))["id"]
        .as_i64()
        .unwrap()
}

fn as_role(role: Role) -> Actor {
    Actor {
        user_id: None,
        username: "t".into(),
        roles: vec![role],
    }
}

async fn ids(s: &Store, actor: &Actor, def: &'static ResourceDef) -> Vec<i64> {
    let q = ListQuery {
        limit: 100,
        ..Default::default()
    };
    let mut v: Vec<i64> = s
        .list(actor, def, &q)
        .await
        .unwrap()
        .items
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    v.sort_unstable();
    v
}

/// Three competitions, four teams with their members, advisors and awards, three start-ups:
/// returns the teams and the start-up s1 founded.
async fn fixture(s: &Store, fx: &Fx) -> ([i64; 4], i64) {
    let comp = |code: &str, level: &str, year: i64| {
        json!({"code": code, "name": "职业院校技能大赛", "track": format!("赛项{code}"), "level": level,
               "year": year, "organiser": "教育部"})
    };
    let national25 = mk(s, &COMPETITIONS, comp("N25", "national", 2025)).await;
    let city25 = mk(s, &COMPETITIONS, comp("C25", "city", 2025)).await;
    let prov24 = mk(s, &COMPETITIONS, comp("P24", "provincial", 2024)).await;
    let team = |no: &str, c: i64, school: i64| json!({"team_no": no, "competition_id": c, "name": format!("队{no}"), "school_id": school});
    // t1 (school 1): s1 on it, advised by the teacher; t2 (school 2): s2; t3, t4 (school 1).
    let t1 = mk(s, &COMPETITION_TEAMS, team("T1", national25, fx.school[0])).await;
    let t2 = mk(s, &COMPETITION_TEAMS, team("T2", national25, fx.school[1])).await;
    let t3 = mk(s, &COMPETITION_TEAMS, team("T3", city25, fx.school[0])).await;
    let t4 = mk(s, &COMPETITION_TEAMS, team("T4", prov24, fx.school[0])).await;
    mk(
        s,
        &COMPETITION_MEMBERS,
        json!({"team_id": t1, "student_id": fx.student[0]}),
    )
    .await;
    mk(
        s,
        &COMPETITION_MEMBERS,
        json!({"team_id": t2, "student_id": fx.student[1]}),
    )
    .await;
    mk(
        s,
        &COMPETITION_ADVISORS,
        json!({"team_id": t1, "staff_id": fx.teacher}),
    )
    .await;
    mk(
        s,
        &COMPETITION_ADVISORS,
        json!({"team_id": t2, "contact_id": fx.mentor_contact}),
    )
    .await;
    let award =
        |t: i64, grade: &str| json!({"team_id": t, "grade": grade, "awarded_on": "2025-06-01"});
    mk(s, &COMPETITION_AWARDS, award(t1, "first")).await;
    mk(s, &COMPETITION_AWARDS, award(t2, "first")).await;
    mk(s, &COMPETITION_AWARDS, award(t3, "gold")).await;
    mk(s, &COMPETITION_AWARDS, award(t4, "third")).await;
    let st = |name: &str, school: i64, stage: &str| json!({"name": name, "school_id": school, "stage": stage});
    let idea = mk(s, &STARTUPS, st("甲", fx.school[0], "idea")).await;
    mk(s, &STARTUPS, st("乙", fx.school[1], "incubating")).await;
    mk(s, &STARTUPS, st("丙", fx.school[1], "incubating")).await;
    mk(
        s,
        &STARTUP_FOUNDERS,
        json!({"startup_id": idea, "student_id": fx.student[0], "role": "lead"}),
    )
    .await;

    ([t1, t2, t3, t4], idea)
}

#[tokio::test]
async fn scopes_and_the_summary_follow_the_relations() {
    let db = TestDb::new().await.unwrap();
    let s = db.open().await.unwrap();
    let fx = college(&s).await;
    let ([t1, t2, t3, t4], idea) = fixture(&s, &fx).await;
    let sa1 = as_role(Role::Staff {
        office: Office::StudentAffairs,
        school_id: Some(fx.school[0]),
    });
    let teacher = as_role(Role::Teacher {
        staff_id: fx.teacher,
    });
    let student = as_role(Role::Student {
        student_id: fx.student[0],
    });
    let mentor = as_role(Role::Enterprise {
        org_id: fx.org[0],
        contact_id: fx.mentor_contact,
        relation: skillbridge_core::access::ContactRole::Mentor,
    });
    let sys = Actor::system();
    assert_eq!(ids(&s, &sa1, &COMPETITION_TEAMS).await, [t1, t3, t4]);
    assert_eq!(ids(&s, &teacher, &COMPETITION_TEAMS).await, [t1]);
    assert_eq!(ids(&s, &student, &COMPETITION_TEAMS).await, [t1]);
    assert_eq!(ids(&s, &mentor, &COMPETITION_TEAMS).await, [t2]);
    assert_eq!(ids(&s, &student, &STARTUPS).await, [idea]);
    assert_eq!(ids(&s, &teacher, &STARTUPS).await, Vec::<i64>::new());
    // Every role reads the list of competitions.
    assert_eq!(ids(&s, &student, &COMPETITIONS).await.len(), 3);

    // The summary: hand counts. 2025: national first ×2 (t1, t2), city gold ×1 (t3).
    let all = s.competitions().summary(&sys, Some(2025)).await.unwrap();
    let flat: Vec<(i64, &str, &str, u64)> = all
        .awards
        .iter()
        .map(|c| (c.year, c.level.as_str(), c.grade.as_str(), c.count))
        .collect();
    assert_eq!(
        flat,
        [(2025, "national", "first", 2), (2025, "city", "gold", 1)]
    );
    assert_eq!(all.awards_total, 3);
    let stages: Vec<u64> = all.startups_by_stage.iter().map(|c| c.count).collect();
    assert_eq!(stages, [1, 2, 0, 0, 0]);
    let every = s.competitions().summary(&sys, None).await.unwrap();
    assert_eq!(every.awards_total, 4);
    // A school's staff count their school's: t1, t3 in 2025 (t2 is school 2's).
    let mine = s.competitions().summary(&sa1, Some(2025)).await.unwrap();
    assert_eq!(mine.awards_total, 2);
    assert_eq!(mine.startups_total, 1);
    // The student: their team's award and their start-up.
    let own = s.competitions().summary(&student, None).await.unwrap();
    assert_eq!((own.awards_total, own.startups_total), (1, 1));
}

#[tokio::test]
async fn a_stage_never_moves_back_and_an_advisor_is_one_person() {
    let db = TestDb::new().await.unwrap();
    let s = db.open().await.unwrap();
    let fx = college(&s).await;
    let ([_, _, t3, _], _) = fixture(&s, &fx).await;
    let sys = Actor::system();
    let reg = mk(&s, &STARTUPS, json!({"name": "丁", "school_id": fx.school[0], "stage": "registered", "company_name": "重庆丁科技有限公司"})).await;
    let back = json!({"stage": "incubating", "company_name": null});
    let e = s
        .update(&sys, &STARTUPS, reg, back.as_object().unwrap(), "t")
        .await
        .unwrap_err();
    let StoreError::Invalid(errs) = e else {
        panic!("{e:?}")
    };
    assert_eq!(errs[0].code, "invalid_transition");
    let on = json!({"stage": "graduated"});
    s.update(&sys, &STARTUPS, reg, on.as_object().unwrap(), "t")
        .await
        .unwrap();
    let both = json!({"team_id": t3, "staff_id": fx.teacher, "contact_id": fx.mentor_contact});
    assert!(matches!(
        s.create(&sys, &COMPETITION_ADVISORS, both.as_object().unwrap(), "t")
            .await,
        Err(StoreError::Invalid(_))
    ));
}
