//! International exchange and cooperation (国际交流与合作, issue 15 §1): cooperation projects with
//! partners abroad (the Sri Lankan digital villages), exchange programs and their participants
//! in and out, students' internships and jobs abroad, foreign experts, international students,
//! training delivered abroad in person-days (the Saudi base's dealer technicians), and the
//! standards, curricula and courses adopted abroad; with the yearly totals of the quality
//! report (`totals.rs`).
//!
//! Partner institutions abroad are `organisations` of kind `foreign` and overseas bases are
//! `training_bases` of kind `overseas`: referred to, not copied. The Belt and Road flag lives on
//! `countries` (reference module), its shipped list in `crates/core/data/belt_and_road.csv`.
//!
//! **Who reaches what.** The international office (国际交流处) keeps the records: college-wide
//! for all of them, a school's international secretary for that school's. Every other office
//! reads: college-wide offices everything, a school's staff their own school's people (a record
//! belongs to a school through its `school_id`, its student's or its staff member's school, or
//! an international student's program). Leaders read everything; teachers, enterprises and
//! students none of it. The totals (`international_totals`) follow the same read scope: each
//! reader's totals are over the records they may read.

mod personal;
mod records;
pub mod totals;
pub use records::*;

use super::college::own_school;
use super::{not_students, MenuEntry, Module};
use crate::access::{Action, Office, Role, RowScope};
use crate::schema::{has, text, FieldError, Record};

/// The yearly totals page and route (read).
pub const TOTALS: &str = "international_totals";

pub static MODULE: Module = Module {
    name: "international",
    zh: "国际交流",
    en: "International",
    records: &[
        &INTL_PROJECTS,
        &EXCHANGE_PROGRAMS,
        &EXCHANGE_PARTICIPANTS,
        &OVERSEAS_PLACEMENTS,
        &FOREIGN_EXPERTS,
        &INTERNATIONAL_STUDENTS,
        &TRAINING_ABROAD,
        &STANDARDS_ABROAD,
    ],
    permissions: &[TOTALS],
    scope,
    menu: &[
        MenuEntry::Page {
            path: "/international/totals",
            zh: "国际交流年度统计",
            en: "Yearly totals",
            needs: TOTALS,
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&INTL_PROJECTS),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&EXCHANGE_PROGRAMS),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&EXCHANGE_PARTICIPANTS),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&OVERSEAS_PLACEMENTS),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&FOREIGN_EXPERTS),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&INTERNATIONAL_STUDENTS),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&TRAINING_ABROAD),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&STANDARDS_ABROAD),
        },
    ],
    personal: personal::PERSONAL,
    subject_links: &[],
};

fn scope(role: &Role, action: Action, resource: &str) -> Option<RowScope> {
    use Action::*;
    let totals = resource == TOTALS;
    if totals && action != Read {
        return None;
    }
    match role {
        Role::Admin => Some(RowScope::All),
        Role::Leader => (action == Read).then_some(RowScope::All),
        Role::Staff {
            office: Office::International,
            school_id,
        } => Some(own_school(*school_id)),
        Role::Staff { school_id, .. } => (action == Read).then(|| own_school(*school_id)),
        Role::Teacher { .. } | Role::Enterprise { .. } | Role::Student { .. } => None,
    }
}

fn date(rec: &Record, k: &str) -> Option<time::Date> {
    text(rec, k).and_then(|t| crate::dates::parse_date(t).ok())
}

/// An end date, when given, is not before the start date.
pub(crate) fn check_dates(rec: &Record, _: Option<&Record>) -> Vec<FieldError> {
    match (date(rec, "start_date"), date(rec, "end_date")) {
        (Some(a), Some(b)) if b < a => vec![FieldError::new(
            "end_date",
            "before_start",
            "must not be before the start date",
        )],
        _ => Vec::new(),
    }
}

/// A participant names exactly the person their kind says: a student, a staff member, or a
/// visitor by name.
pub(crate) fn check_participant(rec: &Record, old: Option<&Record>) -> Vec<FieldError> {
    let mut e = check_dates(rec, old);
    let kind = text(rec, "kind").unwrap_or("");
    let named = [
        ("student", "student_id"),
        ("staff", "staff_id"),
        ("visitor", "visitor_name"),
    ];
    for (k, field) in named {
        let present = has(rec, field);
        if k == kind && !present {
            e.push(FieldError::new(
                field,
                "required",
                format!("is required for a participant of kind {k}"),
            ));
        }
        if k != kind && present {
            e.push(FieldError::new(
                field,
                "not_applicable",
                format!("a participant of kind {kind} names no {field}"),
            ));
        }
    }
    e
}

/// Training abroad: dates in order, and no more person-days than trainees × days (inclusive).
pub(crate) fn check_training(rec: &Record, old: Option<&Record>) -> Vec<FieldError> {
    let mut e = check_dates(rec, old);
    let (Some(a), Some(b)) = (date(rec, "start_date"), date(rec, "end_date")) else {
        return e;
    };
    let n = rec.get("trainees").and_then(|v| v.as_i64()).unwrap_or(0);
    let pd = rec.get("person_days").and_then(|v| v.as_i64()).unwrap_or(0);
    let max = n.saturating_mul(totals::inclusive_days(a, b));
    if e.is_empty() && pd > max {
        e.push(FieldError::new(
            "person_days",
            "out_of_range",
            format!("at most trainees × days = {max}"),
        ));
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rec(v: serde_json::Value) -> Record {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn the_international_office_keeps_the_records_and_schools_read_their_own() {
        let intl = Role::Staff {
            office: Office::International,
            school_id: None,
        };
        let intl2 = Role::Staff {
            office: Office::International,
            school_id: Some(2),
        };
        let sa1 = Role::Staff {
            office: Office::StudentAffairs,
            school_id: Some(1),
        };
        let aa = Role::Staff {
            office: Office::AcademicAffairs,
            school_id: None,
        };
        let r = FOREIGN_EXPERTS.name;
        assert_eq!(scope(&intl, Action::Create, r), Some(RowScope::All));
        assert_eq!(scope(&intl, Action::Reveal, r), Some(RowScope::All));
        assert_eq!(scope(&intl2, Action::Update, r), Some(RowScope::School(2)));
        assert_eq!(scope(&sa1, Action::Read, r), Some(RowScope::School(1)));
        assert_eq!(scope(&sa1, Action::Create, r), None);
        assert_eq!(scope(&sa1, Action::Reveal, r), None);
        assert_eq!(scope(&aa, Action::Read, r), Some(RowScope::All));
        assert_eq!(scope(&aa, Action::Delete, r), None);
        assert_eq!(scope(&Role::Leader, Action::Update, r), None);
        assert_eq!(scope(&Role::Teacher { staff_id: 1 }, Action::Read, r), None);
        assert_eq!(
            scope(&Role::Student { student_id: 1 }, Action::Read, r),
            None
        );
        assert_eq!(scope(&sa1, Action::Read, TOTALS), Some(RowScope::School(1)));
        assert_eq!(scope(&intl, Action::Create, TOTALS), None);
    }

    #[test]
    fn a_participant_names_the_person_of_their_kind() {
        let ok = rec(json!({"kind": "student", "student_id": 3}));
        assert!(check_participant(&ok, None).is_empty());
        let missing = rec(json!({"kind": "visitor"}));
        assert_eq!(check_participant(&missing, None)[0].field, "visitor_name");
        let both = rec(json!({"kind": "staff", "staff_id": 1, "student_id": 2}));
        let e = check_participant(&both, None);
        assert_eq!(e.len(), 1);
        assert_eq!(
            (e[0].field.as_str(), e[0].code),
            ("student_id", "not_applicable")
        );
    }

    #[test]
    fn dates_and_person_days_are_checked() {
        let back = rec(json!({"start_date": "2025-03-02", "end_date": "2025-03-01"}));
        assert_eq!(check_dates(&back, None)[0].code, "before_start");
        // 20 trainees × 10 days = 200 person-days at most.
        let t = |pd: i64| {
            rec(
                json!({"start_date": "2025-12-27", "end_date": "2026-01-05", "trainees": 20, "person_days": pd}),
            )
        };
        assert!(check_training(&t(200), None).is_empty());
        assert_eq!(check_training(&t(201), None)[0].code, "out_of_range");
    }
}
