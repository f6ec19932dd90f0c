//! Order classes (订单班): enterprise-sponsored cohorts, students' ranked applications, the
//! sponsors' interview scores and ranks, and their allocation by stable matching (student-proposing
//! deferred acceptance, `crate::matching`), published as offers that students accept or decline,
//! with refill rounds. Rules without I/O are in `rules.rs`.

mod records;
pub mod rules;
pub use records::*;

use super::{not_students, office_roles, MenuEntry, Module};
use crate::access::{Action, ContactRole, Office, Role, RowScope};
use crate::schema::{FieldError, Record};

/// A student's own ranked list (read and replace, while windows are open).
pub const ORDER_CHOICES: &str = "order_choices";
/// Entering interview scores and ranks for applicants, and reading the applicant list.
pub const ORDER_SCORES: &str = "order_scores";
/// Running, publishing and refilling allocations (`Create`), and reviewing them (`Read`).
pub const ALLOCATION: &str = "allocation";

pub static MODULE: Module = Module {
    name: "order_classes",
    zh: "订单培养",
    en: "Order-class training",
    records: &[
        &ORDER_CLASSES,
        &ORDER_CLASS_PROGRAMS,
        &ORDER_APPLICATIONS,
        &ALLOCATION_RUNS,
        &ORDER_OFFERS,
    ],
    permissions: &[ORDER_CHOICES, ORDER_SCORES, ALLOCATION],
    scope,
    menu: &[
        MenuEntry::Page {
            path: "/order-choices",
            zh: "我的订单班志愿",
            en: "My order class choices",
            needs: ORDER_CHOICES,
        },
        MenuEntry::Page {
            path: "/order-scoring",
            zh: "订单班面试评分",
            en: "Interview scores",
            needs: ORDER_SCORES,
        },
        MenuEntry::Page {
            path: "/allocation",
            zh: "订单班录取分配",
            en: "Order class allocation",
            // Shown to whoever reads the allocation runs; the page itself asks for more.
            needs: "allocation_runs",
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&ORDER_CLASSES),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&ORDER_APPLICATIONS),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&ORDER_OFFERS),
        },
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&ALLOCATION_RUNS),
        },
        MenuEntry::Only {
            for_role: office_roles,
            entry: &MenuEntry::List(&ORDER_CLASS_PROGRAMS),
        },
    ],
    personal: &[],
    subject_links: &[],
};

/// The resources of order classes and their allocation, and the workflow permissions named like
/// resources so that they are decided here like every other one:
/// - `order_classes`, `order_class_programs`: the classes and their target programs;
/// - `order_applications`: the applications (staff write them generically, for corrections and
///   imports; students and enterprises change theirs only through the workflow routes below);
/// - `allocation_runs`, `order_offers`: the ledger, written only by the allocation workflow, so
///   no generic create/update/delete for anyone, administrators included: a published
///   allocation cannot be edited behind the mechanism's back;
/// - `order_choices`: a student's own ranked list (read and replace, while windows are open);
/// - `order_scores`: entering interview scores and ranks for applicants, and reading the
///   applicant list that needs (HR and contacts of the sponsor, and staff);
/// - `allocation`: running, publishing and refilling allocations (`Create`), and reviewing them
///   (`Read`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OcRes {
    Classes,
    Applications,
    Ledger,
    Runs,
    Choices,
    Scores,
    Allocation,
}

fn scope(role: &Role, action: Action, resource: &str) -> Option<RowScope> {
    use Action::*;
    use OcRes as R;
    use RowScope as S;
    let res = match resource {
        "order_classes" | "order_class_programs" => R::Classes,
        "order_applications" => R::Applications,
        "order_offers" => R::Ledger,
        "allocation_runs" => R::Runs,
        "order_choices" => R::Choices,
        "order_scores" => R::Scores,
        "allocation" => R::Allocation,
        _ => return None,
    };
    if matches!(res, R::Ledger | R::Runs) && action != Read {
        return None;
    }
    match role {
        Role::Admin => match res {
            R::Choices => None,
            _ if action == Reveal => None,
            _ => Some(S::All),
        },
        Role::Leader => match (action, res) {
            (Read, R::Classes | R::Applications | R::Ledger | R::Runs | R::Allocation) => {
                Some(S::All)
            }
            _ => None,
        },
        Role::Staff { office, school_id } => {
            let placement = matches!(office, Office::Employment | Office::AcademicAffairs);
            let own = match school_id {
                Some(s) => S::School(*s),
                None => S::All,
            };
            match (action, res) {
                (Reveal, _) | (_, R::Choices) => None,
                (Read, R::Classes) => Some(S::All),
                (_, R::Classes) => (school_id.is_none()
                    && matches!(
                        office,
                        Office::Employment | Office::AcademicAffairs | Office::Cooperation
                    ))
                .then_some(S::All),
                (Read, R::Applications | R::Ledger) => Some(own),
                (_, R::Applications | R::Scores) => placement.then_some(own),
                (Read, R::Runs) => school_id.is_none().then_some(S::All),
                (_, R::Allocation) => (placement && school_id.is_none()).then_some(S::All),
                (_, R::Ledger | R::Runs) => None,
            }
        }
        Role::Teacher { staff_id } => match (action, res) {
            (Read, R::Classes) => Some(S::All),
            (Read, R::Applications | R::Ledger) => Some(S::Teacher(*staff_id)),
            _ => None,
        },
        Role::Enterprise {
            org_id, relation, ..
        } => {
            // HR and contacts recruit for their organisation; an enterprise mentor supervises
            // students already placed and sees no applicants.
            let recruits = matches!(relation, ContactRole::Hr | ContactRole::Contact);
            match (action, res) {
                (Read, R::Classes) => Some(S::Org(*org_id)),
                (Read | Update, R::Scores) if recruits => Some(S::Org(*org_id)),
                (Read, R::Applications | R::Ledger) if recruits => Some(S::Org(*org_id)),
                _ => None,
            }
        }
        Role::Student { student_id } => match (action, res) {
            (Read, R::Classes) => Some(S::All),
            (Read, R::Applications | R::Ledger) => Some(S::Student(*student_id)),
            (Read | Update, R::Choices) => Some(S::Student(*student_id)),
            _ => None,
        },
    }
}

fn check_order_class(rec: &Record, _: Option<&Record>) -> Vec<FieldError> {
    rules::check_order_class(rec)
}
