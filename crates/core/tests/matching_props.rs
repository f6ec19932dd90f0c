//! Properties of the stable matching engine over random instances: stability, capacity, placements
//! only where the student applied and is acceptable, student-optimality against a brute-force
//! enumeration of every matching of small instances, check_stability agreeing with a naive checker
//! written here from the definition, the refill never moving an acceptor down, and tie_order.
//!
//! Instances are built from a proptest-chosen seed and sizes, so they include ties broken by
//! break_ties, capacity 0, empty lists, applications the position does not accept, and rankings
//! of students who did not apply.

use proptest::prelude::*;
use skillbridge_core::matching::{
    break_ties, check_stability, explain, refill, solve, solve_sorted, tie_order, Instance,
    Matching, Position, Reason, Violation,
};
use std::collections::{BTreeMap, BTreeSet};

/// xorshift64*: only to build instances from a seed inside the tests.
struct Rng(u64);
impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x2545_f491_4f6c_dd1d | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

/// A random instance: `n` students, `m` positions, lists of at most `max_list`, capacities up to
/// `max_cap` (0 included). Half the positions rank with ties, broken by break_ties over the
/// college-wide tie_order.
fn instance(seed: u64, n: usize, m: usize, max_list: usize, max_cap: i64) -> Instance {
    let mut r = Rng::new(seed);
    let sids: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
    let pids: Vec<String> = (0..m).map(|i| format!("p{i}")).collect();
    let mut students = BTreeMap::new();
    for s in &sids {
        let mut ps = pids.clone();
        r.shuffle(&mut ps);
        let k = if m == 0 {
            0
        } else {
            r.below(max_list.min(m) + 1)
        };
        ps.truncate(k);
        students.insert(s.clone(), ps);
    }
    let order = tie_order(r.next(), &sids);
    let mut positions = BTreeMap::new();
    for p in &pids {
        // Rank a random subset of all students: some applicants are left out (not acceptable),
        // some ranked students never applied.
        let mut ranked: Vec<String> = sids.iter().filter(|_| r.chance(75)).cloned().collect();
        r.shuffle(&mut ranked);
        let ranking = if r.chance(50) {
            let mut tiers: Vec<Vec<String>> = Vec::new();
            for s in ranked {
                if tiers.is_empty() || r.chance(40) {
                    tiers.push(Vec::new());
                }
                tiers.last_mut().unwrap().push(s);
            }
            break_ties(&tiers, &order)
        } else {
            ranked
        };
        let capacity = r.below(max_cap as usize + 1) as i64;
        positions.insert(p.clone(), Position { capacity, ranking });
    }
    Instance {
        students,
        positions,
    }
}

fn rank(i: &Instance, p: &str, s: &str) -> Option<usize> {
    i.positions[p].ranking.iter().position(|x| x == s)
}

fn choice(i: &Instance, s: &str, p: Option<&str>) -> usize {
    match p {
        Some(p) => i.students[s].iter().position(|x| x == p).unwrap(),
        None => usize::MAX,
    }
}

/// Stability from the definition, written independently of the engine.
fn naive_stable(i: &Instance, a: &BTreeMap<String, Option<String>>) -> bool {
    let mut admits: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (s, p) in a {
        if let Some(p) = p {
            if !i.students[s].contains(p) || rank(i, p, s).is_none() {
                return false;
            }
            admits.entry(p).or_default().push(s);
        }
    }
    for (p, v) in &admits {
        if v.len() as i64 > i.positions[*p].capacity {
            return false;
        }
    }
    for (s, list) in &i.students {
        for p in list {
            if a[s].as_ref() == Some(p) {
                break;
            }
            let Some(rs) = rank(i, p, s) else { continue };
            let v = admits.get(p.as_str()).cloned().unwrap_or_default();
            let room = (v.len() as i64) < i.positions[p].capacity;
            let worse = v.iter().any(|t| rank(i, p, t).unwrap() > rs);
            if room || worse {
                return false;
            }
        }
    }
    true
}

/// Every assignment of each student to nothing or one position that lists them among their own.
fn all_assignments(i: &Instance) -> Vec<BTreeMap<String, Option<String>>> {
    let mut out = vec![BTreeMap::new()];
    for (s, list) in &i.students {
        let opts: Vec<Option<String>> = std::iter::once(None)
            .chain(
                list.iter()
                    .filter(|p| rank(i, p, s).is_some())
                    .map(|p| Some(p.clone())),
            )
            .collect();
        let mut next = Vec::with_capacity(out.len() * opts.len());
        for a in &out {
            for o in &opts {
                let mut b = a.clone();
                b.insert(s.clone(), o.clone());
                next.push(b);
            }
        }
        out = next;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Small instances: solve is stable, student-optimal among all stable matchings found by
    /// enumeration, and check_stability agrees with the naive checker on every matching.
    #[test]
    fn solve_is_stable_and_student_optimal(seed: u64, n in 0usize..6, m in 0usize..5) {
        let i = instance(seed, n, m, 3, 2);
        let got = solve(&i).unwrap();
        prop_assert_eq!(got.assignments.len(), n);
        prop_assert!(naive_stable(&i, &got.assignments));
        prop_assert_eq!(check_stability(&i, &got), Ok(()));
        let mut stable = 0;
        for a in all_assignments(&i) {
            let is = naive_stable(&i, &a);
            let m = Matching { assignments: a.clone() };
            prop_assert_eq!(check_stability(&i, &m).is_ok(), is, "{:?}", a);
            if is {
                stable += 1;
                for (s, p) in &a {
                    prop_assert!(
                        choice(&i, s, got.assignments[s].as_deref()) <= choice(&i, s, p.as_deref()),
                        "stable matching {:?} gives {} a better place than {:?}", a, s, got
                    );
                }
            }
        }
        prop_assert!(stable >= 1);
    }

    /// Larger instances: still stable, within capacity, placed only where applied and acceptable;
    /// explain ends with Placed exactly for placed students, with one reason per better choice.
    #[test]
    fn larger_instances_are_stable_and_explained(
        seed: u64, n in 0usize..120, m in 0usize..25, cap in 0i64..6,
    ) {
        let i = instance(seed, n, m, 5, cap);
        let got = solve(&i).unwrap();
        prop_assert!(naive_stable(&i, &got.assignments));
        prop_assert_eq!(check_stability(&i, &got), Ok(()));
        // The borrowed entry point gives the same matching.
        let students: Vec<(&str, &[String])> =
            i.students.iter().map(|(s, l)| (s.as_str(), l.as_slice())).collect();
        let positions: Vec<(&str, i64, &[String])> = i
            .positions
            .iter()
            .map(|(p, x)| (p.as_str(), x.capacity, x.ranking.as_slice()))
            .collect();
        prop_assert_eq!(&solve_sorted(&students, &positions).unwrap(), &got);
        let x = explain(&i, &got);
        for (s, p) in &got.assignments {
            let reasons = &x[s];
            match p {
                Some(p) => {
                    let k = choice(&i, s, Some(p));
                    prop_assert_eq!(reasons.len(), k + 1);
                    prop_assert_eq!(
                        &reasons[k],
                        &Reason::Placed { position: p.clone(), choice: k + 1 }
                    );
                }
                None if i.students[s].is_empty() => {
                    prop_assert_eq!(reasons, &vec![Reason::NoApplications]);
                }
                None => prop_assert_eq!(reasons.len(), i.students[s].len()),
            }
            for r in reasons {
                if let Reason::FilledWithHigherRanked { capacity, your_rank, last_admitted_rank, .. } = r {
                    // Stable: the position is full of applicants it ranks higher.
                    prop_assert!(*capacity == 0 || last_admitted_rank < your_rank);
                }
            }
        }
    }

    /// Perturbing solve's output (a student moved to another listed position, to a position they
    /// did not list, or taken out) is rejected exactly when the definition says it is unstable,
    /// and a placement where the student did not apply or is not acceptable is always named.
    #[test]
    fn check_stability_rejects_perturbed_matchings(seed: u64, n in 1usize..30, m in 1usize..8) {
        let i = instance(seed, n, m, 3, 3);
        let got = solve(&i).unwrap();
        let mut r = Rng::new(seed.rotate_left(17));
        let s = format!("s{}", r.below(n));
        let p = format!("p{}", r.below(m));
        let mut bad = got.clone();
        bad.assignments.insert(s.clone(), Some(p.clone()));
        let verdict = check_stability(&i, &bad);
        prop_assert_eq!(verdict.is_ok(), naive_stable(&i, &bad.assignments));
        if !i.students[&s].contains(&p) {
            let want = Violation::NotApplied { student: s.clone(), position: p.clone() };
            prop_assert!(verdict.unwrap_err().contains(&want));
        } else if rank(&i, &p, &s).is_none() {
            let want = Violation::NotAcceptable { student: s.clone(), position: p.clone() };
            prop_assert!(verdict.unwrap_err().contains(&want));
        }
        let mut out = got.clone();
        out.assignments.insert(s.clone(), None);
        prop_assert_eq!(check_stability(&i, &out).is_ok(), naive_stable(&i, &out.assignments));
    }

    /// The refill after declines: decliners come back unplaced, every acceptor keeps their place
    /// or gets one they prefer, and the result is stable for the instance without the decliners.
    #[test]
    fn refill_never_moves_an_acceptor_down(seed: u64, n in 0usize..60, m in 0usize..12, cap in 0i64..4) {
        let i = instance(seed, n, m, 4, cap);
        let got = solve(&i).unwrap();
        let mut r = Rng::new(!seed);
        let mut declined = BTreeSet::new();
        let mut accepted = BTreeMap::new();
        for (s, p) in &got.assignments {
            if let Some(p) = p {
                match r.below(3) {
                    0 => { declined.insert(s.clone()); }
                    1 => { accepted.insert(s.clone(), p.clone()); }
                    _ => {}
                }
            } else if r.chance(20) {
                declined.insert(s.clone());
            }
        }
        let re = refill(&i, &declined, &accepted).unwrap();
        prop_assert_eq!(re.assignments.len(), n);
        for s in &declined {
            prop_assert_eq!(&re.assignments[s], &None);
        }
        for (s, p) in &accepted {
            prop_assert!(choice(&i, s, re.assignments[s].as_deref()) <= choice(&i, s, Some(p)));
        }
        for (s, p) in &got.assignments {
            if !declined.contains(s) {
                // Comparative statics: with fewer students nobody remaining is worse off.
                prop_assert!(choice(&i, s, re.assignments[s].as_deref()) <= choice(&i, s, p.as_deref()));
            }
        }
        let mut reduced = i.clone();
        reduced.students.retain(|s, _| !declined.contains(s));
        for pos in reduced.positions.values_mut() {
            pos.ranking.retain(|s| !declined.contains(s));
        }
        let mut rest = re.assignments.clone();
        rest.retain(|s, _| !declined.contains(s));
        prop_assert!(naive_stable(&reduced, &rest));
    }

    /// tie_order is a permutation of its input, the same for the same seed and set of students
    /// whatever their order, and break_ties keeps every student of every tier, tiers in order.
    #[test]
    fn tie_order_is_a_deterministic_permutation(seed: u64, ids in proptest::collection::vec("[a-z0-9]{1,4}", 0..40)) {
        let a = tie_order(seed, &ids);
        let mut sorted_a = a.clone();
        sorted_a.sort();
        let mut sorted_ids = ids.clone();
        sorted_ids.sort();
        prop_assert_eq!(&sorted_a, &sorted_ids);
        prop_assert_eq!(&tie_order(seed, &ids), &a);
        let mut rev = ids.clone();
        rev.reverse();
        prop_assert_eq!(&tie_order(seed, &rev), &a);
        let unique: Vec<String> = ids.iter().cloned().collect::<BTreeSet<_>>().into_iter().collect();
        let tiers: Vec<Vec<String>> = unique.chunks(3).map(|c| c.to_vec()).collect();
        let strict = break_ties(&tiers, &a);
        prop_assert_eq!(strict.len(), unique.len());
        let mut start = 0;
        for t in &tiers {
            let part = &strict[start..start + t.len()];
            let mut p = part.to_vec();
            p.sort();
            prop_assert_eq!(&p, t);
            // Within the tier, in the order of `a`.
            let places: Vec<usize> = part.iter().map(|s| a.iter().position(|x| x == s).unwrap()).collect();
            prop_assert!(places.windows(2).all(|w| w[0] < w[1]));
            start += t.len();
        }
    }
}
