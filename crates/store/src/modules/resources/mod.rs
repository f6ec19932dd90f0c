//! The store half of the `resources` module: which teaching resources (and their authors and
//! courses) an enterprise user reaches, in SQL: those their organisation co-developed or one of
//! its people co-wrote.

use super::{NoHooks, StoreModule};
use crate::records::{Bind, Sql};
use skillbridge_core::access::RowScope;
use skillbridge_core::modules::resources::TEACHING_RESOURCES;

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::resources::MODULE,
    scope_sql,
    hooks: &NoHooks,
};

/// The condition on `teaching_resources` (unqualified columns) for a scope.
fn resource_sql(scope: RowScope, sql: &mut Sql) -> Option<String> {
    let int = |sql: &mut Sql, v: i64| sql.bind(Bind::Int(Some(v)));
    Some(match scope {
        RowScope::School(s) => format!("school_id = {}", int(sql, s)),
        RowScope::Org(o) => format!(
            "(partner_org_id = {} OR id IN (SELECT resource_id FROM resource_authors \
             WHERE contact_id IN (SELECT id FROM contacts WHERE org_id = {})))",
            int(sql, o),
            int(sql, o)
        ),
        _ => return None,
    })
}

fn scope_sql(resource: &str, scope: RowScope, sql: &mut Sql) -> Option<String> {
    let inner = resource_sql(scope, sql)?;
    if resource == TEACHING_RESOURCES.name {
        return Some(inner);
    }
    // Authors and courses belong to a resource.
    Some(format!(
        "resource_id IN (SELECT id FROM teaching_resources WHERE {inner})"
    ))
}
