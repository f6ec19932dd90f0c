//! Reference data: administrative divisions (GB/T 2260), countries (ISO 3166), industries
//! (GB/T 4754-2017), shipped with their provenance in `crates/core/data/`, and the college's key
//! industries. Everyone reads them; only administrators change the shipped tables, and the
//! cooperation office keeps the key industries.

mod records;
pub use records::*;

use super::{office_roles, MenuEntry, Module};
use crate::access::{Action, Office, Role, RowScope};
use crate::schema::{text, FieldError, Record};

pub static MODULE: Module = Module {
    name: "reference",
    zh: "基础数据",
    en: "Reference data",
    records: &[
        &REGIONS,
        &COUNTRIES,
        &INDUSTRIES,
        &KEY_INDUSTRIES,
        &HEADER_ALIASES,
    ],
    permissions: &[],
    scope,
    menu: &[
        MenuEntry::Only {
            for_role: office_roles,
            entry: &MenuEntry::List(&KEY_INDUSTRIES),
        },
        MenuEntry::Only {
            for_role: office_roles,
            entry: &MenuEntry::List(&REGIONS),
        },
        MenuEntry::Only {
            for_role: office_roles,
            entry: &MenuEntry::List(&COUNTRIES),
        },
        MenuEntry::Only {
            for_role: office_roles,
            entry: &MenuEntry::List(&INDUSTRIES),
        },
        MenuEntry::Only {
            for_role: office_roles,
            entry: &MenuEntry::List(&HEADER_ALIASES),
        },
    ],
    personal: &[],
    subject_links: &[],
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

/// A college's header spelling names an importable record type and one of its columns (a field
/// or an import-only column), and is not already another column's spelling (compared as headers
/// are: without spaces, markers or case).
pub(super) fn check_header_alias(rec: &Record, _: Option<&Record>) -> Vec<FieldError> {
    use crate::import::{header_key, importable, spellings};
    let (Some(res), Some(field), Some(alias)) = (
        text(rec, "resource"),
        text(rec, "field"),
        text(rec, "alias"),
    ) else {
        return Vec::new();
    };
    let Some(def) = crate::modules::resource(res).filter(|d| importable(d)) else {
        return vec![FieldError::new(
            "resource",
            "not_found",
            "is not a record type that can be imported",
        )];
    };
    if def.import_field(field).is_none() {
        return vec![FieldError::new(
            "field",
            "not_found",
            format!("is not a column of {}", def.name),
        )];
    }
    let key = header_key(alias);
    if key.is_empty() {
        return vec![FieldError::new(
            "alias",
            "required",
            "is empty once spaces and markers are removed",
        )];
    }
    match def
        .import_fields()
        .filter(|f| f.name != field)
        .find(|f| spellings(f).any(|s| header_key(s) == key))
    {
        Some(other) => vec![FieldError::new(
            "alias",
            "clash",
            format!("already names the column {} ({})", other.zh, other.en),
        )],
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn alias(resource: &str, field: &str, alias: &str) -> Vec<FieldError> {
        let rec = json!({"resource": resource, "field": field, "alias": alias});
        check_header_alias(rec.as_object().unwrap(), None)
    }

    #[test]
    fn a_header_alias_names_a_real_column_and_no_other() {
        assert!(alias("students", "id_number", "身份证件号").is_empty());
        assert!(alias("students", "birth_date", "出生时间").is_empty());
        // Its own spelling again is harmless.
        assert!(alias("students", "id_number", "身份证号码").is_empty());
        assert_eq!(alias("regions", "name", "地名")[0].field, "resource");
        assert_eq!(alias("nothing", "name", "地名")[0].code, "not_found");
        assert_eq!(alias("students", "nickname", "昵称")[0].field, "field");
        let e = alias("students", "phone", " 身份证 号码 *");
        assert_eq!(e[0].code, "clash");
        assert!(e[0].message.contains("身份证号"), "{}", e[0].message);
        assert_eq!(alias("students", "phone", "*")[0].code, "required");
    }
}
