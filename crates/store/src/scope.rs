//! Row scoping in SQL: the one place where a role's [`RowScope`] becomes a WHERE clause.
//!
//! Each module writes the SQL of the (resource, scope) pairs it grants
//! (`StoreModule::scope_sql`); any pair it does not answer, and any resource no module owns,
//! yields `1 = 0`, so a new resource or scope is denied until its module writes it (fail closed).

use crate::records::Sql;
use skillbridge_core::access::RowScope;

/// Returns a parenthesised boolean SQL expression over the resource's table (unqualified columns).
pub fn clause(resource: &str, scopes: &[RowScope], sql: &mut Sql) -> String {
    let module = crate::modules::of(resource);
    let parts: Vec<String> = scopes
        .iter()
        .map(|s| match (s, module) {
            (RowScope::All, Some(_)) => "1 = 1".to_string(),
            (_, Some(m)) => (m.scope_sql)(resource, *s, sql).unwrap_or_else(|| "1 = 0".into()),
            (_, None) => "1 = 0".into(),
        })
        .collect();
    if parts.is_empty() {
        return "(1 = 0)".into();
    }
    format!("({})", parts.join(" OR "))
}
