//! The store half of the `accounts` module: no row scope but `All`, no write hooks.

use super::{no_scope_sql, NoHooks, StoreModule};

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::accounts::MODULE,
    scope_sql: no_scope_sql,
    hooks: &NoHooks,
};
