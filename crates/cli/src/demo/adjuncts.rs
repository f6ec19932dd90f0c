//! The demo college's adjunct teaching (兼职教师授课): enterprise mentors who also teach a course
//! at the school whose students they take, over the last four terms. A pure function of the plan
//! (and so of the seed); it does not scale with `--students`.

use super::gen::{row, Plan, Row};
use super::rng::Rng;

const S_ADJUNCTS: u64 = 11;

/// How many terms back from the current one (autumn 2026) adjuncts taught.
const TERMS_TAUGHT: usize = 4;

/// Course titles built from a program's short name: (pattern, mode, lowest and highest hours).
const COURSES: &[(&str, &str, i64, i64)] = &[
    ("{}企业案例", "lecture", 16, 32),
    ("{}岗位技能实训", "practical", 32, 64),
    ("{}新技术专题", "lecture", 8, 24),
    ("{}项目实践", "integrated", 32, 72),
];

/// The adjunct teaching rows: about half of each school's enterprise mentors teach one course of
/// one of the school's programs in each of the last terms (some skip a term).
pub fn adjunct_rows(
    plan: &Plan,
    contact_ids: &[i64],
    term_ids: &[i64],
    school_ids: &[i64],
) -> Vec<Row> {
    let mut rng = Rng::new(plan.seed, S_ADJUNCTS);
    let terms = &term_ids[term_ids.len().saturating_sub(TERMS_TAUGHT)..];
    let mut out = Vec::new();
    for (school, pool) in plan.mentor_pools.iter().enumerate() {
        let programs: Vec<&str> = plan
            .programs
            .iter()
            .filter(|p| p.def.school == school)
            .map(|p| p.def.short)
            .collect();
        if programs.is_empty() {
            continue;
        }
        let mut seen = std::collections::HashSet::new();
        for &contact in pool {
            if !rng.chance(0.5) || !seen.insert(contact) {
                continue;
            }
            let program = *rng.pick(&programs);
            let (pattern, mode, lo, hi) = *rng.pick(COURSES);
            let course = pattern.replace("{}", program);
            for &term in terms {
                if !rng.chance(0.8) {
                    continue;
                }
                out.push(row([
                    ("contact_id", contact_ids[contact].into()),
                    ("term_id", term.into()),
                    ("school_id", school_ids[school].into()),
                    ("course_name", course.clone().into()),
                    ("mode", mode.into()),
                    ("hours", (rng.range(lo / 8, hi / 8) * 8).into()),
                ]));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use skillbridge_core::modules::adjuncts::ADJUNCT_TEACHING;

    #[test]
    fn rows_are_valid_unique_and_deterministic() {
        let plan = Plan::new(2000, 7).unwrap();
        let contacts: Vec<i64> = (1..=plan.contacts.len() as i64).collect();
        let terms: Vec<i64> = (1..=16).collect();
        let schools: Vec<i64> = (1..=10).collect();
        let rows = adjunct_rows(&plan, &contacts, &terms, &schools);
        assert!(rows.len() > 10, "{}", rows.len());
        let mut keys = std::collections::HashSet::new();
        for r in &rows {
            skillbridge_core::schema::validate(&ADJUNCT_TEACHING, r, None).unwrap();
            assert!(r["term_id"].as_i64().unwrap() > 12, "recent terms only");
            let key = format!("{}/{}/{}", r["contact_id"], r["term_id"], r["course_name"]);
            assert!(keys.insert(key), "unique per contact, term and course");
        }
        assert_eq!(rows, adjunct_rows(&plan, &contacts, &terms, &schools));
    }
}
