//! Reference data: administrative divisions (GB/T 2260), countries (ISO 3166), industries
//! (GB/T 4754-2017), shipped with their provenance in `crates/core/data/`, and the college's key
//! industries. Everyone reads them; only administrators change the shipped tables, and the
//! cooperation office keeps the key industries.

mod records;
pub use records::*;

use super::{MenuEntry, Module};
use crate::access::{Action, Office, Role, RowScope};
use crate::schema::{text, FieldError, Record};

pub static MODULE: Module = Module {
    name: "reference",
    zh: "基础数据",
    en: "Reference data",
    records: &[&REGIONS, &COUNTRIES, &INDUSTRIES, &KEY_INDUSTRIES],
    permissions: &[],
    scope,
    menu: &[
        MenuEntry::List(&KEY_INDUSTRIES),
        MenuEntry::List(&REGIONS),
        MenuEntry::List(&COUNTRIES),
        MenuEntry::List(&INDUSTRIES),
    ],
};

fn scope(role: &Role, action: Action, resource: &str) -> Option<RowScope> {
    let key_industries = resource == KEY_INDUSTRIES.name;
    match (role, action) {
        (Role::Admin, _) => Some(RowScope::All),
        (_, Action::Read) => Some(RowScope::All),
        (_, Action::Reveal) => None,
        (Role::Staff { office, .. }, _) => {
            (key_industries && *office == Office::Cooperation).then_some(RowScope::All)
        }
        _ => None,
    }
}

pub(super) fn check_region(rec: &Record, _: Option<&Record>) -> Vec<FieldError> {
    match text(rec, "code") {
        Some(code) if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) => {
            vec![FieldError::new("code", "invalid", "must be six digits")]
        }
        _ => Vec::new(),
    }
}
