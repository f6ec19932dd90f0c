//! The store half of the `college` module: which programs, classes and students a school's staff,
//! a teacher, an enterprise or a student reach, in SQL.

use super::{NoHooks, StoreModule};
use crate::records::{Bind, Sql};
use skillbridge_core::access::RowScope;
use skillbridge_core::modules::college::{CLASSES, PROGRAMS, STAFF, STUDENTS};

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::college::MODULE,
    scope_sql,
    hooks: &NoHooks,
};

/// Students of a school, by their program; the school's id follows.
pub(crate) const STUDENTS_OF_SCHOOL: &str =
    "SELECT s.id FROM students s JOIN programs p ON p.id = s.program_id WHERE p.school_id = ";

/// The students a teacher reaches (those of the classes they advise, and their mentees), over
/// the parameter `p` bound to the teacher's staff id.
pub(crate) fn students_of_teacher(p: &str) -> String {
    format!(
        "SELECT id FROM students WHERE class_id IN (SELECT id FROM classes WHERE adviser_id = {p}) \
         OR id IN (SELECT student_id FROM mentors WHERE staff_id = {p})"
    )
}

fn scope_sql(resource: &str, scope: RowScope, sql: &mut Sql) -> Option<String> {
    use RowScope::*;
    let int = |sql: &mut Sql, v: i64| sql.bind(Bind::Int(Some(v)));
    Some(match scope {
        School(s) if resource == PROGRAMS.name => format!("school_id = {}", int(sql, s)),
        School(s) if resource == CLASSES.name || resource == STUDENTS.name => format!(
            "program_id IN (SELECT id FROM programs WHERE school_id = {})",
            int(sql, s)
        ),
        Teacher(t) if resource == CLASSES.name => format!("adviser_id = {}", int(sql, t)),
        Teacher(t) if resource == STUDENTS.name => {
            let p = int(sql, t);
            format!(
                "(class_id IN (SELECT id FROM classes WHERE adviser_id = {p}) \
                 OR id IN (SELECT student_id FROM mentors WHERE staff_id = {p}))"
            )
        }
        Mentor(c) if resource == STUDENTS.name => format!(
            "id IN (SELECT student_id FROM mentors WHERE contact_id = {})",
            int(sql, c)
        ),
        Org(o) if resource == STUDENTS.name => format!(
            "id IN (SELECT m.student_id FROM mentors m JOIN contacts c ON c.id = m.contact_id WHERE c.org_id = {})",
            int(sql, o)
        ),
        Student(s) if resource == STUDENTS.name => format!("id = {}", int(sql, s)),
        // A school's staff records; a student's own (teacher) mentors.
        School(s) if resource == STAFF.name => format!("school_id = {}", int(sql, s)),
        Student(s) if resource == STAFF.name => format!(
            "id IN (SELECT staff_id FROM mentors WHERE student_id = {} AND staff_id IS NOT NULL)",
            int(sql, s)
        ),
        Student(s) if resource == CLASSES.name => format!(
            "id IN (SELECT class_id FROM students WHERE id = {})",
            int(sql, s)
        ),
        _ => return None,
    })
}
