//! What an import reports, and the key it matches rows on. Shared by the spreadsheet crate
//! (which reads cells) and the store (which validates against existing rows and commits).

use crate::schema::ResourceDef;
use serde::Serialize;

/// One problem in one cell (or one row, when `column` is empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowIssue {
    /// The row number as the user sees it in the file (1-based, counting title and header rows).
    pub row: usize,
    /// The column header as written in the file (e.g. `身份证号`), or the field name.
    pub column: String,
    /// The field name (`id_number`).
    pub field: String,
    /// The cell's value as read (masked when it is a personal field).
    pub value: String,
    /// A stable machine code: `invalid_id_number`, `required`, `duplicate_in_file`, ...
    pub code: String,
    /// Why, in words.
    pub reason: String,
}

/// The outcome of an import. Nothing is committed unless `issues` is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub committed: bool,
    /// Every row matched an existing record with the same values: nothing to do.
    pub already_imported: bool,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub issues: Vec<RowIssue>,
}

/// The field whose value identifies a row across imports (the natural key), if the record type
/// can be imported. Organisations match on the credit code, or on the name when there is none
/// (foreign institutions).
pub fn import_key(def: &ResourceDef) -> Option<&'static str> {
    match def.name {
        "students" => Some("student_no"),
        "staff" => Some("staff_no"),
        "organisations" => Some("credit_code"),
        "agreements" => Some("agreement_no"),
        "equipment" => Some("asset_no"),
        // With `order_class_id` (see `import_key_also`): one application per student and class.
        "order_applications" => Some("student_id"),
        _ => None,
    }
}

/// Further fields of a composite natural key, after [`import_key`]: an application is known by
/// its student (number) and order class (name).
pub fn import_key_also(def: &ResourceDef) -> &'static [&'static str] {
    match def.name {
        "order_applications" => &["order_class_id"],
        _ => &[],
    }
}

/// The record types with spreadsheet import and export.
pub const IMPORTABLE: &[&str] = &[
    "students",
    "staff",
    "organisations",
    "agreements",
    "equipment",
    // Order classes (issue 4): applications, and interview scores entered in the same sheet.
    "order_applications",
];

/// The value a new record gets when its file has no such column (or leaves it empty): a roster of
/// new students has no status column, and they are enrolled.
pub fn default_for_new(def: &ResourceDef, field: &str) -> Option<&'static str> {
    match (def.name, field) {
        ("students", "status") => Some("enrolled"),
        ("staff", "dual_qualified") => Some("false"),
        ("agreements", "status") => Some("draft"),
        ("equipment", "status") => Some("in_service"),
        ("order_applications", "status") => Some("submitted"),
        _ => None,
    }
}
