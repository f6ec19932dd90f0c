//! SkillBridge spreadsheets: `.xlsx` and `.csv` rows to and from records.
//!
//! What this crate protects: the store and the people who fill in the spreadsheets. Files come
//! from real college offices (a title row merged above the header, full-width digits, ID numbers
//! that Excel turned into numbers, dates as serial numbers, formulas, GB18030 CSV) and sometimes
//! from someone hostile (zip bombs, a picture renamed `.xlsx`). Every file is checked before a
//! parser sees it, every cell is cleaned by its field's kind, and every cell that cannot be taken
//! as it is becomes a [`RowIssue`] with the row number the user sees in Excel. Nothing here
//! validates records against the database: the store does that with `core::schema`.
//! No HTTP and no SQL in this crate.
//!
//! Where to start reading:
//! - [`read_rows`]: size check → [`sniff`] → [`check_xlsx_container`] → parse (`xlsx_read`,
//!   `csv_read`) → rows through `sheet` (header detection, blank rows, row limit) and `cell`
//!   (cleaning by kind) → a [`RowSink`], one row at a time, so that an import streams.
//!   [`read`] collects the rows into [`Parsed`] for callers that want them all.
//! - [`write`] and [`template`] (`write.rs`): labels, enum labels, text columns, formula-injection
//!   neutralising.
//! - `guard.rs`: the limits and the checks that run before any parser.

mod cell;
mod csv_read;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod guard;
mod header;
pub mod plans;
mod sheet;
mod write;
mod xlsx_read;

pub use guard::{check_xlsx_container, sniff};
pub use header::{accepted_spellings, header_label, CollegeAliases};
pub use write::{
    example_text, template, template_with, text_workbook, write, SheetWriter, TemplateLists,
    TextSheet, EXAMPLE_ROW, MAX_CHOICES,
};

use serde_json::{Map, Value};
use skillbridge_core::import::{ImportWarning, RowIssue};
use skillbridge_core::schema::ResourceDef;

/// A spreadsheet format, found from the file's bytes (never its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

/// The language of header labels and enum labels when writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

/// Bounds on what a file may cost to read. The defaults fit any real college sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The file as uploaded.
    pub max_file_bytes: u64,
    /// The sum of the sizes an `.xlsx` declares for its parts once decompressed.
    pub max_uncompressed: u64,
    /// Parts in an `.xlsx` (a workbook has a dozen or so).
    pub max_entries: usize,
    /// Declared uncompressed bytes per compressed byte, over the whole `.xlsx`.
    pub max_ratio: u64,
    /// Data rows (below the header, blank rows not counted).
    pub max_rows: usize,
    /// What an `.xlsx`'s shared string table may cost to load (estimated from its size and the
    /// number of strings it holds or declares: `guard::check_shared_strings`).
    pub max_shared_strings_memory: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 64 * 1024 * 1024,
            max_uncompressed: 200_000_000,
            max_entries: 1000,
            max_ratio: 100,
            max_rows: 2_000_000,
            max_shared_strings_memory: 128_000_000,
        }
    }
}

/// Why a file was refused as a whole. Problems in single cells are [`RowIssue`]s instead.
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    #[error("the file is {size} bytes, more than the limit of {max} bytes")]
    TooLarge { size: u64, max: u64 },
    #[error("the .xlsx file would expand too much when unpacked ({0}); it is refused as a possible zip bomb")]
    ZipBomb(String),
    #[error("this is an old .xls workbook: open it in Excel or WPS and save it as .xlsx")]
    OldXls,
    #[error("the workbook is password-protected: remove the password and save it again")]
    Encrypted,
    #[error("the file is not a spreadsheet: {0}")]
    NotASpreadsheet(String),
    #[error("the file could not be read: {0}")]
    Malformed(String),
    #[error("no header row found in the first 30 rows of the first sheet; expected column names such as {expected}")]
    NoHeader { expected: String },
    #[error("the file has more than {max} data rows; split it into smaller files")]
    TooManyRows { max: usize },
    #[error("the spreadsheet could not be written: {0}")]
    Write(String),
    #[error("the .xlsx file holds too many distinct texts: {0}; save it as CSV, or split it")]
    TooManyStrings(String),
    /// The [`RowSink`] stopped the reading (its receiver went away).
    #[error("reading the file was stopped")]
    Stopped,
}

impl IoError {
    /// A stable machine code for the API and the command line.
    pub fn code(&self) -> &'static str {
        match self {
            IoError::TooLarge { .. } => "too_large",
            IoError::ZipBomb(_) => "zip_bomb",
            IoError::OldXls => "old_xls",
            IoError::Encrypted => "encrypted",
            IoError::NotASpreadsheet(_) => "not_a_spreadsheet",
            IoError::Malformed(_) => "malformed",
            IoError::NoHeader { .. } => "no_header",
            IoError::TooManyRows { .. } => "too_many_rows",
            IoError::Write(_) => "write_failed",
            IoError::TooManyStrings(_) => "too_many_strings",
            IoError::Stopped => "stopped",
        }
    }

    /// The refusal in Chinese (the `Display` text is the English one); the two are sent apart,
    /// never glued.
    pub fn message_zh(&self) -> String {
        match self {
            IoError::TooLarge { size, max } => {
                format!("文件有 {size} 字节，超过了 {max} 字节的上限")
            }
            IoError::ZipBomb(_) => "该 .xlsx 文件解压后过大，疑似压缩炸弹，已拒绝".into(),
            IoError::OldXls => "这是旧版 .xls 工作簿：请用 Excel 或 WPS 另存为 .xlsx".into(),
            IoError::Encrypted => "工作簿有密码保护：请去掉密码后重新保存".into(),
            IoError::NotASpreadsheet(_) => "文件不是电子表格".into(),
            IoError::Malformed(_) => "文件无法读取，可能已损坏".into(),
            IoError::NoHeader { expected } => {
                format!("第一个工作表的前 30 行中没有找到表头；应有的列名如：{expected}")
            }
            IoError::TooManyRows { max } => {
                format!("文件的数据行超过 {max} 行，请拆分成较小的文件")
            }
            IoError::Write(_) => "无法写出电子表格".into(),
            IoError::TooManyStrings(_) => {
                "该 .xlsx 文件包含的不同文本过多：请另存为 CSV 或拆分".into()
            }
            IoError::Stopped => "读取已停止".into(),
        }
    }

    /// Whether the file was refused for its size (HTTP 413 rather than 400/422).
    pub fn is_too_large(&self) -> bool {
        matches!(
            self,
            IoError::TooLarge { .. }
                | IoError::ZipBomb(_)
                | IoError::TooManyRows { .. }
                | IoError::TooManyStrings(_)
        )
    }
}

/// One data row: its number as Excel shows it, and the cleaned values of the recognised columns.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    /// 1-based, counting every row of the sheet (titles and header included).
    pub row: usize,
    /// Field name → `Value::String` (cleaned text) or `Value::Null` (empty cell). A cell that
    /// produced an issue (formula, ID number stored as a number...) is left out.
    pub values: Map<String, Value>,
}

/// What [`read`] found in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// 1-based row number of the header.
    pub header_row: usize,
    /// Every non-empty header cell, left to right: its text and the field it was recognised as.
    pub columns: Vec<(String, Option<&'static str>)>,
    pub rows: Vec<ParsedRow>,
    /// Problems found in cells; the import commits nothing while there are any.
    pub issues: Vec<RowIssue>,
    /// Columns read but not used (unknown headers), each once.
    pub warnings: Vec<ImportWarning>,
}

/// The header of a sheet, handed to a [`RowSink`] before its first data row.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetHeader {
    /// 1-based row number of the header.
    pub header_row: usize,
    /// Every non-empty header cell, left to right: its text and the field it was recognised as.
    pub columns: Vec<(String, Option<&'static str>)>,
    /// Problems of the header itself (a column given twice), on the header's row.
    pub issues: Vec<RowIssue>,
    /// Columns read but not used (unknown headers), each once.
    pub warnings: Vec<ImportWarning>,
}

/// Receives a sheet as it is read: the header once, then each data row with the problems found
/// in its cells. An error stops the reading and is returned by [`read_rows`].
pub trait RowSink {
    fn header(&mut self, header: SheetHeader) -> Result<(), IoError>;
    fn row(&mut self, row: ParsedRow, issues: Vec<RowIssue>) -> Result<(), IoError>;
}

/// Keeps every row: the sink behind [`read`].
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

/// Reads the first sheet of an `.xlsx` or a `.csv` file as rows of `def`'s fields.
///
/// In order: the size limit, [`sniff`] (magic bytes), [`check_xlsx_container`] (before calamine
/// ever sees the bytes), then the parse. `progress` receives the number of data rows read so far,
/// every 10,000 rows and once at the end.
pub fn read(
    def: &'static ResourceDef,
    bytes: &[u8],
    limits: &Limits,
    progress: &mut dyn FnMut(usize),
) -> Result<Parsed, IoError> {
    read_with(def, bytes, limits, &[], progress)
}

/// [`read`], recognising the college's own header spellings too (`college`: field name and
/// spelling, from the store's `header_aliases`). The spellings are looked up once per header
/// cell, never per data cell.
pub fn read_with(
    def: &'static ResourceDef,
    bytes: &[u8],
    limits: &Limits,
    college: &CollegeAliases,
    progress: &mut dyn FnMut(usize),
) -> Result<Parsed, IoError> {
    let mut all = Collect(Parsed {
        header_row: 0,
        columns: Vec::new(),
        rows: Vec::new(),
        issues: Vec::new(),
        warnings: Vec::new(),
    });
    read_rows(def, bytes, limits, college, progress, &mut all)?;
    Ok(all.0)
}

/// [`read_with`], handing each row to `sink` as soon as it is read instead of keeping them: the
/// reader itself holds the current row only (and, until the header is found, the rows above
/// it). Returns the number of data rows. The row limit refuses the file at the first row over
/// it, so a file of too many rows costs the time and memory of the rows up to the limit, never
/// of the whole file.
pub fn read_rows(
    def: &'static ResourceDef,
    bytes: &[u8],
    limits: &Limits,
    college: &CollegeAliases,
    progress: &mut dyn FnMut(usize),
    sink: &mut dyn RowSink,
) -> Result<usize, IoError> {
    let size = bytes.len() as u64;
    if size > limits.max_file_bytes {
        return Err(IoError::TooLarge {
            size,
            max: limits.max_file_bytes,
        });
    }
    match sniff(bytes)? {
        Format::Xlsx => {
            check_xlsx_container(bytes, limits)?;
            xlsx_read::read(def, bytes, limits, college, progress, sink)
        }
        Format::Csv => {
            if more_lines_than(bytes, limits.max_rows) {
                // It may hold too many rows: count them first, handing nothing over, so that
                // such a file is refused at the cost of parsing it up to the limit, without
                // waiting for the sink to check every row before it.
                csv_read::read(def, bytes, limits, college, &mut |_| {}, &mut Discard)?;
            }
            csv_read::read(def, bytes, limits, college, progress, sink)
        }
    }
}

/// Whether a text file has more line breaks (`\n`, or `\r` alone) than `n`: a file with fewer
/// cannot hold more than `n` data rows. A pass over the bytes, without parsing.
fn more_lines_than(bytes: &[u8], n: usize) -> bool {
    let count = |b: u8| bytes.iter().filter(|&&c| c == b).count();
    count(b'\n').max(count(b'\r')) > n
}

/// Keeps nothing: the sink of a count.
struct Discard;

impl RowSink for Discard {
    fn header(&mut self, _: SheetHeader) -> Result<(), IoError> {
        Ok(())
    }
    fn row(&mut self, _: ParsedRow, _: Vec<RowIssue>) -> Result<(), IoError> {
        Ok(())
    }
}
