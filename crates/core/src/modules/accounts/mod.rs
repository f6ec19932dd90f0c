//! Accounts, roles and sessions. No record types of the generic API: the permission `users`
//! (manage accounts and roles) is decided here like every other permission.

use super::{MenuEntry, Module};
use crate::access::{Action, Role, RowScope};

pub const USERS: &str = "users";

pub static MODULE: Module = Module {
    name: "accounts",
    zh: "系统管理",
    en: "System",
    records: &[],
    permissions: &[USERS],
    scope,
    menu: &[MenuEntry::Page {
        path: "/accounts",
        zh: "账号管理",
        en: "Accounts",
        needs: USERS,
    }],
    personal: &[],
    subject_links: &[],
};

/// Administrators manage accounts; nobody else does.
fn scope(role: &Role, _action: Action, _resource: &str) -> Option<RowScope> {
    matches!(role, Role::Admin).then_some(RowScope::All)
}
