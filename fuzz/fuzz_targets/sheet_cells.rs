//! Header detection and cell cleaning, for every record type and so every field kind, with every
//! kind of cell an `.xlsx` holds (text, integer, float, boolean, date, error value, formula):
//! a generated grid handed to the same `Sheet` the readers feed
//! (`skillbridge_io::fuzzing::read_cells`). Cells are drawn from what real files hold (the
//! fields' header spellings, the templates' example values, enum labels and codes, each possibly
//! decorated with spaces, full-width letters, required markers or a leading `'`) and from
//! arbitrary values.
//!
//! Properties checked besides "no panic": the header is the first of the first 30 rows with two
//! cells naming a field (the rule stated in `sheet.rs`), its columns are recognised as
//! `core::import::header_key` says, the read passes `skillbridge_fuzz::check_read`, and a
//! problem in an ID-number column never shows the value in full.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use skillbridge_core::import::{header_key, spellings, ImportWarning, RowIssue};
use skillbridge_core::schema::{Field, Kind, Pii, ResourceDef};
use skillbridge_io::fuzzing::{read_cells, Cell};
use skillbridge_io::{example_text, IoError, Lang, Parsed, ParsedRow, RowSink, SheetHeader};
use std::collections::HashMap;

#[derive(Arbitrary, Debug)]
enum Scalar {
    Empty,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

#[derive(Arbitrary, Debug)]
enum Gen {
    Empty,
    Text(String),
    /// A header spelling of the record type's `field`-th import field.
    Spelling { field: u8, which: u8, deco: u8 },
    /// The template's example value of a field.
    Example { field: u8, en: bool, deco: u8 },
    /// A code or label of an enum field's table.
    Label { field: u8, which: u8, deco: u8 },
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(u16, u8, u8),
    Error(String),
    Formula(String, Scalar),
}

#[derive(Arbitrary, Debug)]
struct Input {
    resource: u8,
    /// Rows above the header (titles, notes), then the header, then data, as generated.
    rows: Vec<(u8, Vec<(u8, Gen)>)>,
}

/// Decorations people (and spreadsheet programs) add to a cell's text.
fn decorate(s: &str, deco: u8) -> String {
    match deco % 8 {
        1 => format!("  {s}\t"),
        2 => s
            .chars()
            .map(|c| match c {
                '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                ' ' => '\u{3000}',
                _ => c,
            })
            .collect(),
        3 => format!("*{s}"),
        4 => format!("{s}（必填）"),
        5 => format!("'{s}"),
        6 => format!("{s}\n"),
        7 => s.to_uppercase(),
        _ => s.to_string(),
    }
}

fn nth_field(def: &'static ResourceDef, i: u8) -> &'static Field {
    let n = def.import_fields().count();
    def.import_fields().nth(usize::from(i) % n).expect("in range")
}

fn cell(def: &'static ResourceDef, g: &Gen) -> Cell {
    match g {
        Gen::Empty => Cell::Empty,
        Gen::Text(s) => Cell::Text(s.clone()),
        Gen::Spelling { field, which, deco } => {
            let all: Vec<&str> = spellings(nth_field(def, *field)).collect();
            Cell::Text(decorate(all[usize::from(*which) % all.len()], *deco))
        }
        Gen::Example { field, en, deco } => {
            let lang = if *en { Lang::En } else { Lang::Zh };
            let f = nth_field(def, *field);
            Cell::Text(decorate(&example_text(def, f, lang).unwrap_or_default(), *deco))
        }
        Gen::Label { field, which, deco } => match nth_field(def, *field).kind {
            Kind::Enum(t) if !t.labels.is_empty() => {
                let l = &t.labels[usize::from(*which / 3) % t.labels.len()];
                let text = [l.code, l.zh, l.en][usize::from(*which % 3)];
                Cell::Text(decorate(text, *deco))
            }
            _ => Cell::Int(i64::from(*which)),
        },
        Gen::Int(i) => Cell::Int(*i),
        Gen::Float(f) => Cell::Float(*f),
        Gen::Bool(b) => Cell::Bool(*b),
        Gen::Date(y, m, d) => Cell::Date(*y, *m, *d),
        Gen::Error(e) => Cell::Error(e.clone()),
        Gen::Formula(f, v) => {
            let cached = match v {
                Scalar::Empty => Cell::Empty,
                Scalar::Text(s) => Cell::Text(s.clone()),
                Scalar::Int(i) => Cell::Int(*i),
                Scalar::Float(x) => Cell::Float(*x),
                Scalar::Bool(b) => Cell::Bool(*b),
            };
            Cell::Formula(f.clone(), Box::new(cached))
        }
    }
}

/// The text a header cell is compared by (as `sheet.rs` takes it).
fn header_text(c: &Cell) -> Option<String> {
    let t = match c {
        Cell::Text(s) => s.trim().to_string(),
        Cell::Int(i) => i.to_string(),
        Cell::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{}", *f as i64),
        Cell::Float(f) => format!("{f}"),
        Cell::Bool(b) => b.to_string(),
        Cell::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
        Cell::Formula(_, v) => return header_text(v),
        Cell::Empty | Cell::Error(_) => return None,
    };
    (!t.is_empty()).then_some(t)
}

struct Collect(Parsed);

impl RowSink for Collect {
    fn header(&mut self, h: SheetHeader) -> Result<(), IoError> {
        self.0.header_row = h.header_row;
        self.0.columns = h.columns;
        self.0.issues.extend(h.issues);
        self.0.warnings = h.warnings;
        Ok(())
    }
    fn row(&mut self, row: ParsedRow, issues: Vec<RowIssue>) -> Result<(), IoError> {
        self.0.rows.push(row);
        self.0.issues.extend(issues);
        Ok(())
    }
}

fuzz_target!(|input: Input| {
    let defs = skillbridge_fuzz::importable();
    let def = defs[usize::from(input.resource) % defs.len()];
    // Rows in the order generated, numbered from 0 with the gaps the generator asks for (a
    // gap of 0 keeps the row next to the one before), at most 40 rows and 48 columns.
    let mut rows: Vec<(u32, Vec<(u32, Cell)>)> = Vec::new();
    let mut next = 0u32;
    for (gap, cells) in input.rows.iter().take(40) {
        let row0 = next + u32::from(*gap % 4);
        next = row0 + 1;
        let cells = cells
            .iter()
            .take(48)
            .map(|(col, g)| (u32::from(*col % 48), cell(def, g)))
            .collect();
        rows.push((row0, cells));
    }

    let mut sink = Collect(Parsed {
        header_row: 0,
        columns: Vec::new(),
        rows: Vec::new(),
        issues: Vec::new(),
        warnings: Vec::<ImportWarning>::new(),
    });
    let result = read_cells(def, &[], 1000, &rows, &mut sink).map(|_| sink.0);
    skillbridge_fuzz::check_read(def, &result);

    // The header, as the rule says: the first row within the first 30 with two cells naming a
    // field, by their `header_key` (the first field that claims a key keeps it).
    let mut keys: HashMap<String, &'static Field> = HashMap::new();
    for f in def.import_fields() {
        for s in spellings(f) {
            keys.entry(header_key(s)).or_insert(f);
        }
    }
    let field_of = |c: &Cell| header_text(c).and_then(|t| keys.get(&header_key(&t)).copied());
    // As read_cells hands them over: rows in order, cells by column, first of a repeated one.
    let mut sorted: Vec<(u32, Vec<&Cell>)> = Vec::new();
    for (row0, cells) in &rows {
        if sorted.iter().any(|(r, _)| r == row0) {
            continue;
        }
        let mut cs: Vec<&(u32, Cell)> = cells.iter().collect();
        cs.sort_by_key(|c| c.0);
        cs.dedup_by_key(|c| c.0);
        sorted.push((*row0, cs.into_iter().map(|c| &c.1).collect()));
    }
    sorted.sort_by_key(|r| r.0);
    let header = sorted
        .iter()
        .filter(|(r, _)| *r < 30)
        .find(|(_, cells)| cells.iter().filter(|c| field_of(c).is_some()).count() >= 2);
    if let Some((row0, cells)) = header {
        let parsed = result.as_ref().expect("a sheet with a header reads");
        assert_eq!(parsed.header_row, *row0 as usize + 1, "header row");
        let mut used = Vec::new();
        let want: Vec<(String, Option<&str>)> = cells
            .iter()
            .filter_map(|c| {
                let t = header_text(c)?;
                let f = field_of(c).map(|f| f.name).filter(|n| !used.contains(n));
                used.extend(f);
                Some((t, f))
            })
            .collect();
        assert_eq!(parsed.columns, want, "columns of the header");
    }

    // A problem in an ID-number column shows the value masked.
    if let Ok(parsed) = &result {
        for i in &parsed.issues {
            let pii = def.import_field(&i.field).map(|f| f.pii);
            if pii == Some(Pii::IdNumber) && i.value.chars().count() > 8 {
                assert!(i.value.contains('*'), "ID number shown in clear: {}", i.value);
            }
        }
    }
});
