//! The audit trail: every write, sign-in and reveal, hash-chained (see `crate::audit` for the
//! chain). No record types: the permission `audit` (read the trail and check its chain) is
//! decided here like every other permission.

use super::{MenuEntry, Module};
use crate::access::{Action, Role, RowScope};

pub const AUDIT: &str = "audit";

pub static MODULE: Module = Module {
    name: "audit",
    zh: "审计",
    en: "Audit",
    records: &[],
    permissions: &[AUDIT],
    scope,
    menu: &[MenuEntry::Page {
        path: "/audit",
        zh: "审计日志",
        en: "Audit trail",
        needs: AUDIT,
    }],
    personal: &[],
    subject_links: &[],
};

/// Administrators and college leaders read the audit trail; nobody writes it but the store.
fn scope(role: &Role, action: Action, _resource: &str) -> Option<RowScope> {
    match (role, action) {
        (Role::Admin, _) | (Role::Leader, Action::Read) => Some(RowScope::All),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admins_and_leaders_read_the_trail_and_nobody_else() {
        assert_eq!(
            scope(&Role::Leader, Action::Read, AUDIT),
            Some(RowScope::All)
        );
        assert_eq!(scope(&Role::Leader, Action::Delete, AUDIT), None);
        assert_eq!(
            scope(&Role::Admin, Action::Read, AUDIT),
            Some(RowScope::All)
        );
        let teacher = Role::Teacher { staff_id: 1 };
        assert_eq!(scope(&teacher, Action::Read, AUDIT), None);
    }
}
