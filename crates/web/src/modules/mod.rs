//! The web half of each module: its own routes (workflows, calendars), added to the registry in
//! `api.rs` like every other route. The generic record, spreadsheet and metadata routes serve every
//! module's record types without naming them. One folder per module, named as in
//! `skillbridge_core::modules`. Every module's folder also holds `authz.table`, its rows of the
//! role-by-route access table that `tests/authz.rs` checks over HTTP; a module with no routes of
//! its own has only that file.

pub mod accounts;
pub mod attachments;
pub mod audit;
pub mod bases;
pub mod competitions;
pub mod international;
pub mod order_classes;
pub mod plans;
pub mod privacy;
pub mod research;
pub mod resources;
pub mod status_changes;
pub mod todos;

use crate::api::Api;

/// Adds one module's routes to the registry.
pub type AddRoutes = fn(Api) -> Api;

/// Every module's own routes, in the order of `skillbridge_core::modules::MODULES`.
pub static ROUTES: &[(&str, AddRoutes)] = &[
    ("bases", bases::routes),
    ("order_classes", order_classes::routes),
    ("attachments", attachments::routes),
    ("status_changes", status_changes::routes),
    ("competitions", competitions::routes),
    ("international", international::routes),
    ("research", research::routes),
    ("resources", resources::routes),
    ("accounts", accounts::routes),
    ("audit", audit::routes),
    ("todos", todos::routes),
    ("privacy", privacy::routes),
    ("plans", plans::routes),
];

/// Adds every module's routes.
pub fn routes(api: Api) -> Api {
    ROUTES.iter().fold(api, |api, (_, add)| add(api))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_entry_names_a_module() {
        for (name, _) in super::ROUTES {
            assert!(
                skillbridge_core::modules::MODULES
                    .iter()
                    .any(|m| m.name == *name),
                "{name}"
            );
        }
    }
}
