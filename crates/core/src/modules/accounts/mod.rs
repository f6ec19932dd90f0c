//! Accounts, roles and sessions, and the audit trail. No record types of the generic API: the
//! permissions `users` (manage accounts and roles) and `audit` (read the trail) are decided here
//! like every other permission.

use super::{MenuEntry, Module};
use crate::access::{Action, Role, RowScope};

pub const USERS: &str = "users";
pub const AUDIT: &str = "audit";

pub static MODULE: Module = Module {
    name: "accounts",
    zh: "系统管理",
    en: "System",
    records: &[],
    permissions: &[USERS, AUDIT],
    scope,
    menu: &[
        MenuEntry::Page {
            path: "/accounts",
            zh: "账号管理",
            en: "Accounts",
            needs: USERS,
        },
        MenuEntry::Page {
            path: "/audit",
            zh: "审计日志",
            en: "Audit trail",
            needs: AUDIT,
        },
    ],
};

/// Administrators manage accounts; administrators and college leaders read the audit trail.
fn scope(role: &Role, action: Action, resource: &str) -> Option<RowScope> {
    match role {
        Role::Admin => Some(RowScope::All),
        Role::Leader => (action == Action::Read && resource == AUDIT).then_some(RowScope::All),
        _ => None,
    }
}
