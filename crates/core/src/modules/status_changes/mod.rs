//! Student status changes (学籍异动, issue 10 §8): requests of the coded types of the national
//! student-status register, filed by a class adviser or teacher of the student, or by the
//! academic or student affairs office; approved or rejected by academic affairs (教务处); applied
//! on their effective date (at approval when the date has come, else by the due-date step, see
//! the store module). Applying changes the student's status, and program and class for 转专业,
//! 转班 and 留级/降级, by the lifecycle in `rules.rs`. A student's status is changed only this
//! way: the generic record routes refuse it (`college::check_student`).
//!
//! Names decided like record types: `status_changes` (the requests, read by whoever reads the
//! student; never written through the generic routes), `status_filing` (create: which students
//! a role may file for) and `status_decision` (update: which students' requests a role decides).
//! The scopes of the two permissions are over students.

mod records;
mod rules;
pub use records::*;
pub use rules::*;

use super::college::{own_school, student_rows};
use super::{MenuEntry, Module};
use crate::access::{Action, Office, Role, RowScope};
use crate::schema::{text, FieldError, Record};

/// Filing a request: create, over the students the role may file for.
pub const FILING: &str = "status_filing";
/// Deciding (approving or rejecting) a request: update, over the students concerned.
pub const DECISION: &str = "status_decision";

pub static MODULE: Module = Module {
    name: "status_changes",
    zh: "学籍管理",
    en: "Student status",
    records: &[&STATUS_CHANGES],
    permissions: &[FILING, DECISION],
    scope,
    menu: &[
        MenuEntry::List(&STATUS_CHANGES),
        MenuEntry::Page {
            path: "/status-changes/new",
            zh: "办理学籍异动",
            en: "File a status change",
            needs: FILING,
        },
    ],
    personal: &[],
    subject_links: &[],
};

fn scope(role: &Role, action: Action, resource: &str) -> Option<RowScope> {
    use Action::*;
    match resource {
        // The requests: read by whoever reads the student (enterprises not); written only by
        // the workflow.
        "status_changes" => match (role, action) {
            (Role::Enterprise { .. }, _) => None,
            (_, Read) => student_rows(role, Read),
            _ => None,
        },
        FILING => {
            if !matches!(action, Read | Create) {
                return None;
            }
            match role {
                Role::Admin => Some(RowScope::All),
                Role::Staff {
                    office: Office::AcademicAffairs | Office::StudentAffairs,
                    school_id,
                } => Some(own_school(*school_id)),
                // A class adviser or teacher mentor: their own students.
                Role::Teacher { staff_id } => Some(RowScope::Teacher(*staff_id)),
                _ => None,
            }
        }
        DECISION => {
            if !matches!(action, Read | Update) {
                return None;
            }
            match role {
                Role::Admin => Some(RowScope::All),
                Role::Staff {
                    office: Office::AcademicAffairs,
                    school_id,
                } => Some(own_school(*school_id)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A request's fields agree with its type: a move names its target, other types name none.
pub(crate) fn check_request(rec: &Record, _old: Option<&Record>) -> Vec<FieldError> {
    let Some(ty) = text(rec, "change_type").and_then(change_type) else {
        return Vec::new();
    };
    let has = |f: &str| !rec.get(f).is_none_or(|v| v.is_null());
    let mut out = Vec::new();
    match ty.target {
        Target::Program if !has("target_program_id") => out.push(FieldError::new(
            "target_program_id",
            "required",
            "name the program to move to",
        )),
        Target::Class if !has("target_class_id") => out.push(FieldError::new(
            "target_class_id",
            "required",
            "name the class to move to",
        )),
        Target::None => {
            for f in ["target_program_id", "target_class_id"] {
                if has(f) {
                    out.push(FieldError::new(
                        f,
                        "not_applicable",
                        "only a change of program or class names a target",
                    ));
                }
            }
        }
        _ => {}
    }
    if ty.target == Target::Class && has("target_program_id") {
        out.push(FieldError::new(
            "target_program_id",
            "not_applicable",
            "the program follows the class",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn teachers_and_offices_file_academic_affairs_decides_students_read_their_own() {
        let teacher = Role::Teacher { staff_id: 4 };
        assert_eq!(
            scope(&teacher, Action::Create, FILING),
            Some(RowScope::Teacher(4))
        );
        assert_eq!(scope(&teacher, Action::Update, DECISION), None);
        let aa = Role::Staff {
            office: Office::AcademicAffairs,
            school_id: Some(2),
        };
        assert_eq!(
            scope(&aa, Action::Update, DECISION),
            Some(RowScope::School(2))
        );
        let sa = Role::Staff {
            office: Office::StudentAffairs,
            school_id: None,
        };
        assert_eq!(scope(&sa, Action::Create, FILING), Some(RowScope::All));
        assert_eq!(scope(&sa, Action::Update, DECISION), None);
        let student = Role::Student { student_id: 9 };
        assert_eq!(scope(&student, Action::Create, FILING), None);
        assert_eq!(
            scope(&student, Action::Read, STATUS_CHANGES.name),
            Some(RowScope::Student(9))
        );
        // Nobody writes requests through the generic routes, the administrator included.
        for a in [Action::Create, Action::Update, Action::Delete] {
            assert_eq!(scope(&Role::Admin, a, STATUS_CHANGES.name), None);
        }
        let hr = Role::Enterprise {
            org_id: 1,
            contact_id: 1,
            relation: crate::access::ContactRole::Hr,
        };
        assert_eq!(scope(&hr, Action::Read, STATUS_CHANGES.name), None);
    }

    #[test]
    fn a_request_names_a_target_exactly_when_its_type_needs_one() {
        let rec = |v: serde_json::Value| v.as_object().unwrap().clone();
        assert!(check_request(&rec(json!({"change_type": "suspend"})), None).is_empty());
        assert_eq!(
            check_request(&rec(json!({"change_type": "change_program"})), None)[0].code,
            "required"
        );
        assert_eq!(
            check_request(&rec(json!({"change_type": "change_class"})), None)[0].field,
            "target_class_id"
        );
        assert_eq!(
            check_request(
                &rec(json!({"change_type": "suspend", "target_class_id": 3})),
                None
            )[0]
            .code,
            "not_applicable"
        );
        assert!(check_request(
            &rec(json!({"change_type": "change_program", "target_program_id": 2, "target_class_id": 5})),
            None
        )
        .is_empty());
    }
}
