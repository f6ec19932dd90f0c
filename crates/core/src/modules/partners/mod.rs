//! Partner organisations (enterprises, government bodies, schools, foreign institutions), their
//! cooperation agreements and contacts, and the mentor assignments that pair each student with a
//! college teacher and an enterprise engineer. The cooperation, employment and international
//! offices keep the partners; an enterprise user sees only their own organisation.

mod personal;
mod records;
pub use personal::PERSONAL;
pub use records::*;

use super::college::{every_reader, internal_only, student_rows};
use super::{not_students, MenuEntry, Module};
use crate::access::{Action, Office, Role, RowScope};
use crate::schema::{has, text, FieldError, Record};

pub static MODULE: Module = Module {
    name: "partners",
    zh: "校企合作",
    en: "Partners",
    records: &[&ORGANISATIONS, &AGREEMENTS, &CONTACTS, &MENTORS],
    permissions: &[],
    scope,
    menu: &[
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&ORGANISATIONS),
        },
        MenuEntry::List(&AGREEMENTS),
        MenuEntry::Only {
            for_role: not_students,
            entry: &MenuEntry::List(&CONTACTS),
        },
        MenuEntry::List(&MENTORS),
    ],
    personal: PERSONAL,
    subject_links: &[],
};

fn scope(role: &Role, action: Action, resource: &str) -> Option<RowScope> {
    if resource == MENTORS.name {
        return student_rows(role, action);
    }
    use Action::*;
    match role {
        Role::Admin => Some(RowScope::All),
        Role::Leader => (action == Read).then_some(RowScope::All),
        Role::Staff { office, school_id } => match action {
            Read => Some(RowScope::All),
            Reveal => school_id.is_none().then_some(RowScope::All),
            _ => matches!(
                office,
                Office::Cooperation | Office::Employment | Office::International
            )
            .then_some(RowScope::All),
        },
        // The contacts of their own partners: organisations whose contacts mentor a student the
        // teacher reaches (see the store's SQL).
        Role::Teacher { staff_id } => match action {
            Read if resource == CONTACTS.name => Some(RowScope::Teacher(*staff_id)),
            Read => (resource != AGREEMENTS.name).then_some(RowScope::All),
            _ => None,
        },
        Role::Enterprise { org_id, .. } => (action == Read).then_some(RowScope::Org(*org_id)),
        // Organisations, and the contact record of their own enterprise mentor.
        Role::Student { student_id } => match action {
            Read if resource == ORGANISATIONS.name => Some(RowScope::All),
            Read if resource == CONTACTS.name => Some(RowScope::Student(*student_id)),
            _ => None,
        },
    }
}

/// An enterprise needs a credit code; a foreign institution has none, and needs a country.
fn check_organisation(rec: &Record, _: Option<&Record>) -> Vec<FieldError> {
    let mut e = Vec::new();
    let kind = text(rec, "kind").unwrap_or("");
    if kind == "enterprise" && !has(rec, "credit_code") {
        e.push(FieldError::new(
            "credit_code",
            "required",
            "is required for an enterprise",
        ));
    }
    if kind == "foreign" {
        if has(rec, "credit_code") {
            e.push(FieldError::new(
                "credit_code",
                "not_allowed",
                "a foreign institution has no credit code",
            ));
        }
        if !has(rec, "country_code") {
            e.push(FieldError::new(
                "country_code",
                "required",
                "is required for a foreign institution",
            ));
        }
    }
    e
}

/// A teacher mentor names a staff member, an enterprise mentor a contact, and not the other.
fn check_mentor(rec: &Record, _: Option<&Record>) -> Vec<FieldError> {
    let mut e = Vec::new();
    let kind = text(rec, "kind").unwrap_or("");
    let (staff, contact) = (has(rec, "staff_id"), has(rec, "contact_id"));
    if kind == "teacher" && (!staff || contact) {
        e.push(FieldError::new(
            "staff_id",
            "required",
            "a teacher mentor names a staff member and no contact",
        ));
    }
    if kind == "enterprise" && (!contact || staff) {
        e.push(FieldError::new(
            "contact_id",
            "required",
            "an enterprise mentor names a contact and no staff member",
        ));
    }
    e
}
