//! Joint talent-cultivation plans (人才培养方案, issue 12 §2): per program and entry cohort, the
//! courses by semester with their hours, credits and types, the enterprises that co-develop
//! them, and the enterprise people who co-sign the plan. A version is drafted by the program
//! lead (a teacher) or academic affairs, submitted, co-signed by every signatory through their
//! own account, and approved by academic affairs; an approved version is frozen, and the next
//! version or the next year's plan starts as a copy. The structural checks of the national
//! guidance (`rules.rs`, each threshold a setting) block approval unless the approver records an
//! exception; the diff between two versions is `diff.rs`.
//!
//! Names decided like record types: `plans`, `plan_courses`, `plan_signatories` (the records),
//! `plan_approval` (update: which plans a role approves) and `plan_signing` (update: an
//! enterprise user co-signs the plans that name them).

mod diff;
mod records;
mod rules;
pub use diff::*;
pub use records::*;
pub use rules::*;

use super::college::own_school;
use super::{not_students, MenuEntry, Module};
use crate::access::{Action, Office, Role, RowScope};
use crate::schema::{text, FieldError, Record};

/// Approving a co-signed plan: update, over plans.
pub const APPROVAL: &str = "plan_approval";
/// Co-signing a plan in review: update, over the plans that name the user as a signatory.
pub const SIGNING: &str = "plan_signing";

pub static MODULE: Module = Module {
    name: "plans",
    zh: "人才培养",
    en: "Cultivation",
    records: &[&PLANS, &PLAN_COURSES, &PLAN_SIGNATORIES],
    permissions: &[APPROVAL, SIGNING],
    scope,
    menu: &[MenuEntry::Only {
        for_role: not_students,
        entry: &MenuEntry::List(&PLANS),
    }],
    personal: &[],
    subject_links: &[],
};

fn scope(role: &Role, action: Action, resource: &str) -> Option<RowScope> {
    use Action::*;
    match resource {
        APPROVAL => match (role, action) {
            (Role::Admin, Read | Update) => Some(RowScope::All),
            (
                Role::Staff {
                    office: Office::AcademicAffairs,
                    school_id,
                },
                Read | Update,
            ) => Some(own_school(*school_id)),
            _ => None,
        },
        SIGNING => match (role, action) {
            (Role::Enterprise { contact_id, .. }, Read | Update) => {
                Some(RowScope::Mentor(*contact_id))
            }
            _ => None,
        },
        _ => match role {
            Role::Admin => Some(RowScope::All),
            Role::Leader => (action == Read).then_some(RowScope::All),
            Role::Staff { office, school_id } => match action {
                Read => Some(RowScope::All),
                Reveal => None,
                _ => matches!(office, Office::AcademicAffairs).then(|| own_school(*school_id)),
            },
            // The program lead drafts their own plans; every teacher reads the plans.
            Role::Teacher { staff_id } => match action {
                Read => Some(RowScope::All),
                Reveal => None,
                _ => Some(RowScope::Teacher(*staff_id)),
            },
            // An enterprise reads the plans it co-signs or co-develops courses of.
            Role::Enterprise { org_id, .. } => (action == Read).then_some(RowScope::Org(*org_id)),
            Role::Student { .. } => None,
        },
    }
}

/// A plan starts as a draft, and its status and approval are the procedure's: the generic
/// routes neither set nor change them.
pub(crate) fn check_plan(rec: &Record, old: Option<&Record>) -> Vec<FieldError> {
    let mut out = Vec::new();
    match old {
        None => {
            if text(rec, "status").is_some_and(|s| s != "draft") {
                out.push(FieldError::bilingual(
                    "status",
                    "status_by_procedure",
                    "新方案只能是草稿，状态通过审批流程变更",
                    "a new plan is a draft; its status changes only through the approval procedure",
                ));
            }
            for k in ["approved_by", "approved_at"] {
                if rec.get(k).is_some_and(|v| !v.is_null()) {
                    out.push(FieldError::bilingual(
                        k,
                        "status_by_procedure",
                        "由审批流程填写",
                        "is written by the approval procedure",
                    ));
                }
            }
        }
        Some(old) => {
            for k in ["status", "approved_by", "approved_at", "exception_reason"] {
                let v = |r: &Record| r.get(k).filter(|v| !v.is_null()).cloned();
                if v(rec) != v(old) {
                    out.push(FieldError::bilingual(
                        k,
                        "status_by_procedure",
                        "只能通过审批流程变更",
                        "changes only through the approval procedure",
                    ));
                }
            }
        }
    }
    out
}

/// A signature is given through the signing procedure, never written.
pub(crate) fn check_signatory(rec: &Record, old: Option<&Record>) -> Vec<FieldError> {
    let before = old
        .and_then(|o| o.get("signed_at"))
        .filter(|v| !v.is_null());
    let now = rec.get("signed_at").filter(|v| !v.is_null());
    if before != now {
        vec![FieldError::bilingual(
            "signed_at",
            "status_by_procedure",
            "会签只能由会签人本人通过会签办理",
            "a signature is given only by the signatory through the signing procedure",
        )]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rec(v: serde_json::Value) -> Record {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn academic_affairs_write_their_school_teachers_their_own_enterprises_read_theirs() {
        let aa = Role::Staff {
            office: Office::AcademicAffairs,
            school_id: Some(2),
        };
        assert_eq!(
            scope(&aa, Action::Update, PLANS.name),
            Some(RowScope::School(2))
        );
        assert_eq!(
            scope(&aa, Action::Update, APPROVAL),
            Some(RowScope::School(2))
        );
        let coop = Role::Staff {
            office: Office::Cooperation,
            school_id: None,
        };
        assert_eq!(scope(&coop, Action::Update, PLAN_COURSES.name), None);
        assert_eq!(scope(&coop, Action::Update, APPROVAL), None);
        let t = Role::Teacher { staff_id: 7 };
        assert_eq!(
            scope(&t, Action::Create, PLANS.name),
            Some(RowScope::Teacher(7))
        );
        assert_eq!(scope(&t, Action::Update, APPROVAL), None);
        let hr = Role::Enterprise {
            org_id: 5,
            contact_id: 9,
            relation: crate::access::ContactRole::Hr,
        };
        assert_eq!(scope(&hr, Action::Read, PLANS.name), Some(RowScope::Org(5)));
        assert_eq!(scope(&hr, Action::Update, PLANS.name), None);
        assert_eq!(
            scope(&hr, Action::Update, SIGNING),
            Some(RowScope::Mentor(9))
        );
        assert_eq!(
            scope(&Role::Student { student_id: 1 }, Action::Read, PLANS.name),
            None
        );
    }

    #[test]
    fn status_and_approval_are_the_procedures() {
        let draft = rec(json!({"status": "draft", "title": "a"}));
        assert!(check_plan(&draft, None).is_empty());
        let approved = rec(json!({"status": "approved"}));
        assert_eq!(check_plan(&approved, None)[0].field, "status");
        let mut changed = draft.clone();
        changed.insert("status".into(), json!("approved"));
        assert_eq!(check_plan(&changed, Some(&draft)).len(), 1);
        let mut retitled = draft.clone();
        retitled.insert("title".into(), json!("b"));
        assert!(check_plan(&retitled, Some(&draft)).is_empty());
        let signed = rec(json!({"signed_at": "2026-01-01T00:00:00.000Z"}));
        assert_eq!(check_signatory(&signed, None).len(), 1);
        assert!(check_signatory(&signed, Some(&signed)).is_empty());
        assert!(check_signatory(&rec(json!({"plan_id": 1})), None).is_empty());
    }
}
