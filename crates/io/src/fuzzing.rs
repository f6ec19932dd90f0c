//! The entry point of the `sheet_cells` fuzz target (`fuzz/`), compiled only with the `fuzzing`
//! feature, which nothing but `fuzz/Cargo.toml` enables.
//!
//! What it protects: header detection (`sheet.rs`, `header.rs`) and cell cleaning (`cell.rs`) for
//! every field kind and every kind of cell an `.xlsx` can hold (text, integer, float, boolean,
//! date, error value, formula). The readers reach those through [`crate::read_rows`] too, but a
//! fuzzer mutating zip bytes rarely gets a typed cell through, and a CSV cell is always text; here
//! the cells are handed to the same `Sheet` the readers feed, in the same way.

use crate::cell::Raw;
use crate::header::CollegeAliases;
use crate::sheet::{InCell, Sheet};
use crate::{IoError, RowSink};
use skillbridge_core::schema::ResourceDef;

/// A cell as a reader hands it over.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A cell with a date format: year, month, day (as calamine gives them, unchecked).
    Date(u16, u8, u8),
    /// An error value such as `#N/A`.
    Error(String),
    /// A formula (`""` for a copy of a shared formula) and its cached value.
    Formula(String, Box<Cell>),
}

fn raw(c: &Cell) -> (Raw<'_>, Option<&str>) {
    match c {
        Cell::Empty => (Raw::Empty, None),
        Cell::Text(s) => (Raw::Text(s), None),
        Cell::Int(i) => (Raw::Int(*i), None),
        Cell::Float(f) => (Raw::Float(*f), None),
        Cell::Bool(b) => (Raw::Bool(*b), None),
        Cell::Date(y, m, d) => (Raw::Date(*y, *m, *d), None),
        Cell::Error(e) => (Raw::Error(e.clone()), None),
        Cell::Formula(f, value) => (raw(value).0, Some(f)),
    }
}

/// Reads `rows` (0-based row number, then (0-based column, cell) left to right) as a sheet of
/// `def`, exactly as `xlsx_read` and `csv_read` hand their rows over: rows in increasing order,
/// cells sorted by column, empty cells without a formula left out. Returns the number of data
/// rows.
pub fn read_cells(
    def: &'static ResourceDef,
    college: &CollegeAliases,
    max_rows: usize,
    rows: &[(u32, Vec<(u32, Cell)>)],
    sink: &mut dyn RowSink,
) -> Result<usize, IoError> {
    let mut progress = |_: usize| {};
    let mut sheet = Sheet::new(def, college, max_rows, &mut progress, sink);
    let mut rows: Vec<&(u32, Vec<(u32, Cell)>)> = rows.iter().collect();
    rows.sort_by_key(|r| r.0);
    rows.dedup_by_key(|r| r.0);
    for (row0, cells) in rows {
        let mut cells: Vec<&(u32, Cell)> = cells.iter().collect();
        cells.sort_by_key(|c| c.0);
        cells.dedup_by_key(|c| c.0);
        let in_cells: Vec<InCell<'_>> = cells
            .iter()
            .map(|(col, cell)| {
                let (raw, formula) = raw(cell);
                InCell {
                    col: *col,
                    raw,
                    formula,
                }
            })
            .filter(|c| c.formula.is_some() || c.raw != Raw::Empty)
            .collect();
        if !in_cells.is_empty() {
            sheet.push_row(*row0, &in_cells)?;
        }
    }
    sheet.finish()
}
