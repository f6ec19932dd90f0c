//! The instance file of `skillbridge match`: the fast single-pass reader
//! (`crates/cli/src/matching/read.rs`, compiled in here from its source, as the `skillbridge`
//! binary has no library), then the solver and its checks in `core::matching`.
//!
//! Properties: whatever the fast reader accepts, serde_json reads as the same instance (the rule
//! that reader's module comment states); the student-optimal matching from the borrowed ids
//! (`assign_sorted`) is the one `solve` gives on the owned instance; every matching returned is
//! stable (`check_stability`), and its explanation is built without a panic.
#![no_main]

#[allow(dead_code)]
#[path = "../../crates/cli/src/matching/read.rs"]
mod read;

use libfuzzer_sys::fuzz_target;
use skillbridge_core::matching::{
    assign_sorted, check_stability, explain, solve, Instance, Matching, Position,
};

fn to_instance(r: &read::Read<&str>) -> Instance {
    let own = |v: &[&str]| v.iter().map(|x| x.to_string()).collect();
    Instance {
        students: r
            .students
            .iter()
            .map(|(k, l)| (k.to_string(), own(&r.prefs[l.clone()])))
            .collect(),
        positions: r
            .positions
            .iter()
            .map(|(k, c, l)| {
                let p = Position {
                    capacity: *c,
                    ranking: own(&r.rankings[l.clone()]),
                };
                (k.to_string(), p)
            })
            .collect(),
    }
}

fn check_solution(instance: &Instance) {
    if let Ok(m) = solve(instance) {
        assert_eq!(m.assignments.len(), instance.students.len());
        if let Err(v) = check_stability(instance, &m) {
            panic!("unstable matching: {v:?}");
        }
        let _ = explain(instance, &m);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match read::read(text) {
        Ok(r) => {
            let instance: Instance = serde_json::from_str(text)
                .unwrap_or_else(|e| panic!("the fast reader accepted what serde refuses: {e}"));
            assert_eq!(to_instance(&r), instance, "the fast reader read something else");
            let students: Vec<(&str, &[&str])> = r
                .students
                .iter()
                .map(|(k, l)| (*k, &r.prefs[l.clone()]))
                .collect();
            let positions: Vec<(&str, i64, &[&str])> = r
                .positions
                .iter()
                .map(|(k, c, l)| (*k, *c, &r.rankings[l.clone()]))
                .collect();
            let fast = assign_sorted(&students, &positions).map(|got| Matching {
                assignments: students
                    .iter()
                    .zip(got)
                    .map(|(s, p)| (s.0.to_string(), p.map(|p| positions[p as usize].0.to_string())))
                    .collect(),
            });
            assert_eq!(fast, solve(&instance), "assign_sorted and solve differ");
            check_solution(&instance);
        }
        Err(read::Refused) => {
            if let Ok(instance) = serde_json::from_str::<Instance>(text) {
                check_solution(&instance);
            }
        }
    }
});
