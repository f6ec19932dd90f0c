//! Row scoping in SQL: the one place where a role's [`RowScope`] becomes a WHERE clause.
//!
//! Each (resource, scope) pair that grants rows is listed; any pair not listed yields `1 = 0`,
//! so a new resource or scope is denied until it is written here (fail closed).

use crate::records::{Bind, Sql};
use skillbridge_core::access::RowScope;

/// Students of a school, by their program.
const STUDENTS_OF_SCHOOL: &str =
    "SELECT s.id FROM students s JOIN programs p ON p.id = s.program_id WHERE p.school_id = ";

/// Returns a parenthesised boolean SQL expression over the resource's table (unqualified columns).
pub fn clause(resource: &str, scopes: &[RowScope], sql: &mut Sql) -> String {
    let parts: Vec<String> = scopes.iter().map(|s| one(resource, *s, sql)).collect();
    if parts.is_empty() {
        return "(1 = 0)".into();
    }
    format!("({})", parts.join(" OR "))
}

fn one(resource: &str, scope: RowScope, sql: &mut Sql) -> String {
    use RowScope::*;
    match (resource, scope) {
        (_, All) => "1 = 1".into(),
        ("programs", School(s)) => format!("school_id = {}", sql.bind(Bind::Int(Some(s)))),
        ("classes", School(s)) => {
            format!("program_id IN (SELECT id FROM programs WHERE school_id = {})", sql.bind(Bind::Int(Some(s))))
        }
        ("students", School(s)) => {
            format!("program_id IN (SELECT id FROM programs WHERE school_id = {})", sql.bind(Bind::Int(Some(s))))
        }
        ("mentors", School(s)) => format!("student_id IN ({STUDENTS_OF_SCHOOL}{})", sql.bind(Bind::Int(Some(s)))),
        ("classes", Teacher(t)) => format!("adviser_id = {}", sql.bind(Bind::Int(Some(t)))),
        ("students", Teacher(t)) => {
            let p = sql.bind(Bind::Int(Some(t)));
            format!(
                "(class_id IN (SELECT id FROM classes WHERE adviser_id = {p}) \
                 OR id IN (SELECT student_id FROM mentors WHERE staff_id = {p}))"
            )
        }
        ("mentors", Teacher(t)) => format!("staff_id = {}", sql.bind(Bind::Int(Some(t)))),
        ("students", Mentor(c)) => {
            format!("id IN (SELECT student_id FROM mentors WHERE contact_id = {})", sql.bind(Bind::Int(Some(c))))
        }
        ("mentors", Mentor(c)) => format!("contact_id = {}", sql.bind(Bind::Int(Some(c)))),
        ("organisations", Org(o)) => format!("id = {}", sql.bind(Bind::Int(Some(o)))),
        ("agreements" | "contacts", Org(o)) => format!("org_id = {}", sql.bind(Bind::Int(Some(o)))),
        ("students", Org(o)) => format!(
            "id IN (SELECT m.student_id FROM mentors m JOIN contacts c ON c.id = m.contact_id WHERE c.org_id = {})",
            sql.bind(Bind::Int(Some(o)))
        ),
        ("mentors", Org(o)) => {
            format!("contact_id IN (SELECT id FROM contacts WHERE org_id = {})", sql.bind(Bind::Int(Some(o))))
        }
        ("students", Student(s)) => format!("id = {}", sql.bind(Bind::Int(Some(s)))),
        ("classes", Student(s)) => {
            format!("id IN (SELECT class_id FROM students WHERE id = {})", sql.bind(Bind::Int(Some(s))))
        }
        ("mentors", Student(s)) => format!("student_id = {}", sql.bind(Bind::Int(Some(s)))),
        // Training bases: a school's bases, a partner's co-built bases, and what belongs to them.
        ("training_bases", School(s)) => format!("school_id = {}", sql.bind(Bind::Int(Some(s)))),
        ("training_bases", Org(o)) => format!("partner_org_id = {}", sql.bind(Bind::Int(Some(o)))),
        ("base_programs" | "equipment" | "bookings", School(s)) => {
            format!("base_id IN (SELECT id FROM training_bases WHERE school_id = {})", sql.bind(Bind::Int(Some(s))))
        }
        ("base_programs" | "equipment" | "bookings", Org(o)) => {
            format!("base_id IN (SELECT id FROM training_bases WHERE partner_org_id = {})", sql.bind(Bind::Int(Some(o))))
        }
        ("bookings", Teacher(t)) => format!("staff_id = {}", sql.bind(Bind::Int(Some(t)))),
        ("bookings", Student(s)) => format!(
            "class_id IN (SELECT class_id FROM students WHERE id = {} AND class_id IS NOT NULL)",
            sql.bind(Bind::Int(Some(s)))
        ),
        // Order classes (issue 4). `order_scores` and `order_choices` are workflow permissions
        // over the applications table; see `core::access::order_class_scope`.
        ("order_classes", Org(o)) => format!("org_id = {}", sql.bind(Bind::Int(Some(o)))),
        ("order_class_programs", Org(o)) => {
            format!("order_class_id IN (SELECT id FROM order_classes WHERE org_id = {})", sql.bind(Bind::Int(Some(o))))
        }
        ("order_applications" | "order_offers" | "order_scores", Org(o)) => {
            format!("order_class_id IN (SELECT id FROM order_classes WHERE org_id = {})", sql.bind(Bind::Int(Some(o))))
        }
        ("order_applications" | "order_offers" | "order_scores" | "order_choices", Student(s)) => {
            format!("student_id = {}", sql.bind(Bind::Int(Some(s))))
        }
        ("order_applications" | "order_offers" | "order_scores", School(s)) => {
            format!("student_id IN ({STUDENTS_OF_SCHOOL}{})", sql.bind(Bind::Int(Some(s))))
        }
        ("order_applications" | "order_offers", Teacher(t)) => {
            let p = sql.bind(Bind::Int(Some(t)));
            format!(
                "student_id IN (SELECT id FROM students WHERE class_id IN (SELECT id FROM classes WHERE adviser_id = {p}) \
                 OR id IN (SELECT student_id FROM mentors WHERE staff_id = {p}))"
            )
        }
        _ => "1 = 0".into(),
    }
}
