//! Records to `.xlsx` or `.csv`, and the empty templates people fill in.
//!
//! What it protects: the people who open an export, and the values on the way back in.
//! - Formula injection: any text starting with `=`, `+`, `-`, `@`, a tab or a carriage return
//!   is written with a leading `'`, so Excel or WPS shows it as text instead of running it (a
//!   company name `=HYPERLINK(...)` typed into the system must not become a link in an office).
//!   The reader takes that `'` off again, so an export read back gives the same text.
//! - Lost digits: ID numbers, phones, codes and keys are written as text cells in columns formatted
//!   as text, so Excel neither turns them into numbers (losing digits after the 15th, or leading
//!   zeros) when the file is opened nor when a person types a new row into the template.
//! - Same codes back: enum codes are written as labels in the chosen language and flags as 是/否
//!   or yes/no, which `read` maps back to the codes.
//!
//! CSV is UTF-8 with a byte-order mark, without which Excel on a Chinese Windows shows mojibake.

use crate::cell::{date_to_serial, needs_quote};
use crate::header::header_label;
use crate::{Format, IoError, Lang};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format as XFormat, Formula, Note, Workbook,
    XlsxError,
};
use serde_json::{Map, Value};
use skillbridge_core::labels::{enum_table, EnumTable};
use skillbridge_core::schema::{Field, Kind, ResourceDef};
use std::borrow::Cow;

/// Data rows that fit in one `.xlsx` sheet below the header.
const XLSX_MAX_ROWS: usize = 1_048_575;
/// Rows looked at to size the columns.
const WIDTH_SAMPLE: usize = 1000;

/// One cell to write.
enum Out<'a> {
    Blank,
    Text(Cow<'a, str>),
    Int(i64),
    /// A date: its Excel serial number and its `YYYY-MM-DD` text.
    Date(f64, &'a str),
}

impl Out<'_> {
    /// The text a CSV cell (or the width estimate) gets, neutralised.
    fn text(&self) -> Cow<'_, str> {
        match self {
            Out::Blank => Cow::Borrowed(""),
            Out::Text(s) => quoted(s),
            Out::Int(i) => Cow::Owned(i.to_string()),
            Out::Date(_, s) => Cow::Borrowed(s),
        }
    }
}

/// Formula-like text with a leading `'`.
fn quoted(s: &str) -> Cow<'_, str> {
    if needs_quote(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// How a field is written: the header, the column's number format, the enum labels.
struct Column {
    field: &'static Field,
    header: String,
    table: Option<&'static EnumTable>,
}

impl Column {
    /// Kinds whose column is formatted as text, so that Excel keeps what is typed into it as typed.
    fn is_text(&self) -> bool {
        !matches!(
            self.field.kind,
            Kind::Int { .. } | Kind::Fen | Kind::Flag | Kind::Date | Kind::Enum(_)
        )
    }

    fn out<'a>(&self, v: &'a Value, lang: Lang) -> Out<'a> {
        let zh = lang == Lang::Zh;
        let text = |v: &'a Value| -> Cow<'a, str> {
            match v {
                Value::String(s) => Cow::Borrowed(s),
                other => Cow::Owned(other.to_string()),
            }
        };
        match (self.field.kind, v) {
            (_, Value::Null) => Out::Blank,
            (Kind::Enum(_), _) => {
                let code = text(v);
                match self.table.and_then(|t| t.label(&code, zh)) {
                    Some(label) => Out::Text(Cow::Borrowed(label)),
                    None => Out::Text(code),
                }
            }
            (Kind::Flag, _) => {
                let b = match v {
                    Value::Bool(b) => Some(*b),
                    Value::Number(n) => n.as_i64().map(|n| n != 0),
                    Value::String(s) => match s.as_str() {
                        "true" | "1" => Some(true),
                        "false" | "0" => Some(false),
                        _ => None,
                    },
                    _ => None,
                };
                match (b, zh) {
                    (Some(true), true) => Out::Text(Cow::Borrowed("是")),
                    (Some(false), true) => Out::Text(Cow::Borrowed("否")),
                    (Some(true), false) => Out::Text(Cow::Borrowed("yes")),
                    (Some(false), false) => Out::Text(Cow::Borrowed("no")),
                    (None, _) => Out::Text(text(v)),
                }
            }
            (Kind::Int { .. } | Kind::Fen | Kind::Ref(_), Value::Number(n)) => match n.as_i64() {
                Some(i) => Out::Int(i),
                None => Out::Text(text(v)),
            },
            (Kind::Int { .. } | Kind::Fen, Value::String(s)) => match s.parse::<i64>() {
                Ok(i) => Out::Int(i),
                Err(_) => Out::Text(text(v)),
            },
            (Kind::Date, Value::String(s)) => {
                match parse_ymd(s).and_then(|(y, m, d)| date_to_serial(y, m, d)) {
                    Some(serial) => Out::Date(serial, s),
                    None => Out::Text(text(v)),
                }
            }
            _ => Out::Text(text(v)),
        }
    }
}

/// `YYYY-MM-DD` as stored.
fn parse_ymd(s: &str) -> Option<(i64, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    Some((
        s[..4].parse().ok()?,
        s[5..7].parse().ok()?,
        s[8..].parse().ok()?,
    ))
}

fn columns(def: &ResourceDef, lang: Lang, mark_required: bool) -> Vec<Column> {
    let fields: &'static [Field] = def.fields;
    fields
        .iter()
        .map(|f| {
            let label = header_label(f, lang);
            Column {
                field: f,
                header: if mark_required && f.required {
                    format!("{label}*")
                } else {
                    label.to_string()
                },
                table: enum_table(def.name, f.name),
            }
        })
        .collect()
}

/// Writes `records` (field name → value, as the store returns them) with a header row in `lang`,
/// one row per record, the columns in the order of `def.fields`.
pub fn write(
    def: &ResourceDef,
    records: &[Map<String, Value>],
    format: Format,
    lang: Lang,
) -> Result<Vec<u8>, IoError> {
    let mut w = SheetWriter::new(def, format, lang)?;
    for rec in records {
        w.push(rec)?;
    }
    w.finish()
}

/// An empty sheet to fill in: the header row only, required columns marked with `*` (which the
/// reader ignores), and the same column formats as an export.
pub fn template(def: &ResourceDef, format: Format, lang: Lang) -> Vec<u8> {
    let out = SheetWriter::with_columns(def, format, lang, columns(def, lang, true))
        .and_then(SheetWriter::finish);
    // Only static labels are written: this cannot fail short of running out of memory.
    out.expect("an empty template is always written")
}

/// The row below the header of an `.xlsx` template: one record as it could be typed, in grey
/// italics, so that a person sees each column's form. The reader skips it while it is left as
/// written (`sheet::Example`): it is never imported as data.
pub const EXAMPLE_ROW: u32 = 1;

/// Reference lists longer than this are not offered as a drop-down (a list of thousands helps
/// nobody; the column's note says what it takes).
pub const MAX_CHOICES: usize = 500;

/// What a template offers beyond the record type's description, from the database: for each
/// reference field, the keys of the records it may name (as the import accepts them, at most
/// [`MAX_CHOICES`]), and the college's own header spellings.
#[derive(Debug, Default, Clone)]
pub struct TemplateLists {
    /// Field name → the texts a drop-down offers.
    pub choices: std::collections::HashMap<String, Vec<String>>,
    /// The college's header spellings (field name, spelling), listed in the header notes.
    pub college: Vec<(String, String)>,
}

/// The example text of a field, as typed into a template (`None` for references, whose example
/// is the first choice of their list, and which the example-row check leaves out).
pub fn example_text(def: &ResourceDef, field: &Field, lang: Lang) -> Option<String> {
    let zh = lang == Lang::Zh;
    let pick = |z: &str, e: &str| Some(if zh { z } else { e }.to_string());
    match field.kind {
        Kind::Ref(_) | Kind::RefCode { .. } => None,
        Kind::Text { max } => {
            let t = if zh {
                format!("示例{}", field.zh)
            } else {
                format!("Example {}", field.en.to_lowercase())
            };
            Some(t.chars().take(max).collect())
        }
        Kind::Int { min, max } => {
            let v = if (min..=max).contains(&2026) {
                2026
            } else if (min..=max).contains(&1) {
                1
            } else {
                min
            };
            Some(v.to_string())
        }
        Kind::Fen => Some("10000".into()),
        Kind::Date => Some("2026-09-01".into()),
        Kind::Flag => pick("是", "yes"),
        Kind::Enum(_) => enum_table(def.name, field.name)
            .and_then(|t| t.labels.first())
            .map(|l| if zh { l.zh } else { l.en }.to_string()),
        Kind::IdNumber => Some(skillbridge_core::ids::make_id_number(
            "500101", "20080901", 1,
        )),
        Kind::CreditCode => Some(skillbridge_core::ids::make_credit_code("91500000MA5U00000")),
        Kind::Phone => Some("13800138000".into()),
        Kind::MajorCode => Some("460702".into()),
        Kind::Email => Some("example@example.edu.cn".into()),
        Kind::Instant => Some("2026-09-01 08:00".into()),
        // A value inside the bounds that shows the decimal places (88.5 for a 0–100 score).
        Kind::Decimal { scale, min, max } => {
            let step = 10i64.pow(u32::from(scale));
            let mid = min + (max - min) * 885 / 1000;
            let v = if scale > 0 && mid % step == 0 && mid + 5 * step / 10 <= max {
                mid + 5 * step / 10
            } else {
                mid
            };
            Some(skillbridge_core::schema::decimal_text(
                v.clamp(min, max),
                scale,
            ))
        }
    }
}

/// The drop-down of a column: the labels of a coded field, 是/否 (yes/no) for a flag, or the
/// keys of a reference's records.
fn choices_of(col: &Column, lang: Lang, lists: &TemplateLists) -> Option<Vec<String>> {
    let zh = lang == Lang::Zh;
    match col.field.kind {
        Kind::Enum(_) => col.table.map(|t| {
            t.labels
                .iter()
                .map(|l| if zh { l.zh } else { l.en }.to_string())
                .collect()
        }),
        Kind::Flag => Some(if zh {
            vec!["是".into(), "否".into()]
        } else {
            vec!["yes".into(), "no".into()]
        }),
        Kind::Ref(_) | Kind::RefCode { .. } => lists
            .choices
            .get(col.field.name)
            .filter(|l| !l.is_empty() && l.len() <= MAX_CHOICES)
            .cloned(),
        _ => None,
    }
}

/// The note on a header: whether the column is required, every spelling the header may take,
/// and what a reference column takes.
fn header_note(col: &Column, lang: Lang, spellings: &[String]) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    if zh {
        out.push_str(if col.field.required {
            "必填。"
        } else {
            "选填。"
        });
        out.push_str("可用的列名：");
        out.push_str(&spellings.join("、"));
    } else {
        out.push_str(if col.field.required {
            "Required. "
        } else {
            "Optional. "
        });
        out.push_str("Accepted headers: ");
        out.push_str(&spellings.join(", "));
    }
    if let Kind::Ref(target) = col.field.kind {
        if let Some(d) = skillbridge_core::schema::resource(target) {
            let keys: Vec<&str> = d
                .ref_keys
                .iter()
                .map(|k| d.field(k).map_or(*k, |f| if zh { f.zh } else { f.en }))
                .collect();
            if zh {
                out.push_str(&format!("\n填写{}的{}。", d.zh, keys.join("或")));
            } else {
                out.push_str(&format!(
                    "\nThe {} of a {} record.",
                    keys.join(" or "),
                    d.en.to_lowercase()
                ));
            }
        }
    }
    out
}

/// A template with an example row, a note on each header listing its accepted spellings, and a
/// drop-down on each coded column and each reference column with a list in `lists`. A list
/// whose text would pass Excel's 255-character limit for an inline list (or holds a comma) is
/// written on a hidden sheet and referred to by its range. CSV templates are the header row
/// only (a CSV file has no notes, styles or lists).
pub fn template_with(
    def: &'static ResourceDef,
    format: Format,
    lang: Lang,
    lists: &TemplateLists,
) -> Vec<u8> {
    if format == Format::Csv {
        return template(def, format, lang);
    }
    // Only static labels and the given lists are written: this cannot fail short of running
    // out of memory.
    template_xlsx(def, lang, lists).expect("a template is always written")
}

fn template_xlsx(
    def: &'static ResourceDef,
    lang: Lang,
    lists: &TemplateLists,
) -> Result<Vec<u8>, XlsxError> {
    let zh = lang == Lang::Zh;
    let cols = columns(def, lang, true);
    let spellings: std::collections::HashMap<&str, Vec<String>> =
        crate::header::accepted_spellings(def, &lists.college)
            .into_iter()
            .map(|(f, s)| (f.name, s))
            .collect();
    let mut wb = Workbook::new();
    let bold = XFormat::new().set_bold();
    let text = XFormat::new().set_num_format("@");
    let date = XFormat::new().set_num_format("yyyy-mm-dd");
    let example = XFormat::new()
        .set_italic()
        .set_font_color(Color::RGB(0x80_80_80));
    let list_sheet = if zh { "选项" } else { "Lists" };
    // (column on the hidden sheet, values) of the lists written there.
    let mut hidden: Vec<Vec<String>> = Vec::new();
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(def, lang))?;
        for (c, col) in cols.iter().enumerate() {
            let c = c as u16;
            if col.field.kind == Kind::Date {
                ws.set_column_format(c, &date)?;
            } else if col.is_text() {
                ws.set_column_format(c, &text)?;
            }
            ws.write_string_with_format(0, c, quoted(&col.header), &bold)?;
            let none = Vec::new();
            let note = header_note(col, lang, spellings.get(col.field.name).unwrap_or(&none));
            ws.insert_note(
                0,
                c,
                &Note::new(note)
                    .set_author("SkillBridge")
                    .add_author_prefix(false)
                    .set_width(260)
                    .set_height(120),
            )?;
            let choices = choices_of(col, lang, lists);
            let ex = match (example_text(def, col.field, lang), &choices) {
                (Some(t), _) => Some(t),
                (None, Some(list)) => list.first().cloned(),
                (None, None) => None,
            };
            write_example(ws, c, col.field.kind, ex.as_deref(), &example)?;
            let Some(list) = choices else { continue };
            let dv = list_validation(list, zh, list_sheet, &mut hidden)?;
            ws.add_data_validation(EXAMPLE_ROW, c, XLSX_MAX_ROWS as u32, c, &dv)?;
        }
        for (c, col) in cols.iter().enumerate() {
            let min = match col.field.kind {
                Kind::IdNumber | Kind::CreditCode => 20,
                Kind::Date => 12,
                _ => 8,
            };
            let w = (display_width(&col.header) + 2).clamp(min, 50);
            ws.set_column_width(c as u16, w as f64)?;
        }
        let first = if zh {
            "示例行：保持原样时导入会忽略它，可直接在下面填写，也可删除此行。"
        } else {
            "Example row: left as it is, the import ignores it. Fill in the rows below, or delete this row."
        };
        if !cols.is_empty() {
            ws.insert_note(
                EXAMPLE_ROW,
                0,
                &Note::new(first)
                    .set_author("SkillBridge")
                    .add_author_prefix(false),
            )?;
        }
        ws.set_freeze_panes(1, 0)?;
    }
    if !hidden.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(list_sheet)?;
        for (c, list) in hidden.iter().enumerate() {
            for (r, v) in list.iter().enumerate() {
                ws.write_string(r as u32, c as u16, quoted(v))?;
            }
        }
        ws.set_hidden(true);
    }
    wb.save_to_buffer()
}

/// The example row's cell of a column, in grey italics.
fn write_example(
    ws: &mut rust_xlsxwriter::Worksheet,
    c: u16,
    kind: Kind,
    ex: Option<&str>,
    example: &XFormat,
) -> Result<(), XlsxError> {
    let as_text = example.clone().set_num_format("@");
    let as_date = example.clone().set_num_format("yyyy-mm-dd");
    let serial = |t: &str| parse_ymd(t).and_then(|(y, m, d)| date_to_serial(y, m, d));
    match (ex, kind) {
        (Some(t), Kind::Date) if serial(t).is_some() => {
            let v = serial(t).expect("checked");
            ws.write_number_with_format(EXAMPLE_ROW, c, v, &as_date)?;
        }
        (Some(t), Kind::Int { .. } | Kind::Fen) if t.parse::<i64>().is_ok() => {
            let v = t.parse::<i64>().expect("checked") as f64;
            ws.write_number_with_format(EXAMPLE_ROW, c, v, example)?;
        }
        (Some(t), _) => {
            ws.write_string_with_format(EXAMPLE_ROW, c, quoted(t), &as_text)?;
        }
        (None, _) => {
            ws.write_blank(EXAMPLE_ROW, c, example)?;
        }
    }
    Ok(())
}

/// A drop-down of `list`: inline when it fits Excel's 255 characters and holds no comma, else
/// a range on the hidden sheet (`hidden` collects its columns). A value typed that is not in
/// the list gets a warning, not a refusal: the import accepts other spellings too (aliases, a
/// program's name for its code), and checks every value itself.
fn list_validation(
    list: Vec<String>,
    zh: bool,
    list_sheet: &str,
    hidden: &mut Vec<Vec<String>>,
) -> Result<DataValidation, XlsxError> {
    let title = if zh {
        "请从列表中选择"
    } else {
        "Choose from the list"
    };
    let message = if zh {
        "该值不在列表中；导入时仍会按规则检查。"
    } else {
        "This value is not in the list; the import still checks it by its rules."
    };
    let base = DataValidation::new()
        .set_error_style(DataValidationErrorStyle::Warning)
        .set_error_title(title)?
        .set_error_message(message)?;
    let inline = !list.iter().any(|s| s.contains(','));
    Ok(match base.clone().allow_list_strings(&list) {
        Ok(dv) if inline => dv,
        _ => {
            let range = format!(
                "='{list_sheet}'!${col}$1:${col}${last}",
                col = column_letters(hidden.len() as u16),
                last = list.len()
            );
            hidden.push(list);
            base.allow_list_formula(Formula::new(range))
        }
    })
}

/// `A`, `B`, … `Z`, `AA`: a column's letters.
fn column_letters(mut c: u16) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

/// Writes a sheet record by record, so that an export of any size holds one page of records
/// at a time: CSV rows go straight to the output, and `.xlsx` rows go through
/// `rust_xlsxwriter`'s constant-memory worksheet (each row is flushed to a temporary file as
/// soon as it is complete, strings inline). Only the compressed file is held at the end.
pub struct SheetWriter {
    cols: Vec<Column>,
    lang: Lang,
    rows: usize,
    widths: Vec<usize>,
    sink: Sink,
}

enum Sink {
    Csv(Box<csv::Writer<Vec<u8>>>),
    Xlsx(Box<Workbook>),
}

fn xerr(e: XlsxError) -> IoError {
    IoError::Write(e.to_string())
}

fn cerr(e: csv::Error) -> IoError {
    IoError::Write(e.to_string())
}

impl SheetWriter {
    /// A writer whose header row is already written.
    pub fn new(def: &ResourceDef, format: Format, lang: Lang) -> Result<Self, IoError> {
        Self::with_columns(def, format, lang, columns(def, lang, false))
    }

    /// A writer of only the fields `keep` accepts (an export leaves out the field groups its
    /// reader may not see, rather than writing empty columns).
    pub fn new_only(
        def: &ResourceDef,
        format: Format,
        lang: Lang,
        keep: impl Fn(&Field) -> bool,
    ) -> Result<Self, IoError> {
        let mut cols = columns(def, lang, false);
        cols.retain(|c| keep(c.field));
        Self::with_columns(def, format, lang, cols)
    }

    fn with_columns(
        def: &ResourceDef,
        format: Format,
        lang: Lang,
        cols: Vec<Column>,
    ) -> Result<Self, IoError> {
        let widths = cols.iter().map(|c| display_width(&c.header)).collect();
        let sink = match format {
            Format::Csv => {
                let mut out = Vec::with_capacity(64 * 1024);
                out.extend_from_slice(b"\xEF\xBB\xBF");
                let mut w = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(out);
                w.write_record(cols.iter().map(|c| quoted(&c.header).into_owned()))
                    .map_err(cerr)?;
                Sink::Csv(Box::new(w))
            }
            Format::Xlsx => {
                let mut workbook = Box::new(Workbook::new());
                let ws = workbook
                    .add_worksheet_with_constant_memory()
                    .map_err(xerr)?;
                ws.set_name(sheet_name(def, lang)).map_err(xerr)?;
                let bold = XFormat::new().set_bold();
                let text = XFormat::new().set_num_format("@");
                let date = XFormat::new().set_num_format("yyyy-mm-dd");
                for (c, col) in cols.iter().enumerate() {
                    let c = c as u16;
                    if col.field.kind == Kind::Date {
                        ws.set_column_format(c, &date).map_err(xerr)?;
                    } else if col.is_text() {
                        ws.set_column_format(c, &text).map_err(xerr)?;
                    }
                    ws.write_string_with_format(0, c, quoted(&col.header), &bold)
                        .map_err(xerr)?;
                }
                Sink::Xlsx(workbook)
            }
        };
        Ok(SheetWriter {
            cols,
            lang,
            rows: 0,
            widths,
            sink,
        })
    }

    /// Appends one record as the next row.
    pub fn push(&mut self, rec: &Map<String, Value>) -> Result<(), IoError> {
        let r = self.rows;
        match &mut self.sink {
            Sink::Csv(w) => {
                for c in &self.cols {
                    let v = rec.get(c.field.name).unwrap_or(&Value::Null);
                    w.write_field(c.out(v, self.lang).text().as_bytes())
                        .map_err(cerr)?;
                }
                w.write_record(None::<&[u8]>).map_err(cerr)?;
            }
            Sink::Xlsx(wb) => {
                if r >= XLSX_MAX_ROWS {
                    return Err(xerr(XlsxError::RowColumnLimitError));
                }
                let ws = wb.worksheet_from_index(0).map_err(xerr)?;
                let row = r as u32 + 1;
                for (c, col) in self.cols.iter().enumerate() {
                    let v = rec.get(col.field.name).unwrap_or(&Value::Null);
                    let out = col.out(v, self.lang);
                    if r < WIDTH_SAMPLE {
                        self.widths[c] = self.widths[c].max(display_width(&out.text()));
                    }
                    let c = c as u16;
                    match out {
                        Out::Blank => {}
                        Out::Text(s) => {
                            ws.write_string(row, c, quoted(&s)).map_err(xerr)?;
                        }
                        Out::Int(i) => {
                            ws.write_number(row, c, i as f64).map_err(xerr)?;
                        }
                        Out::Date(serial, _) => {
                            ws.write_number(row, c, serial).map_err(xerr)?;
                        }
                    }
                }
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Rows written so far, the header not counted.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The file's bytes.
    pub fn finish(self) -> Result<Vec<u8>, IoError> {
        match self.sink {
            Sink::Csv(w) => w.into_inner().map_err(|e| IoError::Write(e.to_string())),
            Sink::Xlsx(mut wb) => {
                let ws = wb.worksheet_from_index(0).map_err(xerr)?;
                for (c, col) in self.cols.iter().enumerate() {
                    let min = match col.field.kind {
                        Kind::IdNumber | Kind::CreditCode => 20,
                        Kind::Date => 12,
                        _ => 8,
                    };
                    let w = (self.widths[c] + 2).clamp(min, 50);
                    ws.set_column_width(c as u16, w as f64).map_err(xerr)?;
                }
                ws.set_freeze_panes(1, 0).map_err(xerr)?;
                if !self.cols.is_empty() {
                    ws.autofilter(0, 0, self.rows as u32, self.cols.len() as u16 - 1)
                        .map_err(xerr)?;
                }
                wb.save_to_buffer().map_err(xerr)
            }
        }
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(def: &ResourceDef, lang: Lang) -> String {
    let name = if lang == Lang::Zh { def.zh } else { def.en };
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect();
    let clean = clean.trim_matches('\'').trim().to_string();
    if clean.is_empty() {
        "Sheet1".to_string()
    } else {
        clean
    }
}

/// Approximate display width: CJK characters take two columns.
fn display_width(s: &str) -> usize {
    s.lines()
        .map(|l| l.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum())
        .max()
        .unwrap_or(0)
}

/// One sheet of text cells: its name, its header row and its rows.
#[derive(Debug, Clone, Default)]
pub struct TextSheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A workbook of text sheets (a subject-access download: several record types, each its own
/// columns). Every cell is a text cell, formula-like text neutralised as in every export; sheet
/// names are made acceptable to Excel and unique.
pub fn text_workbook(sheets: &[TextSheet]) -> Result<Vec<u8>, IoError> {
    let mut wb = Workbook::new();
    let bold = XFormat::new().set_bold();
    let text = XFormat::new().set_num_format("@");
    let mut names: Vec<String> = Vec::new();
    for s in sheets {
        let base: String = s
            .name
            .chars()
            .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
            .take(28)
            .collect();
        let base = match base.trim_matches('\'').trim() {
            "" => "Sheet".to_string(),
            b => b.to_string(),
        };
        let mut name = base.clone();
        let mut n = 2;
        while names.iter().any(|x| x.eq_ignore_ascii_case(&name)) {
            name = format!("{base}({n})");
            n += 1;
        }
        names.push(name.clone());
        let ws = wb.add_worksheet();
        ws.set_name(&name).map_err(xerr)?;
        let mut widths: Vec<usize> = s.header.iter().map(|h| display_width(h)).collect();
        for (c, h) in s.header.iter().enumerate() {
            ws.set_column_format(c as u16, &text).map_err(xerr)?;
            ws.write_string_with_format(0, c as u16, quoted(h), &bold)
                .map_err(xerr)?;
        }
        for (r, row) in s.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if c >= widths.len() {
                    widths.push(0);
                }
                widths[c] = widths[c].max(display_width(v));
                if !v.is_empty() {
                    ws.write_string(r as u32 + 1, c as u16, quoted(v))
                        .map_err(xerr)?;
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, (*w + 2).clamp(8, 60) as f64)
                .map_err(xerr)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xerr)?;
    }
    wb.save_to_buffer().map_err(xerr)
}
