//! The store half of the `adjuncts` module: which adjunct-teaching rows a school's staff and an
//! enterprise user reach, in SQL. No write hooks: the generic paths suffice.

use super::{NoHooks, StoreModule};
use crate::records::{Bind, Sql};
use skillbridge_core::access::RowScope;

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::adjuncts::MODULE,
    scope_sql,
    hooks: &NoHooks,
};

fn scope_sql(_resource: &str, scope: RowScope, sql: &mut Sql) -> Option<String> {
    let int = |sql: &mut Sql, v: i64| sql.bind(Bind::Int(Some(v)));
    match scope {
        RowScope::School(s) => Some(format!("school_id = {}", int(sql, s))),
        RowScope::Org(o) => Some(format!(
            "contact_id IN (SELECT id FROM contacts WHERE org_id = {})",
            int(sql, o)
        )),
        _ => None,
    }
}
