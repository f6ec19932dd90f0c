//! The college itself: secondary schools, programs, academic years and terms, administrative
//! classes, students and staff. Academic affairs keeps them, student affairs keeps the students,
//! and a secondary school's own staff are held to their school.

mod personal;
mod records;
pub use personal::PERSONAL;
pub use records::*;

use super::{not_students, office_roles, MenuEntry, Module};
use crate::access::{Action, ContactRole, Office, Role, RowScope};
use crate::schema::{text, FieldError, Record};
use serde_json::Value;

pub static MODULE: Module = Module {
    name: "college",
    zh: "学校与学生",
    en: "College and students",
    records: &[
        &SCHOOLS,
        &PROGRAMS,
        &ACADEMIC_YEARS,
        &TERMS,
        &STAFF,
        &CLASSES,
        &STUDENTS,
    ],
    permissions: &[],
    scope,
    menu: &[
        MenuEntry::List(&STUDENTS),
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&CLASSES),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&PROGRAMS),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&STAFF),
        },
        MenuEntry::Only {
            for_role: office_roles,
            entry: &MenuEntry::List(&SCHOOLS),
        },
        MenuEntry::Only {
            for_role: office_roles,
            entry: &MenuEntry::List(&ACADEMIC_YEARS),
        },
        MenuEntry::Only {
            for_role: office_roles,
            entry: &MenuEntry::List(&TERMS),
        },
    ],
    personal: PERSONAL,
    subject_links: &[],
};

/// The scope a school-bound staff member is held to: their school, or every row.
pub(crate) fn own_school(school_id: Option<i64>) -> RowScope {
    school_id.map_or(RowScope::All, RowScope::School)
}

/// A field group open to every role that reaches the rows.
pub(crate) fn every_reader(_: &Role, _: Action) -> bool {
    true
}

/// A field group closed to external (enterprise) users.
pub(crate) fn internal_only(role: &Role, _: Action) -> bool {
    !role.is_external()
}

/// Staff phones and e-mails: not for teachers (they see names and offices) nor enterprise
/// users; a student reaches only the staff rows of their own mentors, and sees their contact.
fn staff_contact_allowed(role: &Role, _: Action) -> bool {
    !matches!(role, Role::Teacher { .. } | Role::Enterprise { .. })
}

fn scope(role: &Role, action: Action, resource: &str) -> Option<RowScope> {
    if resource == STUDENTS.name {
        return student_rows(role, action);
    }
    if resource == STAFF.name && action == Action::Read {
        // A school's offices see their own school's staff; a student their own mentors.
        match role {
            Role::Staff {
                school_id: Some(s), ..
            } => return Some(RowScope::School(*s)),
            Role::Student { student_id } => return Some(RowScope::Student(*student_id)),
            _ => {}
        }
    }
    let teaching = resource == PROGRAMS.name || resource == CLASSES.name;
    let staff = resource == STAFF.name;
    use Action::*;
    match role {
        Role::Admin => Some(RowScope::All),
        Role::Leader => (action == Read).then_some(RowScope::All),
        Role::Staff { office, school_id } => {
            let academic = *office == Office::AcademicAffairs;
            match action {
                Read if teaching => Some(own_school(*school_id)),
                Read => Some(RowScope::All),
                Reveal => (staff && school_id.is_none()).then_some(RowScope::All),
                _ if teaching => academic.then(|| own_school(*school_id)),
                // Schools, years, terms and staff records: college-wide academic affairs.
                _ => (academic && school_id.is_none()).then_some(RowScope::All),
            }
        }
        Role::Teacher { staff_id } => match action {
            Read if resource == CLASSES.name => Some(RowScope::Teacher(*staff_id)),
            Read => Some(RowScope::All),
            _ => None,
        },
        Role::Enterprise { .. } => {
            (action == Read && !staff && resource != CLASSES.name).then_some(RowScope::All)
        }
        Role::Student { student_id } => match action {
            Read if resource == CLASSES.name => Some(RowScope::Student(*student_id)),
            Read if !staff => Some(RowScope::All),
            _ => None,
        },
    }
}

/// The rows about students that a role reaches: students themselves, and records that belong to
/// a student (mentor assignments in the partners module follow the same rule).
pub(crate) fn student_rows(role: &Role, action: Action) -> Option<RowScope> {
    use Action::*;
    match role {
        Role::Admin => Some(RowScope::All),
        Role::Leader => (action == Read).then_some(RowScope::All),
        Role::Staff { office, school_id } => {
            let own = own_school(*school_id);
            match action {
                Read => Some(own),
                Reveal => matches!(
                    office,
                    Office::AcademicAffairs
                        | Office::StudentAffairs
                        | Office::Employment
                        | Office::International
                )
                .then_some(own),
                _ => matches!(office, Office::AcademicAffairs | Office::StudentAffairs)
                    .then_some(own),
            }
        }
        Role::Teacher { staff_id } => (action == Read).then_some(RowScope::Teacher(*staff_id)),
        Role::Enterprise {
            org_id,
            contact_id,
            relation,
        } => (action == Read).then_some(match relation {
            ContactRole::Mentor => RowScope::Mentor(*contact_id),
            ContactRole::Contact | ContactRole::Hr => RowScope::Org(*org_id),
        }),
        Role::Student { student_id } => (action == Read).then_some(RowScope::Student(*student_id)),
    }
}

/// The student status lifecycle: whether some type of status change (学籍异动) leads from `from`
/// to `to`. The types and what each allows are in `status_changes::CHANGE_TYPES`.
pub fn status_transition_allowed(from: &str, to: &str) -> bool {
    super::status_changes::transition_allowed(from, to)
}

/// A student's status changes only through the status-change procedure (学籍异动, the
/// `status_changes` module), never through a generic update or an import. A new record may arrive
/// in any status: colleges load students who are already suspended or withdrawn from their
/// previous system.
fn check_student(rec: &Record, old: Option<&Record>) -> Vec<FieldError> {
    match (old.and_then(|o| text(o, "status")), text(rec, "status")) {
        (Some(old), Some(new)) if old != new => vec![FieldError::new(
            "status",
            "status_by_procedure",
            format!(
                "a student's status changes only through a status-change request ({old} to {new})"
            ),
        )],
        _ => Vec::new(),
    }
}

/// A roster's birth-date column against the ID number's digits 7–14 (`ImportColumn::Check`).
fn birth_date_matches_id(birth: &Value, rec: &Record) -> Option<(&'static str, String)> {
    let birth = birth.as_str()?;
    let id = text(rec, "id_number")?;
    let in_id = id.get(6..14)?;
    let in_id = format!("{}-{}-{}", &in_id[..4], &in_id[4..6], &in_id[6..]);
    (in_id != birth).then(|| {
        (
            "id_number",
            format!(
                "the birth date {birth} contradicts the ID number, whose birth date is {in_id}"
            ),
        )
    })
}

/// A roster's gender against the ID number's digit 17: odd for a man (`1`), even for a woman
/// (`2`); other genders are not checked (`ImportCheck`).
fn gender_matches_id(rec: &Record) -> Option<String> {
    let gender = text(rec, "gender")?;
    let digit = text(rec, "id_number")?
        .as_bytes()
        .get(16)?
        .checked_sub(b'0')?;
    let in_id = if digit % 2 == 1 { "1" } else { "2" };
    let label = |g: &str| GENDERS.label(g, true).unwrap_or("?");
    (matches!(gender, "1" | "2") && gender != in_id).then(|| {
        format!(
            "the gender is {}, but the ID number's 17th digit ({digit}) is that of {}",
            label(gender),
            label(in_id)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_gender_is_checked_against_the_id_number() {
        let man = crate::ids::make_id_number("500101", "20070917", 13);
        let woman = crate::ids::make_id_number("500101", "20070917", 12);
        let rec = |g: &str, id: &str| -> Record {
            json!({"gender": g, "id_number": id})
                .as_object()
                .unwrap()
                .clone()
        };
        assert_eq!(gender_matches_id(&rec("1", &man)), None);
        assert_eq!(gender_matches_id(&rec("2", &woman)), None);
        let why = gender_matches_id(&rec("2", &man)).unwrap();
        assert!(
            why.contains("(3)") && why.contains('女') && why.contains('男'),
            "{why}"
        );
        assert!(gender_matches_id(&rec("1", &woman)).is_some());
        // Without an ID number, or a gender the ID number does not encode, nothing to compare.
        assert_eq!(gender_matches_id(&rec("1", "")), None);
        assert_eq!(gender_matches_id(&rec("9", &woman)), None);
    }

    #[test]
    fn a_birth_date_is_checked_against_the_id_number() {
        let id = crate::ids::make_id_number("500101", "20070917", 12);
        let rec: Record = json!({"id_number": id}).as_object().unwrap().clone();
        assert_eq!(birth_date_matches_id(&json!("2007-09-17"), &rec), None);
        let (field, why) = birth_date_matches_id(&json!("2007-09-18"), &rec).unwrap();
        assert_eq!(field, "id_number");
        assert!(
            why.contains("2007-09-18") && why.contains("2007-09-17"),
            "{why}"
        );
        // Without an ID number there is nothing to compare.
        assert_eq!(
            birth_date_matches_id(&json!("2007-09-18"), &Record::new()),
            None
        );
    }

    #[test]
    fn status_lifecycle() {
        assert!(status_transition_allowed("enrolled", "suspended"));
        assert!(status_transition_allowed("suspended", "enrolled"));
        assert!(!status_transition_allowed("graduated", "enrolled"));
        assert!(!status_transition_allowed("suspended", "graduated"));
        assert!(!status_transition_allowed("withdrawn", "graduated"));
    }
}
