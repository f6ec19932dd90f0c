//! The rules of competitions and start-ups without I/O: an advisor or mentor is one person, a
//! start-up's stage moves forward (or closes) and its outcome fits its stage, and the counts the
//! quality report takes (awards by year, level and grade; start-ups by stage).

use super::records::{AWARD_GRADES, COMPETITION_LEVELS, STARTUP_STAGES};
use crate::labels::EnumTable;
use crate::schema::{text, FieldError, Record};
use serde::Serialize;

fn has(rec: &Record, f: &str) -> bool {
    rec.get(f).is_some_and(|v| !v.is_null())
}

/// An advisor of a team, or a mentor of a start-up, names exactly one person: a college
/// teacher (`staff_id`) or an enterprise contact (`contact_id`).
pub(crate) fn check_advisor(rec: &Record, _old: Option<&Record>) -> Vec<FieldError> {
    match (has(rec, "staff_id"), has(rec, "contact_id")) {
        (true, false) | (false, true) => Vec::new(),
        (false, false) => vec![FieldError::new(
            "staff_id",
            "required",
            "name a college teacher or an enterprise contact",
        )],
        (true, true) => vec![FieldError::new(
            "contact_id",
            "not_applicable",
            "name either a college teacher or an enterprise contact, not both",
        )],
    }
}

/// The place of a stage on the way through the incubator; `None` for `closed`, which ends it.
fn stage_rank(stage: &str) -> Option<u8> {
    match stage {
        "idea" => Some(0),
        "incubating" => Some(1),
        "registered" => Some(2),
        "graduated" => Some(3),
        _ => None,
    }
}

/// Whether a start-up may move from stage `from` to stage `to`: forward (a stage may be
/// skipped: an idea that registers a company at once), or to `closed` from any stage; never
/// back, and nothing after `closed`.
pub fn stage_move(from: &str, to: &str) -> bool {
    if from == to {
        return true;
    }
    match (stage_rank(from), stage_rank(to)) {
        (Some(a), Some(b)) => b > a,
        (Some(_), None) => to == "closed",
        (None, _) => false,
    }
}

/// Whether a start-up at `stage` has (or had) a registered company.
fn registered(stage: &str) -> bool {
    matches!(stage, "registered" | "graduated")
}

/// A start-up's stage follows the lifecycle ([`stage_move`]); a registered or graduated one
/// names its company; an idea or one still incubating has no company, credit code, jobs or
/// revenue yet.
pub(crate) fn check_startup(rec: &Record, old: Option<&Record>) -> Vec<FieldError> {
    let mut out = Vec::new();
    let Some(stage) = text(rec, "stage") else {
        return out;
    };
    if let Some(prev) = old.and_then(|o| text(o, "stage")) {
        if !stage_move(prev, stage) {
            out.push(FieldError::new(
                "stage",
                "invalid_transition",
                format!(
                    "a start-up cannot move from {} to {}",
                    STARTUP_STAGES.label(prev, false).unwrap_or(prev),
                    STARTUP_STAGES.label(stage, false).unwrap_or(stage)
                ),
            ));
        }
    }
    if registered(stage) && !has(rec, "company_name") {
        out.push(FieldError::new(
            "company_name",
            "required",
            "a registered or graduated start-up names its company",
        ));
    }
    if matches!(stage, "idea" | "incubating") {
        for f in ["company_name", "credit_code", "jobs_created", "revenue_fen"] {
            if has(rec, f) {
                out.push(FieldError::new(
                    f,
                    "not_applicable",
                    "only a start-up that registered a company has an outcome",
                ));
            }
        }
    }
    out
}

/// One award as the summary counts it: the competition's year and level, the award's grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardRow {
    pub year: i64,
    pub level: String,
    pub grade: String,
}

/// How many awards of one grade at one level in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AwardCount {
    pub year: i64,
    pub level: String,
    pub grade: String,
    pub count: u64,
}

/// How many of something carry one code (a level, a stage), with its labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeCount {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub count: u64,
}

/// The summary the quality report and the summary page show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The year asked for; `None`: every year.
    pub year: Option<i64>,
    /// Awards by year, level and grade (only the combinations that occur), by year, then level
    /// and grade in the order of their tables.
    pub awards: Vec<AwardCount>,
    /// Awards per level, every level (zero included), of the years counted.
    pub awards_by_level: Vec<CodeCount>,
    /// Awards in all, of the years counted.
    pub awards_total: u64,
    /// Start-ups per stage, every stage (zero included): where each stands now.
    pub startups_by_stage: Vec<CodeCount>,
    pub startups_total: u64,
}

fn position(table: &EnumTable, code: &str) -> usize {
    table
        .labels
        .iter()
        .position(|l| l.code == code)
        .unwrap_or(usize::MAX)
}

/// Awards counted by year, level and grade; `year` keeps one year only.
pub fn award_counts(rows: &[AwardRow], year: Option<i64>) -> Vec<AwardCount> {
    let mut out: Vec<AwardCount> = Vec::new();
    for r in rows.iter().filter(|r| year.is_none_or(|y| r.year == y)) {
        match out
            .iter_mut()
            .find(|c| c.year == r.year && c.level == r.level && c.grade == r.grade)
        {
            Some(c) => c.count += 1,
            None => out.push(AwardCount {
                year: r.year,
                level: r.level.clone(),
                grade: r.grade.clone(),
                count: 1,
            }),
        }
    }
    out.sort_by_key(|c| {
        (
            c.year,
            position(&COMPETITION_LEVELS, &c.level),
            position(&AWARD_GRADES, &c.grade),
        )
    });
    out
}

/// How many of `codes` carry each code of `table`, in the table's order, zeros included; a
/// code the table does not have is not counted.
pub fn code_counts<'a>(
    table: &'static EnumTable,
    codes: impl IntoIterator<Item = &'a str>,
) -> Vec<CodeCount> {
    let mut out: Vec<CodeCount> = table
        .labels
        .iter()
        .map(|l| CodeCount {
            code: l.code,
            zh: l.zh,
            en: l.en,
            count: 0,
        })
        .collect();
    for c in codes {
        if let Some(slot) = out.iter_mut().find(|s| s.code == c) {
            slot.count += 1;
        }
    }
    out
}

/// The summary of `awards` (of `year`, or of every year) and of the start-ups' `stages`.
pub fn summary<'a>(
    awards: &[AwardRow],
    year: Option<i64>,
    stages: impl IntoIterator<Item = &'a str>,
) -> Summary {
    let counted = award_counts(awards, year);
    let by_level = code_counts(
        &COMPETITION_LEVELS,
        awards
            .iter()
            .filter(|r| year.is_none_or(|y| r.year == y))
            .map(|r| r.level.as_str()),
    );
    let startups = code_counts(&STARTUP_STAGES, stages);
    Summary {
        year,
        awards_total: by_level.iter().map(|c| c.count).sum(),
        awards: counted,
        awards_by_level: by_level,
        startups_total: startups.iter().map(|c| c.count).sum(),
        startups_by_stage: startups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rec(v: serde_json::Value) -> Record {
        v.as_object().unwrap().clone()
    }

    fn row(year: i64, level: &str, grade: &str) -> AwardRow {
        AwardRow {
            year,
            level: level.into(),
            grade: grade.into(),
        }
    }

    #[test]
    fn an_advisor_is_a_teacher_or_a_contact_never_both_nor_neither() {
        assert!(check_advisor(&rec(json!({"team_id": 1, "staff_id": 3})), None).is_empty());
        assert!(check_advisor(&rec(json!({"team_id": 1, "contact_id": 4})), None).is_empty());
        let none = check_advisor(&rec(json!({"team_id": 1, "staff_id": null})), None);
        assert_eq!(none[0].field, "staff_id");
        let both = check_advisor(&rec(json!({"staff_id": 3, "contact_id": 4})), None);
        assert_eq!(both[0].code, "not_applicable");
    }

    #[test]
    fn stages_move_forward_or_close_and_never_back() {
        assert!(stage_move("idea", "incubating"));
        assert!(stage_move("idea", "registered"));
        assert!(stage_move("registered", "graduated"));
        assert!(stage_move("incubating", "closed"));
        assert!(stage_move("graduated", "closed"));
        assert!(stage_move("closed", "closed"));
        assert!(!stage_move("incubating", "idea"));
        assert!(!stage_move("graduated", "registered"));
        assert!(!stage_move("closed", "incubating"));
        assert!(!stage_move("closed", "idea"));
    }

    #[test]
    fn a_change_of_stage_is_checked_against_the_stored_one() {
        let old = rec(json!({"stage": "registered", "company_name": "重庆某科技有限公司"}));
        let back = rec(json!({"stage": "incubating"}));
        let e = check_startup(&back, Some(&old));
        assert_eq!(e[0].code, "invalid_transition");
        let on = rec(json!({"stage": "graduated", "company_name": "重庆某科技有限公司"}));
        assert!(check_startup(&on, Some(&old)).is_empty());
        // A new record has no stored stage: any stage may be where it starts.
        assert!(check_startup(&on, None).is_empty());
    }

    #[test]
    fn the_outcome_fits_the_stage() {
        let e = check_startup(&rec(json!({"stage": "registered"})), None);
        assert_eq!(e.len(), 1);
        assert_eq!(
            (e[0].field.as_str(), e[0].code),
            ("company_name", "required")
        );
        let early = rec(json!({"stage": "idea", "company_name": "某公司", "revenue_fen": 100}));
        let e = check_startup(&early, None);
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["company_name", "revenue_fen"]);
        // A closed start-up may keep the company it registered, or have none.
        assert!(check_startup(&rec(json!({"stage": "closed"})), None).is_empty());
        assert!(check_startup(
            &rec(json!({"stage": "closed", "company_name": "某公司", "jobs_created": 3})),
            None
        )
        .is_empty());
    }

    /// A hand-counted fixture: 2024 has two national first prizes and one provincial third; 2025
    /// one national first, two provincial seconds, one city gold and one college merit.
    fn fixture() -> Vec<AwardRow> {
        vec![
            row(2025, "provincial", "second"),
            row(2024, "national", "first"),
            row(2025, "college", "merit"),
            row(2025, "national", "first"),
            row(2024, "provincial", "third"),
            row(2025, "city", "gold"),
            row(2024, "national", "first"),
            row(2025, "provincial", "second"),
        ]
    }

    #[test]
    fn awards_are_counted_by_year_level_and_grade() {
        let got = award_counts(&fixture(), None);
        let flat: Vec<(i64, &str, &str, u64)> = got
            .iter()
            .map(|c| (c.year, c.level.as_str(), c.grade.as_str(), c.count))
            .collect();
        assert_eq!(
            flat,
            [
                (2024, "national", "first", 2),
                (2024, "provincial", "third", 1),
                (2025, "national", "first", 1),
                (2025, "provincial", "second", 2),
                (2025, "city", "gold", 1),
                (2025, "college", "merit", 1),
            ]
        );
        let y2024 = award_counts(&fixture(), Some(2024));
        assert_eq!(y2024.len(), 2);
        assert_eq!(y2024.iter().map(|c| c.count).sum::<u64>(), 3);
        assert!(award_counts(&fixture(), Some(2023)).is_empty());
    }

    #[test]
    fn the_summary_counts_levels_of_the_year_and_every_stage() {
        let stages = [
            "idea",
            "incubating",
            "incubating",
            "registered",
            "closed",
            "unknown",
        ];
        let s = summary(&fixture(), Some(2025), stages);
        assert_eq!(s.year, Some(2025));
        let levels: Vec<(&str, u64)> = s
            .awards_by_level
            .iter()
            .map(|c| (c.code, c.count))
            .collect();
        assert_eq!(
            levels,
            [
                ("national", 1),
                ("provincial", 2),
                ("city", 1),
                ("college", 1)
            ]
        );
        assert_eq!(s.awards_total, 5);
        let st: Vec<(&str, u64)> = s
            .startups_by_stage
            .iter()
            .map(|c| (c.code, c.count))
            .collect();
        assert_eq!(
            st,
            [
                ("idea", 1),
                ("incubating", 2),
                ("registered", 1),
                ("graduated", 0),
                ("closed", 1)
            ]
        );
        assert_eq!(s.startups_total, 5);
        let all = summary(&fixture(), None, []);
        assert_eq!(all.awards_total, 8);
        assert_eq!(all.awards_by_level[0].count, 3);
        assert_eq!(all.startups_total, 0);
    }
}
