//! The web half of each module: its own routes (workflows, calendars), added to the registry in
//! `api.rs` like every other route. The generic record, spreadsheet and metadata routes serve every
//! module's record types without naming them. One folder per module, named as in
//! `skillbridge_core::modules`; a module with no routes of its own has no folder here.

pub mod bases;
pub mod order_classes;

use crate::api::Api;

/// Every module's own routes, in the order of `skillbridge_core::modules::MODULES`.
pub static ROUTES: &[(&str, fn(Api) -> Api)] = &[
    ("bases", bases::routes),
    ("order_classes", order_classes::routes),
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
