//! `.xlsx` to rows, streamed cell by cell from the first worksheet.
//!
//! What it protects: memory, and what a cell really holds. The sheet is streamed with calamine's
//! cell reader instead of being loaded as a `Range`: a `Range` is a dense rectangle, so a sheet with
//! one cell in A1 and one in XFD1048576 would ask for 17 billion cells. Each cell arrives with its
//! formula, if any, so a formula is reported instead of its cached result being taken for data.
//! The caller has already run `guard::check_xlsx_container` on the bytes.
//!
//! calamine is trusted with memory (the guard bounds it) but not with panics: a damaged file can
//! make it panic (an arithmetic overflow on a cell reference of more than ten digits, found by
//! the `read_xlsx` fuzz target), and the workspace builds it with overflow checks in every
//! profile (`Cargo.toml`) so that such a reference is a panic rather than a position that wrapped
//! around. Every call into calamine goes through [`contained`], which turns a panic into a
//! `malformed` refusal; a panic in this crate's own code is not contained.

use crate::cell::Raw;
use crate::sheet::{InCell, Sheet};
use crate::{IoError, Limits, RowSink};
use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx, XlsxFormulaMetadata};
use skillbridge_core::schema::ResourceDef;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The bounds of an Excel sheet (column XFD, row 1,048,576).
const MAX_COLUMNS: u32 = 16_384;
const MAX_ROWS: u32 = 1_048_576;

fn malformed(e: calamine::XlsxError) -> IoError {
    IoError::Malformed(format!(
        "the .xlsx workbook is damaged or not supported: {e}"
    ))
}

/// Runs one call into calamine, a panic in it becoming a `malformed` refusal. The reader that
/// panicked is not used again: the refusal ends the read.
fn contained<T>(call: impl FnOnce() -> Result<T, calamine::XlsxError>) -> Result<T, IoError> {
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(r) => r.map_err(malformed),
        Err(_) => Err(IoError::Malformed(
            "the .xlsx workbook is damaged: the spreadsheet reader could not make sense of it"
                .to_string(),
        )),
    }
}

fn raw<'a>(d: &'a DataRef<'_>) -> Raw<'a> {
    match d {
        DataRef::Empty => Raw::Empty,
        DataRef::Int(i) => Raw::Int(*i),
        DataRef::Float(f) => Raw::Float(*f),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Raw::Text(s),
        DataRef::SharedString(s) => Raw::Text(s),
        DataRef::Bool(b) => Raw::Bool(*b),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            Raw::Date(y, m, d)
        }
        DataRef::DateTime(dt) => Raw::Float(dt.as_f64()),
        DataRef::Error(e) => Raw::Error(e.to_string()),
    }
}

pub(crate) fn read(
    def: &'static ResourceDef,
    bytes: &[u8],
    limits: &Limits,
    college: &crate::CollegeAliases,
    progress: &mut dyn FnMut(usize),
    sink: &mut dyn RowSink,
) -> Result<usize, IoError> {
    let mut workbook: Xlsx<_> = contained(|| Xlsx::new(Cursor::new(bytes)))?;
    let sheets = workbook.sheets_metadata();
    let worksheets = || sheets.iter().filter(|s| s.typ == SheetType::WorkSheet);
    let name = worksheets()
        .find(|s| s.visible == SheetVisible::Visible)
        .or_else(|| worksheets().next())
        .map(|s| s.name.clone())
        .ok_or_else(|| IoError::NotASpreadsheet("the workbook has no worksheet".to_string()))?;
    let mut cells = contained(|| workbook.worksheet_cells_reader(&name))?;
    let mut sheet = Sheet::new(def, college, limits.max_rows, progress, sink);
    // The cells of the current row: position, value, formula ("" for a shared formula's copy).
    let mut row: Vec<(u32, DataRef<'_>, Option<String>)> = Vec::new();
    let mut row0 = 0u32;
    loop {
        let next = contained(|| cells.next_cell_with_formula_metadata())?;
        let row_ends = next.as_ref().is_none_or(|c| c.pos.0 != row0);
        if row_ends && !row.is_empty() {
            row.sort_by_key(|c| c.0);
            let in_cells: Vec<InCell<'_>> = row
                .iter()
                .map(|(col, value, formula)| InCell {
                    col: *col,
                    raw: raw(value),
                    formula: formula.as_deref(),
                })
                .collect();
            sheet.push_row(row0, &in_cells)?;
            row.clear();
        }
        let Some(c) = next else { break };
        // calamine takes a cell's position from its `r` attribute without bounds: a header cell
        // at column ZZZZZZ would make the header's column index (`Sheet`) billions long.
        if c.pos.0 >= MAX_ROWS || c.pos.1 >= MAX_COLUMNS {
            return Err(IoError::Malformed(format!(
                "a cell lies outside the largest sheet Excel has ({MAX_COLUMNS} columns, {MAX_ROWS} rows)"
            )));
        }
        row0 = c.pos.0;
        let formula = c.formula.map(|f| match f {
            XlsxFormulaMetadata::Normal { formula }
            | XlsxFormulaMetadata::Shared { formula, .. } => formula,
            // A copy of a shared formula (or a kind added later): no text of its own.
            _ => String::new(),
        });
        if formula.is_some() || c.value != DataRef::Empty {
            row.push((c.pos.1, c.value, formula));
        }
    }
    drop(cells);
    sheet.finish()
}
