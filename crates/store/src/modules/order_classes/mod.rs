//! The store half of the `order_classes` module: row scopes of classes, applications and the
//! allocation ledger, and the allocation workflow (`allocation.rs`).

mod allocation;
pub(crate) mod todos;
pub use allocation::{
    college_today, CheckOutcome, ReviewFilter, RunResult, ScoreInput, ALLOCATION_RESULTS,
    REVIEW_OUTCOMES,
};

use super::college::{students_of_teacher, STUDENTS_OF_SCHOOL};
use super::{store_view, NoHooks, StoreModule};
use crate::records::{Bind, Sql};
use skillbridge_core::access::RowScope;
use skillbridge_core::modules::order_classes::{
    ORDER_APPLICATIONS, ORDER_CHOICES, ORDER_CLASSES, ORDER_CLASS_PROGRAMS, ORDER_OFFERS,
    ORDER_SCORES,
};

store_view!(
    /// The order-class workflows: students' choices and answers, enterprise scoring, the
    /// allocation runs, their review, publication, refills and exports.
    OrderClasses,
    order_classes
);

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::order_classes::MODULE,
    scope_sql,
    hooks: &NoHooks,
};

/// Classes by sponsor; everything else (applications, offers, scores, choices) by the student
/// and the class it names. `order_scores` and `order_choices` are workflow permissions over the
/// applications table.
fn scope_sql(resource: &str, scope: RowScope, sql: &mut Sql) -> Option<String> {
    use RowScope::*;
    let int = |sql: &mut Sql, v: i64| sql.bind(Bind::Int(Some(v)));
    let per_student = [
        ORDER_APPLICATIONS.name,
        ORDER_OFFERS.name,
        ORDER_SCORES,
        ORDER_CHOICES,
    ]
    .contains(&resource);
    Some(match scope {
        Org(o) if resource == ORDER_CLASSES.name => format!("org_id = {}", int(sql, o)),
        Org(o)
            if resource == ORDER_CLASS_PROGRAMS.name
                || per_student && resource != ORDER_CHOICES =>
        {
            format!(
                "order_class_id IN (SELECT id FROM order_classes WHERE org_id = {})",
                int(sql, o)
            )
        }
        Student(s) if per_student => format!("student_id = {}", int(sql, s)),
        School(s) if per_student && resource != ORDER_CHOICES => {
            format!("student_id IN ({STUDENTS_OF_SCHOOL}{})", int(sql, s))
        }
        Teacher(t) if resource == ORDER_APPLICATIONS.name || resource == ORDER_OFFERS.name => {
            format!("student_id IN ({})", students_of_teacher(&int(sql, t)))
        }
        _ => return None,
    })
}
