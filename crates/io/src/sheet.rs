//! Rows of a sheet to [`Parsed`]: where the header is, which column is which field, which rows
//! are data, and which cells become issues. Shared by the `.xlsx` and `.csv` readers, so both
//! formats are read by exactly the same rules.
//!
//! What it protects: row numbers and columns. Every issue names the row as Excel numbers it
//! (titles above the header counted) and the header as the user wrote it, so a person can find the
//! cell; a column is a field only when its header says so, and rows above the header (titles,
//! merged title cells, notes) are never read as data. Rows arrive one at a time and go on to a
//! [`RowSink`] as they are read; nothing but the first 30 rows is held back, so reading costs
//! memory only for what the sink keeps. Data rows are counted as they are read, and the row
//! limit refuses the file at the first row over it, before the rest is parsed.

use crate::cell::{number_text, Cleaned, ColSpec, Raw, FORMULA};
use crate::header::{expected, CollegeAliases, Labels};
use crate::write::{example_text, EXAMPLE_ROW};
use crate::{IoError, Lang, ParsedRow, RowSink, SheetHeader};
use serde_json::{Map, Value};
use skillbridge_core::import::{ImportWarning, RowIssue};
use skillbridge_core::labels::enum_table;
use skillbridge_core::schema::ResourceDef;
use std::borrow::Cow;

/// The header must be within this many rows from the top of the sheet.
pub(crate) const HEADER_ROWS: u32 = 30;
/// `progress` is called after every this many data rows.
pub(crate) const PROGRESS_EVERY: usize = 10_000;

/// One cell handed over by a reader.
#[derive(Debug, Clone)]
pub(crate) struct InCell<'a> {
    /// 0-based column.
    pub col: u32,
    pub raw: Raw<'a>,
    /// The formula, when the cell holds one (the value is then its cached result).
    pub formula: Option<&'a str>,
}

/// A cell kept while the header is not found yet.
#[derive(Debug, Clone)]
struct Kept {
    col: u32,
    raw: OwnedRaw,
    formula: Option<String>,
}

#[derive(Debug, Clone)]
enum OwnedRaw {
    Empty,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(u16, u8, u8),
    Error(String),
}

impl OwnedRaw {
    fn of(r: &Raw<'_>) -> Self {
        match r {
            Raw::Empty => OwnedRaw::Empty,
            Raw::Text(s) => OwnedRaw::Text((*s).to_string()),
            Raw::Int(i) => OwnedRaw::Int(*i),
            Raw::Float(f) => OwnedRaw::Float(*f),
            Raw::Bool(b) => OwnedRaw::Bool(*b),
            Raw::Date(y, m, d) => OwnedRaw::Date(*y, *m, *d),
            Raw::Error(e) => OwnedRaw::Error(e.clone()),
        }
    }
    fn raw(&self) -> Raw<'_> {
        match self {
            OwnedRaw::Empty => Raw::Empty,
            OwnedRaw::Text(s) => Raw::Text(s),
            OwnedRaw::Int(i) => Raw::Int(*i),
            OwnedRaw::Float(f) => Raw::Float(*f),
            OwnedRaw::Bool(b) => Raw::Bool(*b),
            OwnedRaw::Date(y, m, d) => Raw::Date(*y, *m, *d),
            OwnedRaw::Error(e) => Raw::Error(e.clone()),
        }
    }
}

/// The text of a header cell, if it has any.
fn header_text<'a>(raw: &'a Raw<'_>) -> Option<Cow<'a, str>> {
    let t: Cow<'a, str> = match raw {
        Raw::Text(s) => Cow::Borrowed(s.trim()),
        Raw::Int(i) => Cow::Owned(i.to_string()),
        Raw::Float(f) => Cow::Owned(number_text(*f)),
        Raw::Bool(b) => Cow::Owned(b.to_string()),
        Raw::Date(y, m, d) => Cow::Owned(format!("{y:04}-{m:02}-{d:02}")),
        Raw::Empty | Raw::Error(_) => return None,
    };
    (!t.is_empty()).then_some(t)
}

struct Slot {
    spec: ColSpec,
    /// The header as written, for issues.
    header: String,
}

struct Header {
    columns: Vec<(String, Option<&'static str>)>,
    /// Column index → slot index.
    by_col: Vec<Option<usize>>,
    slots: Vec<Slot>,
    /// Slot indices in the order of their field names (the order of the row's map).
    by_name: Vec<usize>,
    /// 0-based row of the header.
    row0: u32,
    /// Per slot, the cleaned value of a template's example row in Chinese and in English
    /// (`None` for a reference column, which the comparison leaves out).
    example: Vec<[Option<String>; 2]>,
}

/// Whether the row in `scratch` is the template's example row (in either language): every
/// column that has an example holds exactly it, and at least one does. Reference columns, whose
/// example depends on the database, are not compared.
fn is_example(h: &Header, scratch: &[(Option<String>, bool)]) -> bool {
    (0..2).any(|lang| {
        let mut compared = 0;
        for (slot, (value, _)) in scratch.iter().enumerate() {
            let Some(expected) = &h.example[slot][lang] else {
                continue;
            };
            if value.as_deref() != Some(expected.as_str()) {
                return false;
            }
            compared += 1;
        }
        compared > 0
    })
}

/// Takes rows in order and hands the header and each data row to a [`RowSink`].
pub(crate) struct Sheet<'p> {
    def: &'static ResourceDef,
    labels: Labels,
    max_rows: usize,
    progress: &'p mut dyn FnMut(usize),
    /// The row count at which `progress` is called next.
    next_progress: usize,
    /// Rows above the header so far (at most [`HEADER_ROWS`]).
    pending: Vec<(u32, Vec<Kept>)>,
    header: Option<Header>,
    /// Data rows handed over so far.
    rows: usize,
    sink: &'p mut dyn RowSink,
    /// Per slot, for the row being read: its value, and whether the cell gave an issue.
    scratch: Vec<(Option<String>, bool)>,
}

impl<'p> Sheet<'p> {
    pub(crate) fn new(
        def: &'static ResourceDef,
        college: &CollegeAliases,
        max_rows: usize,
        progress: &'p mut dyn FnMut(usize),
        sink: &'p mut dyn RowSink,
    ) -> Self {
        Sheet {
            def,
            labels: Labels::new(def, college),
            max_rows,
            progress,
            next_progress: PROGRESS_EVERY,
            pending: Vec::new(),
            header: None,
            rows: 0,
            sink,
            scratch: Vec::new(),
        }
    }

    /// One row of the sheet (`row0` is 0-based), its cells left to right. Rows must come in
    /// increasing order; rows without cells may be left out.
    pub(crate) fn push_row(&mut self, row0: u32, cells: &[InCell<'_>]) -> Result<(), IoError> {
        if self.header.is_some() {
            return self.data_row(row0, cells);
        }
        if row0 >= HEADER_ROWS {
            self.header_of_one_column()?;
            return self.data_row(row0, cells);
        }
        let matched = cells
            .iter()
            .filter_map(|c| header_text(&c.raw))
            .filter(|t| self.labels.field_of(t).is_some())
            .count();
        if matched >= 2 {
            self.pending.clear();
            return self.set_header(row0, cells);
        }
        let kept = cells
            .iter()
            .map(|c| Kept {
                col: c.col,
                raw: OwnedRaw::of(&c.raw),
                formula: c.formula.map(str::to_string),
            })
            .collect();
        self.pending.push((row0, kept));
        Ok(())
    }

    /// Ends the sheet; returns the number of data rows.
    pub(crate) fn finish(mut self) -> Result<usize, IoError> {
        if self.header.is_none() {
            self.header_of_one_column()?;
        }
        (self.progress)(self.rows);
        Ok(self.rows)
    }

    /// No row of the first 30 had two recognised headers. That is still a header when the sheet
    /// has a single column: then the first row whose one cell is a label is the header.
    fn header_of_one_column(&mut self) -> Result<(), IoError> {
        let pending = std::mem::take(&mut self.pending);
        let mut cols = pending
            .iter()
            .flat_map(|(_, cells)| cells.iter())
            .filter(|c| header_text(&c.raw.raw()).is_some())
            .map(|c| c.col);
        let first = cols.next();
        let one_column = first.is_some() && cols.all(|c| Some(c) == first);
        let at = one_column
            .then(|| {
                pending.iter().position(|(_, cells)| {
                    cells.iter().any(|c| {
                        header_text(&c.raw.raw())
                            .is_some_and(|t| self.labels.field_of(&t).is_some())
                    })
                })
            })
            .flatten();
        let Some(at) = at else {
            return Err(IoError::NoHeader {
                expected: expected(self.def),
            });
        };
        for (i, (row0, kept)) in pending.iter().enumerate().skip(at) {
            let cells: Vec<InCell<'_>> = kept
                .iter()
                .map(|k| InCell {
                    col: k.col,
                    raw: k.raw.raw(),
                    formula: k.formula.as_deref(),
                })
                .collect();
            if i == at {
                self.set_header(*row0, &cells)?;
            } else {
                self.data_row(*row0, &cells)?;
            }
        }
        Ok(())
    }

    fn set_header(&mut self, row0: u32, cells: &[InCell<'_>]) -> Result<(), IoError> {
        let mut issues: Vec<RowIssue> = Vec::new();
        let mut warnings: Vec<ImportWarning> = Vec::new();
        let mut h = Header {
            columns: Vec::new(),
            by_col: Vec::new(),
            slots: Vec::new(),
            by_name: Vec::new(),
            row0,
            example: Vec::new(),
        };
        let mut used: Vec<&'static str> = Vec::new();
        for c in cells {
            let Some(text) = header_text(&c.raw) else {
                continue;
            };
            let text = text.into_owned();
            match self.labels.field_of(&text) {
                Some(f) if !used.contains(&f.name) => {
                    used.push(f.name);
                    let col = c.col as usize;
                    if h.by_col.len() <= col {
                        h.by_col.resize(col + 1, None);
                    }
                    h.by_col[col] = Some(h.slots.len());
                    h.slots.push(Slot {
                        spec: ColSpec {
                            field: f,
                            table: enum_table(self.def.name, f.name),
                        },
                        header: text.clone(),
                    });
                    h.columns.push((text, Some(f.name)));
                }
                Some(f) => {
                    issues.push(RowIssue {
                        row: row0 as usize + 1,
                        column: text.clone(),
                        field: f.name.to_string(),
                        value: String::new(),
                        code: "duplicate_column".to_string(),
                        reason: format!(
                            "a second column for {} ({}): only the first is read; remove one",
                            f.zh, f.en
                        ),
                    });
                    h.columns.push((text, None));
                }
                None => {
                    // Never silently dropped: listed once, with the column it may be meant as.
                    let suggestion = self.labels.suggestion(&text);
                    let reason = match &suggestion {
                        Some(s) => {
                            format!("not a known column, so it is ignored; did you mean {s}?")
                        }
                        None => "not a known column, so it is ignored".to_string(),
                    };
                    warnings.push(ImportWarning {
                        column: text.clone(),
                        code: "ignored_column".to_string(),
                        reason,
                        suggestion,
                    });
                    h.columns.push((text, None));
                }
            }
        }
        h.example = h
            .slots
            .iter()
            .map(|s| {
                [Lang::Zh, Lang::En].map(|lang| {
                    let text = example_text(self.def, s.spec.field, lang)?;
                    match s.spec.clean(&Raw::Text(&text)) {
                        Cleaned::Value(v) => Some(v),
                        _ => None,
                    }
                })
            })
            .collect();
        h.by_name = (0..h.slots.len()).collect();
        h.by_name.sort_by_key(|&i| h.slots[i].spec.field.name);
        self.scratch = vec![(None, false); h.slots.len()];
        self.sink.header(SheetHeader {
            header_row: row0 as usize + 1,
            columns: h.columns.clone(),
            issues,
            warnings,
        })?;
        self.header = Some(h);
        Ok(())
    }

    fn data_row(&mut self, row0: u32, cells: &[InCell<'_>]) -> Result<(), IoError> {
        let h = self
            .header
            .as_ref()
            .expect("header is set before data rows");
        let row = row0 as usize + 1;
        let mut issues: Vec<RowIssue> = Vec::new();
        let mut has_value = false;
        for c in cells {
            let Some(&Some(slot)) = h.by_col.get(c.col as usize) else {
                continue;
            };
            let s = &h.slots[slot];
            let issue = |value: String, code: &str, reason: &str| RowIssue {
                row,
                column: s.header.clone(),
                field: s.spec.field.name.to_string(),
                value,
                code: code.to_string(),
                reason: reason.to_string(),
            };
            if let Some(formula) = c.formula {
                // A copy of a shared formula carries no text of its own: show its result.
                let text = if formula.is_empty() {
                    header_text(&c.raw).map(Cow::into_owned).unwrap_or_default()
                } else {
                    format!("={}", formula.trim_start_matches('='))
                };
                let shown = s.spec.shown(&text);
                issues.push(issue(shown, "formula", FORMULA));
                self.scratch[slot].1 = true;
                continue;
            }
            match s.spec.clean(&c.raw) {
                Cleaned::Empty => {}
                Cleaned::Value(v) => {
                    self.scratch[slot].0 = Some(v);
                    has_value = true;
                }
                Cleaned::Issue {
                    code,
                    reason,
                    shown,
                } => {
                    issues.push(issue(shown, code, reason));
                    self.scratch[slot].1 = true;
                }
            }
        }
        if !has_value && issues.is_empty() {
            return Ok(()); // a blank row, or one with values only in unknown columns
        }
        if row0 == h.row0 + EXAMPLE_ROW && issues.is_empty() && is_example(h, &self.scratch) {
            // A template's example row, left as written: not data.
            for cell in &mut self.scratch {
                *cell = (None, false);
            }
            return Ok(());
        }
        if self.rows >= self.max_rows {
            return Err(IoError::TooManyRows { max: self.max_rows });
        }
        // Built from pairs already in key order, the map is bulk-built rather than inserted into.
        let scratch = &mut self.scratch;
        let values: Map<String, Value> = h
            .by_name
            .iter()
            .filter_map(|&i| {
                let (value, had_issue) = &mut scratch[i];
                let value = value.take();
                let name = h.slots[i].spec.field.name;
                (!std::mem::take(had_issue))
                    .then(|| (name.to_string(), value.map_or(Value::Null, Value::String)))
            })
            .collect();
        self.sink.row(ParsedRow { row, values }, issues)?;
        self.rows += 1;
        if self.rows == self.next_progress {
            (self.progress)(self.rows);
            self.next_progress += PROGRESS_EVERY;
        }
        Ok(())
    }
}
