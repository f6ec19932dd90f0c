//! The store half of the `partners` module: an organisation's own rows, and mentor assignments
//! by school, teacher, enterprise mentor and student, in SQL.

use super::college::{students_of_teacher, STUDENTS_OF_SCHOOL};
use super::{NoHooks, StoreModule};
use crate::records::{Bind, Sql};
use skillbridge_core::access::RowScope;
use skillbridge_core::modules::partners::{AGREEMENTS, CONTACTS, MENTORS, ORGANISATIONS};

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::partners::MODULE,
    scope_sql,
    hooks: &NoHooks,
};

fn scope_sql(resource: &str, scope: RowScope, sql: &mut Sql) -> Option<String> {
    use RowScope::*;
    let int = |sql: &mut Sql, v: i64| sql.bind(Bind::Int(Some(v)));
    if resource == MENTORS.name {
        return Some(match scope {
            School(s) => format!("student_id IN ({STUDENTS_OF_SCHOOL}{})", int(sql, s)),
            Teacher(t) => format!("staff_id = {}", int(sql, t)),
            Mentor(c) => format!("contact_id = {}", int(sql, c)),
            Org(o) => format!(
                "contact_id IN (SELECT id FROM contacts WHERE org_id = {})",
                int(sql, o)
            ),
            Student(s) => format!("student_id = {}", int(sql, s)),
            All => return None,
        });
    }
    match scope {
        Org(o) if resource == ORGANISATIONS.name => Some(format!("id = {}", int(sql, o))),
        Org(o) if resource == AGREEMENTS.name || resource == CONTACTS.name => {
            Some(format!("org_id = {}", int(sql, o)))
        }
        // A teacher's partners: organisations whose contacts mentor a student the teacher
        // reaches (the students of the classes they advise, and their own mentees).
        Teacher(t) if resource == CONTACTS.name => {
            let p = int(sql, t);
            Some(format!(
                "org_id IN (SELECT c.org_id FROM contacts c JOIN mentors m ON m.contact_id = c.id \
                 WHERE m.student_id IN ({}))",
                students_of_teacher(&p)
            ))
        }
        // A student's own enterprise mentor.
        Student(s) if resource == CONTACTS.name => Some(format!(
            "id IN (SELECT contact_id FROM mentors WHERE student_id = {} AND contact_id IS NOT NULL)",
            int(sql, s)
        )),
        _ => None,
    }
}
