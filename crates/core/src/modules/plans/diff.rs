//! The diff between two versions of a plan: courses added, removed, moved (semester changed),
//! and hours and credits changed, with the totals before and after. A course is the same
//! course in both versions when its course code is.

use super::rules::{totals, Course, Totals};
use serde::Serialize;
use std::collections::BTreeMap;

/// A course in both versions whose semester, hours or credits differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    pub code: String,
    pub name: String,
    pub before: Course,
    pub after: Course,
    /// The semester changed.
    pub moved: bool,
    /// Theory or practice hours changed.
    pub hours_changed: bool,
    pub credits_changed: bool,
}

/// What changed from `before` to `after`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanDiff {
    pub added: Vec<Course>,
    pub removed: Vec<Course>,
    /// Courses in both versions with a change of semester, hours or credits, by course code.
    pub changed: Vec<Changed>,
    pub totals_before: Totals,
    pub totals_after: Totals,
}

impl PlanDiff {
    /// The codes of the courses that moved to another semester.
    pub fn moved(&self) -> impl Iterator<Item = &str> {
        self.changed
            .iter()
            .filter(|c| c.moved)
            .map(|c| c.code.as_str())
    }
}

/// The diff from `before` to `after`, every list in course-code order.
pub fn diff_plans(before: &[Course], after: &[Course]) -> PlanDiff {
    let old: BTreeMap<&str, &Course> = before.iter().map(|c| (c.code.as_str(), c)).collect();
    let new: BTreeMap<&str, &Course> = after.iter().map(|c| (c.code.as_str(), c)).collect();
    let added = new
        .iter()
        .filter(|(k, _)| !old.contains_key(*k))
        .map(|(_, c)| (*c).clone())
        .collect();
    let removed = old
        .iter()
        .filter(|(k, _)| !new.contains_key(*k))
        .map(|(_, c)| (*c).clone())
        .collect();
    let changed = old
        .iter()
        .filter_map(|(k, b)| {
            let a = new.get(k)?;
            let moved = a.semester != b.semester;
            let hours_changed =
                a.theory_hours != b.theory_hours || a.practice_hours != b.practice_hours;
            let credits_changed = a.credits_tenths != b.credits_tenths;
            (moved || hours_changed || credits_changed).then(|| Changed {
                code: (*k).to_string(),
                name: a.name.clone(),
                before: (*b).clone(),
                after: (*a).clone(),
                moved,
                hours_changed,
                credits_changed,
            })
        })
        .collect();
    PlanDiff {
        added,
        removed,
        changed,
        totals_before: totals(before),
        totals_after: totals(after),
    }
}

#[cfg(test)]
mod tests {
    use super::super::rules::tests::{course, good_plan};
    use super::*;

    #[test]
    fn two_versions_differ_by_added_removed_moved_and_changed_courses() {
        let v1 = good_plan();
        let mut v2 = good_plan();
        // Removed: TZ01 (288 h, 16 credits). Added: TZ02 (theory 60, practice 84 = 144 h,
        // 8 credits). Moved: ZH02 from semester 4 to 3. Changed: SJ01 960 → 1000 practice hours,
        // 60 → 62.5 credits. GB01, GB02 and ZH01 are unchanged.
        v2.retain(|c| c.code != "TZ01");
        v2.push(course(5, "TZ02", "extension", "elective", 60, 84, 80));
        v2[3].semester = 3;
        v2[4].practice_hours = 1000;
        v2[4].credits_tenths = 625;
        let d = diff_plans(&v1, &v2);
        assert_eq!(
            d.added.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(),
            ["TZ02"]
        );
        assert_eq!(
            d.removed
                .iter()
                .map(|c| c.code.as_str())
                .collect::<Vec<_>>(),
            ["TZ01"]
        );
        assert_eq!(d.moved().collect::<Vec<_>>(), ["ZH02"]);
        assert_eq!(
            d.changed
                .iter()
                .map(|c| (c.code.as_str(), c.moved, c.hours_changed, c.credits_changed))
                .collect::<Vec<_>>(),
            [("SJ01", false, true, true), ("ZH02", true, false, false)]
        );
        // Before: 2536 hours, 152.0 credits, 6 courses. After: 2536 - 288 + 144 + 40 = 2432
        // hours; 152 - 16 + 8 + 2.5 = 146.5 credits; 6 courses.
        assert_eq!(d.totals_before.hours, 2536);
        assert_eq!(d.totals_before.credits_tenths, 1520);
        assert_eq!(d.totals_after.hours, 2432);
        assert_eq!(d.totals_after.credits_tenths, 1465);
        assert_eq!(d.totals_after.courses, 6);
        assert_eq!(d.totals_after.practice_hours, 1736 - 188 + 84 + 40);
    }

    #[test]
    fn a_version_against_itself_has_no_differences() {
        let d = diff_plans(&good_plan(), &good_plan());
        assert!(d.added.is_empty() && d.removed.is_empty() && d.changed.is_empty());
        assert_eq!(d.totals_before, d.totals_after);
    }
}
