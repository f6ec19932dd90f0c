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

/// The field whose value identifies a row across imports (the natural key, declared by the
/// record type's module), if the record type can be imported. Organisations match on the credit
/// code, or on the name when there is none (foreign institutions).
pub fn import_key(def: &ResourceDef) -> Option<&'static str> {
    def.import_key.first().copied()
}

/// Further fields of a composite natural key, after [`import_key`]: an application is known by
/// its student (number) and order class (name).
pub fn import_key_also(def: &ResourceDef) -> &'static [&'static str] {
    def.import_key.get(1..).unwrap_or(&[])
}

/// Whether the record type has spreadsheet import and export.
pub fn importable(def: &ResourceDef) -> bool {
    !def.import_key.is_empty()
}

/// The names of the record types with spreadsheet import and export.
pub fn importable_names() -> Vec<&'static str> {
    crate::schema::RESOURCES
        .iter()
        .filter(|d| importable(d))
        .map(|d| d.name)
        .collect()
}

/// The value a new record gets when its file has no such column (or leaves it empty): a roster of
/// new students has no status column, and they are enrolled.
pub fn default_for_new(def: &ResourceDef, field: &str) -> Option<&'static str> {
    def.import_defaults
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, v)| *v)
}
