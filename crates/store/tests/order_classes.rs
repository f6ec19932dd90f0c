//! The refill guarantee end to end through the store (issue 4), on SQLite or, with
//! `SKILLBRIDGE_TEST_DATABASE_URL`, PostgreSQL: seeded random order classes, applications,
//! scores and answers over several refill rounds. After every publication the live offers are
//! exactly the newest run's matching, every run passes the stability check on its stored
//! snapshot, nobody who accepted is ever placed lower on their own list, and declined seats go to
//! the next acceptable applicants (stability: an empty seat has no applicant left who wants it).

use serde_json::{json, Value};
use skillbridge_core::access::{Actor, Role};
use skillbridge_core::modules::college::STUDENTS;
use skillbridge_core::modules::order_classes::{
    ORDER_APPLICATIONS, ORDER_CLASSES, ORDER_CLASS_PROGRAMS, ORDER_OFFERS,
};
use skillbridge_core::schema;
use skillbridge_store::testing::{college, TestDb};
use skillbridge_store::{ListQuery, Store};
use std::collections::BTreeMap;

/// A small deterministic generator (SplitMix64), so that a failure can be replayed.
struct Gen(u64);
impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

async fn mk(s: &Store, def: &'static schema::ResourceDef, v: Value) -> i64 {
    s.create(&Actor::system(), def, v.as_object().unwrap(), "t")
        .await
        .unwrap_or_else(|e| panic!("{}: {e:?}", def.name))["id"]
        .as_i64()
        .unwrap()
}

async fn all(s: &Store, def: &'static schema::ResourceDef) -> Vec<serde_json::Map<String, Value>> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let page = s
            .list(
                &Actor::system(),
                def,
                &ListQuery {
                    limit: 500,
                    offset,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let n = page.items.len() as i64;
        out.extend(page.items);
        if n < 500 {
            return out;
        }
        offset += 500;
    }
}

fn student(id: i64) -> Actor {
    Actor {
        user_id: None,
        username: format!("s{id}"),
        roles: vec![Role::Student { student_id: id }],
    }
}

#[tokio::test]
async fn refills_never_move_an_accepted_student_down_and_refill_declined_seats() {
    for seed in [1u64, 2, 3] {
        let db = TestDb::new().await.unwrap();
        let s = db.open().await.unwrap();
        let mut g = Gen(seed);
        let (classes, lists) = random_instance(&s, seed, &mut g).await;
        let mut run = s
            .run_allocation(&Actor::system(), &classes, Some(seed), "t")
            .await
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        // Each student's best accepted place so far (index in their list).
        let mut accepted_at: BTreeMap<i64, usize> = BTreeMap::new();
        for round in 0..4 {
            assert!(
                s.check_run(&Actor::system(), run).await.unwrap().stable,
                "seed {seed} round {round}"
            );
            s.publish_run(&Actor::system(), run, "2099-12-31", "t")
                .await
                .unwrap();
            let review = s.review_run(&Actor::system(), run).await.unwrap();
            let matched: BTreeMap<i64, i64> = review["students"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|x| Some((x["student_id"].as_i64()?, x["order_class_id"].as_i64()?)))
                .collect();
            let offers = all(&s, &ORDER_OFFERS).await;
            let live: BTreeMap<i64, i64> = offers
                .iter()
                .filter(|o| o["status"] == "offered" || o["status"] == "accepted")
                .map(|o| {
                    (
                        o["student_id"].as_i64().unwrap(),
                        o["order_class_id"].as_i64().unwrap(),
                    )
                })
                .collect();
            assert_eq!(
                live, matched,
                "seed {seed} round {round}: live offers are the newest matching"
            );
            for (st, at) in &accepted_at {
                let now = live
                    .get(st)
                    .and_then(|c| lists[st].iter().position(|x| x == c));
                assert!(
                    now.is_some_and(|n| n <= *at),
                    "seed {seed} round {round}: student {st} moved down from {at} to {now:?}"
                );
            }
            // Answers: some decline, some accept, the rest wait.
            let declined = answer_some(&s, &offers, &mut g, &lists, &mut accepted_at).await;
            if declined == 0 {
                break;
            }
            let before: usize = matched.len();
            run = s.refill_run(&Actor::system(), run, "t").await.unwrap()["id"]
                .as_i64()
                .unwrap();
            let after = s.check_run(&Actor::system(), run).await.unwrap();
            // Declined seats are refilled: the stability check on the new snapshot means no seat is
            // left empty while an applicant still in the running wants it and is acceptable.
            assert!(after.stable);
            // Everyone who was placed and did not decline is still placed.
            assert!(
                after.placed >= before - declined,
                "seed {seed} round {round}: {} placed of {before} - {declined}",
                after.placed
            );
        }
    }
}

/// Forty students, four order classes with random seats, random ranked lists (through the
/// student's own route) and coarse interview scores, so that ties occur. Returns the classes and
/// each student's list.
async fn random_instance(s: &Store, seed: u64, g: &mut Gen) -> (Vec<i64>, BTreeMap<i64, Vec<i64>>) {
    let fx = college(s).await;
    let n_students = 40;
    let mut students = Vec::new();
    for i in 0..n_students {
        students.push(
            mk(s, &STUDENTS, json!({"student_no": format!("2024{seed}{i:05}"), "name": format!("学生{i}"), "gender": "2",
                "id_number": skillbridge_core::ids::make_id_number("500106", "20060301", 200 + i as u32),
                "program_id": fx.program[0], "class_id": fx.class[0], "entry_year": 2024, "status": "enrolled"}))
            .await,
        );
    }
    let mut classes = Vec::new();
    for k in 0..4 {
        let id = mk(s, &ORDER_CLASSES, json!({"name": format!("订单班{seed}-{k}"), "org_id": fx.org[k % 2], "seats": 2 + g.below(5) as i64,
            "entry_years": "2024", "opens_on": "2025-01-01", "closes_on": "2099-12-31", "interview_required": k % 2 == 0, "status": "open"})).await;
        mk(
            s,
            &ORDER_CLASS_PROGRAMS,
            json!({"order_class_id": id, "program_id": fx.program[0]}),
        )
        .await;
        classes.push(id);
    }
    // Ranked lists through the student's own route; scores (coarse, so that ties occur).
    let mut lists: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for st in &students {
        let mut l = classes.clone();
        for k in (1..l.len()).rev() {
            l.swap(k, g.below(k as u64 + 1) as usize);
        }
        l.truncate(1 + g.below(4) as usize);
        s.set_my_choices(&student(*st), &l, "t").await.unwrap();
        lists.insert(*st, l);
    }
    for a in all(s, &ORDER_APPLICATIONS).await {
        if g.below(10) < 9 {
            let patch = json!({"interview_score": 60 + 5 * g.below(8) as i64});
            s.update(
                &Actor::system(),
                &ORDER_APPLICATIONS,
                a["id"].as_i64().unwrap(),
                patch.as_object().unwrap(),
                "t",
            )
            .await
            .unwrap();
        }
    }
    (classes, lists)
}

/// Students answer their open offers: some decline, some accept (recorded in `accepted_at` as
/// the place in their list), the rest wait. Returns how many declined.
async fn answer_some(
    s: &Store,
    offers: &[serde_json::Map<String, Value>],
    g: &mut Gen,
    lists: &BTreeMap<i64, Vec<i64>>,
    accepted_at: &mut BTreeMap<i64, usize>,
) -> usize {
    let mut declined = 0;
    for o in offers.iter().filter(|o| o["status"] == "offered") {
        let st = o["student_id"].as_i64().unwrap();
        match g.below(10) {
            0..=2 => {
                s.respond_offer(&student(st), o["id"].as_i64().unwrap(), false, "t")
                    .await
                    .unwrap();
                declined += 1;
            }
            3..=6 => {
                s.respond_offer(&student(st), o["id"].as_i64().unwrap(), true, "t")
                    .await
                    .unwrap();
                let c = o["order_class_id"].as_i64().unwrap();
                accepted_at.insert(st, lists[&st].iter().position(|x| *x == c).unwrap());
            }
            _ => {}
        }
    }
    declined
}
