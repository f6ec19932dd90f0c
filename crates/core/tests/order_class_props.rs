//! Properties of the order class rules over random classes and applications (issue 4): the
//! instance built from records has each student's list in their rank order and each class's
//! ranking made only of acceptable applicants, by enterprise rank then score; the matching is
//! stable; every explanation matches the result; and over rounds of refills with random answers,
//! nobody who accepted is placed lower, and every refill is stable without the decliners.

use proptest::prelude::*;
use skillbridge_core::matching::{check_stability, solve, Reason};
use skillbridge_core::modules::order_classes::rules::{
    acceptable, build_instance, cid, explanations, offer_changes, record_id, refill, sid, AppFacts,
    ClassFacts, OfferChange, StudentFacts,
};
use std::collections::{BTreeMap, BTreeSet};

struct Rng(u64);
impl Rng {
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

struct World {
    classes: Vec<ClassFacts>,
    students: BTreeMap<i64, StudentFacts>,
    apps: Vec<AppFacts>,
}

fn world(seed: u64, n_students: usize, n_classes: usize) -> World {
    let mut g = Rng(seed);
    let classes: Vec<ClassFacts> = (1..=n_classes as i64)
        .map(|id| ClassFacts {
            id,
            name: format!("订单班{id}"),
            status: "closed".into(),
            seats: g.below(4) as i64,
            opens_on: "2026-03-01".into(),
            closes_on: "2026-03-31".into(),
            programs: vec![1, 2],
            entry_years: vec![2024, 2025],
            min_grade: (g.below(3) == 0).then(|| 60 + g.below(20) as i64),
            interview_required: g.below(2) == 0,
        })
        .collect();
    let students: BTreeMap<i64, StudentFacts> = (1..=n_students as i64)
        .map(|id| {
            (
                100 + id,
                StudentFacts {
                    id: 100 + id,
                    program_id: 1 + g.below(3) as i64,
                    entry_year: 2023 + g.below(3) as i64,
                    enrolled: g.below(10) != 0,
                },
            )
        })
        .collect();
    let mut apps = Vec::new();
    for s in students.keys() {
        let mut l: Vec<i64> = (1..=n_classes as i64).collect();
        for k in (1..l.len()).rev() {
            l.swap(k, g.below(k as u64 + 1) as usize);
        }
        l.truncate(g.below(n_classes as u64 + 1) as usize);
        for (r, c) in l.iter().enumerate() {
            apps.push(AppFacts {
                student_id: *s,
                order_class_id: *c,
                student_rank: r as i64 + 1,
                grade_average: (g.below(5) != 0).then(|| 50 + g.below(50) as i64),
                interview_score: (g.below(5) != 0).then(|| 5 * g.below(21) as i64),
                enterprise_rank: (g.below(4) == 0).then(|| 1 + g.below(5) as i64),
                withdrawn: g.below(20) == 0,
            });
        }
    }
    World {
        classes,
        students,
        apps,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn instances_follow_the_records(seed in any::<u64>(), n in 0usize..25, k in 1usize..5, tie in any::<u64>()) {
        let w = world(seed, n, k);
        let b = build_instance(&w.classes, &w.students, &w.apps, tie);
        let live: Vec<&AppFacts> = w.apps.iter().filter(|a| !a.withdrawn).collect();
        for (s, list) in &b.instance.students {
            let id = record_id(s).unwrap();
            let mut mine: Vec<&&AppFacts> = live.iter().filter(|a| a.student_id == id).collect();
            mine.sort_by_key(|a| a.student_rank);
            let expect: Vec<String> = mine.iter().map(|a| cid(a.order_class_id)).collect();
            prop_assert_eq!(list, &expect);
        }
        for c in &w.classes {
            let pos = &b.instance.positions[&cid(c.id)];
            prop_assert_eq!(pos.capacity, c.seats);
            let ranking = &pos.ranking;
            for a in live.iter().filter(|a| a.order_class_id == c.id) {
                let ok = acceptable(c, &w.students[&a.student_id], a).is_ok();
                prop_assert_eq!(ranking.contains(&sid(a.student_id)), ok);
                let excluded = b.not_acceptable.iter().any(|e| e.student == sid(a.student_id) && e.position == cid(c.id));
                prop_assert_eq!(excluded, !ok);
            }
            // Enterprise ranks first (ascending), then scores (descending), then the rest.
            let key = |s: &String| {
                let a = live.iter().find(|a| a.order_class_id == c.id && sid(a.student_id) == *s).unwrap();
                match (a.enterprise_rank, a.interview_score) {
                    (Some(r), _) => (0, r),
                    (None, Some(x)) => (1, -x),
                    (None, None) => (2, 0),
                }
            };
            let keys: Vec<(i32, i64)> = ranking.iter().map(key).collect();
            let mut sorted = keys.clone();
            sorted.sort();
            prop_assert_eq!(keys, sorted);
        }
        let m = solve(&b.instance).unwrap();
        prop_assert!(check_stability(&b.instance, &m).is_ok());
        let names = BTreeMap::new();
        for (s, reasons) in explanations(&b, &m, &names) {
            let placed = m.assignments[&s].clone();
            let last = reasons.last().map(|r| r.reason.clone());
            match placed {
                Some(p) => {
                    let is_placed = matches!(last, Some(Reason::Placed { ref position, .. }) if *position == p);
                    prop_assert!(is_placed, "{:?}", reasons);
                }
                None => {
                    let none_placed = reasons.iter().all(|r| !matches!(r.reason, Reason::Placed { .. }));
                    prop_assert!(none_placed);
                }
            }
        }
    }

    #[test]
    fn refills_keep_acceptors_and_stay_stable(seed in any::<u64>(), n in 1usize..30, k in 1usize..5) {
        let w = world(seed, n, k);
        let mut g = Rng(seed ^ 0xA5A5);
        let mut b = build_instance(&w.classes, &w.students, &w.apps, seed);
        let m = solve(&b.instance).unwrap();
        let mut live: BTreeMap<String, String> = m.assignments.iter().filter_map(|(s, p)| Some((s.clone(), p.clone()?))).collect();
        let mut accepted: BTreeMap<String, String> = BTreeMap::new();
        for _round in 0..4 {
            let mut declined = BTreeSet::new();
            for (s, p) in &live {
                if accepted.get(s) == Some(p) {
                    continue;
                }
                match g.below(3) {
                    0 => { declined.insert(s.clone()); accepted.remove(s); }
                    1 => { accepted.insert(s.clone(), p.clone()); }
                    _ => {}
                }
            }
            if declined.is_empty() {
                break;
            }
            let r = refill(&b, &declined, &accepted).unwrap();
            prop_assert!(check_stability(&r.built.instance, &r.matching).is_ok());
            for (s, p) in &accepted {
                let list = &r.built.instance.students[s];
                let was = list.iter().position(|x| x == p).unwrap();
                let now = r.matching.assignments[s].as_ref().and_then(|q| list.iter().position(|x| x == q));
                prop_assert!(now.is_some_and(|n| n <= was), "{} moved from {} to {:?}", s, was, now);
            }
            for s in &declined {
                prop_assert!(!r.matching.assignments.contains_key(s));
            }
            // Publishing: the live offers become exactly the new matching.
            let mut next = live.clone();
            next.retain(|s, _| !declined.contains(s));
            for c in offer_changes(&next, &r.matching) {
                match c {
                    OfferChange::Keep { .. } => {}
                    OfferChange::New { student, position, .. } => { next.insert(student, position); }
                    OfferChange::Withdraw { student, .. } => { next.remove(&student); }
                }
            }
            let expect: BTreeMap<String, String> = r.matching.assignments.iter().filter_map(|(s, p)| Some((s.clone(), p.clone()?))).collect();
            prop_assert_eq!(&next, &expect);
            // A student moved up holds an offer, not an acceptance, at the new place.
            accepted.retain(|s, p| next.get(s) == Some(p));
            live = next;
            b = r.built;
        }
    }
}
