//! The college itself: secondary schools, programs, academic years and terms, administrative
//! classes, students and staff. Academic affairs keeps them, student affairs keeps the students,
//! and a secondary school's own staff are held to their school.

mod records;
pub use records::*;

use super::{MenuEntry, Module};
use crate::access::{Action, ContactRole, Office, Role, RowScope};
use crate::schema::{text, FieldError, Record};

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
        MenuEntry::List(&CLASSES),
        MenuEntry::List(&PROGRAMS),
        MenuEntry::List(&STAFF),
        MenuEntry::List(&SCHOOLS),
        MenuEntry::List(&ACADEMIC_YEARS),
        MenuEntry::List(&TERMS),
    ],
};

/// The scope a school-bound staff member is held to: their school, or every row.
pub(crate) fn own_school(school_id: Option<i64>) -> RowScope {
    school_id.map_or(RowScope::All, RowScope::School)
}

fn scope(role: &Role, action: Action, resource: &str) -> Option<RowScope> {
    if resource == STUDENTS.name {
        return student_rows(role, action);
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

/// The student status lifecycle: enrolled ⇄ suspended; enrolled or suspended → withdrawn;
/// enrolled → graduated; withdrawn → enrolled (re-admission). Graduated is final.
pub fn status_transition_allowed(from: &str, to: &str) -> bool {
    from == to
        || matches!(
            (from, to),
            ("enrolled", "suspended" | "withdrawn" | "graduated")
                | ("suspended", "enrolled" | "withdrawn")
                | ("withdrawn", "enrolled")
        )
}

/// The lifecycle governs changes. A new record may arrive in any status: colleges load students
/// who are already suspended or withdrawn from their previous system.
fn check_student(rec: &Record, old: Option<&Record>) -> Vec<FieldError> {
    match (old.and_then(|o| text(o, "status")), text(rec, "status")) {
        (Some(old), Some(new)) if !status_transition_allowed(old, new) => vec![FieldError::new(
            "status",
            "invalid_transition",
            format!("cannot change from {old} to {new}"),
        )],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lifecycle() {
        assert!(status_transition_allowed("enrolled", "suspended"));
        assert!(status_transition_allowed("suspended", "enrolled"));
        assert!(!status_transition_allowed("graduated", "enrolled"));
        assert!(!status_transition_allowed("suspended", "graduated"));
        assert!(!status_transition_allowed("withdrawn", "graduated"));
    }
}
