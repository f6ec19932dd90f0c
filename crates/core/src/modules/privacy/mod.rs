//! Personal data protection (issue 11, items 4 and 5): no record types, two permissions decided
//! here like every other:
//! - `privacy_registry`: read the registry of personal fields (`crate::personal_data`), for
//!   administrators;
//! - `subject_access`: download everything held about oneself, for a student, on their own rows
//!   only.

use super::{MenuEntry, Module};
use crate::access::{Action, Role, RowScope};

pub const PRIVACY_REGISTRY: &str = "privacy_registry";
pub const SUBJECT_ACCESS: &str = "subject_access";

pub static MODULE: Module = Module {
    name: "privacy",
    zh: "个人信息保护",
    en: "Personal data",
    records: &[],
    permissions: &[PRIVACY_REGISTRY, SUBJECT_ACCESS],
    scope,
    menu: &[MenuEntry::Page {
        path: "/privacy-registry",
        zh: "个人信息登记表",
        en: "Personal data registry",
        needs: PRIVACY_REGISTRY,
    }],
    personal: &[],
    subject_links: &[],
};

/// Administrators read the registry; a student downloads their own data, and nobody else's.
fn scope(role: &Role, action: Action, resource: &str) -> Option<RowScope> {
    match (resource, role, action) {
        (PRIVACY_REGISTRY, Role::Admin, Action::Read) => Some(RowScope::All),
        (SUBJECT_ACCESS, Role::Student { student_id }, Action::Read) => {
            Some(RowScope::Student(*student_id))
        }
        _ => None,
    }
}

/// The student whose data `actor` may download: their own, when they hold a student role.
pub fn subject_of(actor: &crate::access::Actor) -> Option<i64> {
    crate::access::actor_scopes(actor, Action::Read, SUBJECT_ACCESS)?
        .into_iter()
        .find_map(|s| match s {
            RowScope::Student(id) => Some(id),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{Actor, Office};

    #[test]
    fn only_admins_read_the_registry_and_only_students_download_their_own() {
        assert_eq!(
            scope(&Role::Admin, Action::Read, PRIVACY_REGISTRY),
            Some(RowScope::All)
        );
        assert_eq!(scope(&Role::Admin, Action::Update, PRIVACY_REGISTRY), None);
        assert_eq!(scope(&Role::Leader, Action::Read, PRIVACY_REGISTRY), None);
        let staff = Role::Staff {
            office: Office::StudentAffairs,
            school_id: None,
        };
        assert_eq!(scope(&staff, Action::Read, SUBJECT_ACCESS), None);
        assert_eq!(scope(&Role::Admin, Action::Read, SUBJECT_ACCESS), None);
        let me = Actor {
            user_id: Some(3),
            username: "s".into(),
            roles: vec![Role::Student { student_id: 42 }],
        };
        assert_eq!(subject_of(&me), Some(42));
        assert_eq!(subject_of(&Actor::system()), None);
    }
}
