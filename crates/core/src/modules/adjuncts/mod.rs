//! Enterprise adjunct teachers (兼职教师): engineers and managers of partner organisations who
//! teach courses at the college, with the hours they teach each term. Academic affairs and the
//! cooperation office record them (a secondary school's staff for their school); an enterprise
//! user sees their own organisation's people. Added by the recipe in `ARCHITECTURE.md`.

mod records;
pub use records::*;

use super::college::own_school;
use super::{not_students, MenuEntry, Module};
use crate::access::{Action, Office, Role, RowScope};

pub static MODULE: Module = Module {
    name: "adjuncts",
    zh: "兼职教师",
    en: "Adjunct teachers",
    records: &[&ADJUNCT_TEACHING],
    permissions: &[],
    scope,
    menu: &[MenuEntry::Only {
        for_role: not_students,
        entry: &MenuEntry::List(&ADJUNCT_TEACHING),
    }],
    personal: &[],
    subject_links: &[],
};

fn scope(role: &Role, action: Action, _resource: &str) -> Option<RowScope> {
    use Action::*;
    match role {
        Role::Admin => Some(RowScope::All),
        Role::Leader | Role::Teacher { .. } => (action == Read).then_some(RowScope::All),
        Role::Staff { office, school_id } => match action {
            Read => Some(RowScope::All),
            Reveal => None,
            _ => matches!(office, Office::AcademicAffairs | Office::Cooperation)
                .then(|| own_school(*school_id)),
        },
        Role::Enterprise { org_id, .. } => (action == Read).then_some(RowScope::Org(*org_id)),
        Role::Student { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_staff_write_their_school_and_enterprises_read_their_own() {
        let staff = Role::Staff {
            office: Office::AcademicAffairs,
            school_id: Some(2),
        };
        assert_eq!(
            scope(&staff, Action::Create, ADJUNCT_TEACHING.name),
            Some(RowScope::School(2))
        );
        let other = Role::Staff {
            office: Office::Employment,
            school_id: None,
        };
        assert_eq!(scope(&other, Action::Update, ADJUNCT_TEACHING.name), None);
        let hr = Role::Enterprise {
            org_id: 5,
            contact_id: 9,
            relation: crate::access::ContactRole::Hr,
        };
        assert_eq!(
            scope(&hr, Action::Read, ADJUNCT_TEACHING.name),
            Some(RowScope::Org(5))
        );
        assert_eq!(scope(&hr, Action::Create, ADJUNCT_TEACHING.name), None);
        assert_eq!(
            scope(&Role::Student { student_id: 1 }, Action::Read, ""),
            None
        );
    }
}
