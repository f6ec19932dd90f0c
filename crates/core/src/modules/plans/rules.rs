//! The structural checks of a plan (教职成〔2019〕13号, as `DOMAIN.md` quotes it): total hours,
//! the public-foundation, elective and practice shares, hours per credit, and no course
//! without hours. Every threshold is a setting ([`PlanRules`]) whose defaults are the national
//! figures. Pure: a plan's courses in, the results with their numbers out.

use serde::Serialize;

/// One course as the checks, the diff and the spreadsheet see it. Credits are in tenths
/// (`Kind::Decimal` with scale 1: 2.5 credits is 25).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Course {
    pub semester: i64,
    pub code: String,
    pub name: String,
    pub theory_hours: i64,
    pub practice_hours: i64,
    pub credits_tenths: i64,
    /// `public`, `foundation`, `core`, `extension` or `practice` (`COURSE_TYPES`).
    pub course_type: String,
    /// `compulsory` or `elective`.
    pub nature: String,
    /// The co-developing enterprise's name, if any.
    pub enterprise: Option<String>,
    pub frontier_tags: String,
    pub skill_tags: String,
}

impl Course {
    pub fn hours(&self) -> i64 {
        self.theory_hours + self.practice_hours
    }
}

/// The thresholds of the checks, each a setting. Shares are in per mille of total hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlanRules {
    /// Least total teaching hours of a three-year plan (2500).
    pub min_total_hours: i64,
    /// Least share of public-foundation hours, per mille (250: one quarter).
    pub min_public_permille: i64,
    /// Least share of elective hours, per mille (100: 10%).
    pub min_elective_permille: i64,
    /// Least share of practice hours, per mille (500: 50%).
    pub min_practice_permille: i64,
    /// Hours per credit, at least (16) and at most (18).
    pub min_hours_per_credit: i64,
    pub max_hours_per_credit: i64,
}

impl Default for PlanRules {
    fn default() -> Self {
        PlanRules {
            min_total_hours: 2500,
            min_public_permille: 250,
            min_elective_permille: 100,
            min_practice_permille: 500,
            min_hours_per_credit: 16,
            max_hours_per_credit: 18,
        }
    }
}

/// The totals of a plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub courses: i64,
    pub hours: i64,
    pub theory_hours: i64,
    pub practice_hours: i64,
    pub credits_tenths: i64,
    pub public_hours: i64,
    pub elective_hours: i64,
}

/// The totals of `courses`.
pub fn totals(courses: &[Course]) -> Totals {
    let mut t = Totals::default();
    for c in courses {
        t.courses += 1;
        t.hours += c.hours();
        t.theory_hours += c.theory_hours;
        t.practice_hours += c.practice_hours;
        t.credits_tenths += c.credits_tenths;
        if c.course_type == "public" {
            t.public_hours += c.hours();
        }
        if c.nature == "elective" {
            t.elective_hours += c.hours();
        }
    }
    t
}

/// The result of one check, with the figures it compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    /// `total_hours`, `public_share`, `elective_share`, `practice_share`, `hours_per_credit`,
    /// `course_hours`.
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub passed: bool,
    /// The plan's figure, as shown (`2,480`, `24.0%`).
    pub value: String,
    /// The rule's limit, as shown (`≥ 2500`, `≥ 25.0%`, `16–18`).
    pub limit: String,
    /// The course codes that break a per-course rule.
    pub courses: Vec<String>,
}

/// A share in per mille of `part` over `whole`, to one decimal of a percent (`24.8%`), rounded
/// down; `0.0%` of nothing.
fn percent(part: i64, whole: i64) -> String {
    if whole == 0 {
        return "0.0%".into();
    }
    let per_mille = part * 1000 / whole;
    format!("{}.{}%", per_mille / 10, per_mille % 10)
}

fn permille_text(p: i64) -> String {
    format!("≥ {}.{}%", p / 10, p % 10)
}

/// Whether `part / whole` is at least `permille` / 1000, in integers.
fn share_at_least(part: i64, whole: i64, permille: i64) -> bool {
    part * 1000 >= whole * permille
}

/// Every check of `courses` under `rules`, in a fixed order.
pub fn check_plan_courses(courses: &[Course], rules: &PlanRules) -> Vec<CheckResult> {
    let t = totals(courses);
    let share = |code, zh, en, part: i64, min: i64| CheckResult {
        code,
        zh,
        en,
        passed: t.hours > 0 && share_at_least(part, t.hours, min),
        value: percent(part, t.hours),
        limit: permille_text(min),
        courses: Vec::new(),
    };
    let off_credit: Vec<String> = courses
        .iter()
        .filter(|c| c.hours() > 0)
        .filter(|c| {
            // hours / (tenths / 10) within [min, max] ⇔ min·tenths ≤ 10·hours ≤ max·tenths.
            let h10 = c.hours() * 10;
            c.credits_tenths <= 0
                || h10 < rules.min_hours_per_credit * c.credits_tenths
                || h10 > rules.max_hours_per_credit * c.credits_tenths
        })
        .map(|c| c.code.clone())
        .collect();
    let no_hours: Vec<String> = courses
        .iter()
        .filter(|c| c.hours() <= 0)
        .map(|c| c.code.clone())
        .collect();
    vec![
        CheckResult {
            code: "total_hours",
            zh: "总学时",
            en: "Total hours",
            passed: t.hours >= rules.min_total_hours,
            value: t.hours.to_string(),
            limit: format!("≥ {}", rules.min_total_hours),
            courses: Vec::new(),
        },
        share(
            "public_share",
            "公共基础课学时占比",
            "Public-foundation share",
            t.public_hours,
            rules.min_public_permille,
        ),
        share(
            "elective_share",
            "选修课学时占比",
            "Elective share",
            t.elective_hours,
            rules.min_elective_permille,
        ),
        share(
            "practice_share",
            "实践学时占比",
            "Practice share",
            t.practice_hours,
            rules.min_practice_permille,
        ),
        CheckResult {
            code: "hours_per_credit",
            zh: "每学分学时",
            en: "Hours per credit",
            passed: off_credit.is_empty(),
            value: format!("{} 门不符 / {} off", off_credit.len(), off_credit.len()),
            limit: format!(
                "{}–{}",
                rules.min_hours_per_credit, rules.max_hours_per_credit
            ),
            courses: off_credit,
        },
        CheckResult {
            code: "course_hours",
            zh: "课程均有学时",
            en: "Every course has hours",
            passed: no_hours.is_empty(),
            value: format!(
                "{} 门无学时 / {} without hours",
                no_hours.len(),
                no_hours.len()
            ),
            limit: "0".into(),
            courses: no_hours,
        },
    ]
}

/// Whether a plan with these results may be approved: every check passed, or the approver
/// records an exception (a non-blank reason).
pub fn may_approve(results: &[CheckResult], exception: Option<&str>) -> bool {
    results.iter().all(|r| r.passed) || exception.is_some_and(|e| !e.trim().is_empty())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn course(
        sem: i64,
        code: &str,
        ty: &str,
        nature: &str,
        theory: i64,
        practice: i64,
        credits_tenths: i64,
    ) -> Course {
        Course {
            semester: sem,
            code: code.into(),
            name: format!("课程{code}"),
            theory_hours: theory,
            practice_hours: practice,
            credits_tenths,
            course_type: ty.into(),
            nature: nature.into(),
            enterprise: None,
            frontier_tags: String::new(),
            skill_tags: String::new(),
        }
    }

    /// A plan that passes every check, worked by hand:
    /// - public: 2 × (theory 200, practice 124) = 648 hours, at 18 hours per credit
    ///   324 / 18 = 18.0 credits each.
    /// - core: 2 × (theory 150, practice 170) = 640 hours, 320 / 16 = 20.0 credits each.
    /// - elective extension: theory 100, practice 188 = 288 hours, 288 / 18 = 16.0 credits.
    /// - practice: 0 + 960 = 960 hours, 960 / 16 = 60.0 credits.
    ///
    /// Total 648 + 640 + 288 + 960 = 2536 ≥ 2500; public 648 / 2536 = 25.5% ≥ 25%; elective
    /// 288 / 2536 = 11.3% ≥ 10%; practice (248 + 340 + 188 + 960) = 1736 / 2536 = 68.4% ≥ 50%.
    pub(crate) fn good_plan() -> Vec<Course> {
        vec![
            course(1, "GB01", "public", "compulsory", 200, 124, 180),
            course(2, "GB02", "public", "compulsory", 200, 124, 180),
            course(3, "ZH01", "core", "compulsory", 150, 170, 200),
            course(4, "ZH02", "core", "compulsory", 150, 170, 200),
            course(5, "TZ01", "extension", "elective", 100, 188, 160),
            course(6, "SJ01", "practice", "compulsory", 0, 960, 600),
        ]
    }

    fn failed(plan: &[Course]) -> Vec<&'static str> {
        check_plan_courses(plan, &PlanRules::default())
            .into_iter()
            .filter(|r| !r.passed)
            .map(|r| r.code)
            .collect()
    }

    #[test]
    fn the_hand_worked_plan_passes_every_check_with_its_numbers() {
        let plan = good_plan();
        let t = totals(&plan);
        assert_eq!(t.hours, 2536);
        assert_eq!(t.public_hours, 648);
        assert_eq!(t.elective_hours, 288);
        assert_eq!(t.practice_hours, 1736);
        assert_eq!(t.credits_tenths, 1520);
        let r = check_plan_courses(&plan, &PlanRules::default());
        assert!(r.iter().all(|c| c.passed), "{r:?}");
        assert_eq!(r[0].value, "2536");
        assert_eq!(r[1].value, "25.5%");
        assert_eq!(r[2].value, "11.3%");
        assert_eq!(r[3].value, "68.4%");
        assert_eq!(r[3].limit, "≥ 50.0%");
        assert!(may_approve(&r, None));
    }

    #[test]
    fn too_few_hours_fails_the_total() {
        // Without 40 practice hours of SJ01 (920 h, 57.5 credits: 16 h per credit exactly):
        // 2496 < 2500.
        let mut plan = good_plan();
        plan[5].practice_hours = 920;
        plan[5].credits_tenths = 575;
        assert_eq!(failed(&plan), vec!["total_hours"]);
        let r = check_plan_courses(&plan, &PlanRules::default());
        assert_eq!(r[0].value, "2496");
        // A college that asks for 2400 passes it.
        let rules = PlanRules {
            min_total_hours: 2400,
            ..PlanRules::default()
        };
        assert!(check_plan_courses(&plan, &rules).iter().all(|c| c.passed));
    }

    #[test]
    fn too_little_public_foundation_fails_its_share() {
        // GB02 becomes a core course: public 324 / 2536 = 12.7% < 25%.
        let mut plan = good_plan();
        plan[1].course_type = "core".into();
        assert_eq!(failed(&plan), vec!["public_share"]);
        assert_eq!(
            check_plan_courses(&plan, &PlanRules::default())[1].value,
            "12.7%"
        );
    }

    #[test]
    fn too_few_electives_fails_their_share() {
        // TZ01 compulsory: no elective hours, 0.0% < 10%.
        let mut plan = good_plan();
        plan[4].nature = "compulsory".into();
        assert_eq!(failed(&plan), vec!["elective_share"]);
        assert_eq!(
            check_plan_courses(&plan, &PlanRules::default())[2].value,
            "0.0%"
        );
    }

    #[test]
    fn too_little_practice_fails_its_share() {
        // SJ01 taught as 960 theory hours: practice 776 / 2536 = 30.5% < 50%.
        let mut plan = good_plan();
        plan[5].theory_hours = 960;
        plan[5].practice_hours = 0;
        assert_eq!(failed(&plan), vec!["practice_share"]);
        assert_eq!(
            check_plan_courses(&plan, &PlanRules::default())[3].value,
            "30.5%"
        );
    }

    #[test]
    fn a_course_outside_16_to_18_hours_per_credit_is_named() {
        // ZH01 with 16 credits: 320 / 16 = 20 h per credit > 18; ZH02 with 21 credits:
        // 320 / 21 = 15.2 < 16. 18.0 and 16.0 exactly (GB01, SJ01) pass.
        let mut plan = good_plan();
        plan[2].credits_tenths = 160;
        plan[3].credits_tenths = 210;
        assert_eq!(failed(&plan), vec!["hours_per_credit"]);
        let r = check_plan_courses(&plan, &PlanRules::default());
        assert_eq!(r[4].courses, vec!["ZH01", "ZH02"]);
        assert_eq!(r[4].limit, "16–18");
    }

    #[test]
    fn a_course_without_hours_is_named_and_blocks_approval_without_an_exception() {
        let mut plan = good_plan();
        plan.push(course(2, "XX01", "extension", "elective", 0, 0, 0));
        assert_eq!(failed(&plan), vec!["course_hours"]);
        let r = check_plan_courses(&plan, &PlanRules::default());
        assert_eq!(r[5].courses, vec!["XX01"]);
        assert!(!may_approve(&r, None));
        assert!(!may_approve(&r, Some("  ")));
        assert!(may_approve(&r, Some("讲座课，学时计入第二课堂")));
    }

    #[test]
    fn an_empty_plan_fails_every_total_and_share() {
        assert_eq!(
            failed(&[]),
            vec![
                "total_hours",
                "public_share",
                "elective_share",
                "practice_share"
            ]
        );
    }
}
