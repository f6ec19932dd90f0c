//! Bounded reading (issue 9, item 4): rows are counted as they are read and a file over the row
//! limit is refused at the first row over it, before the rest is parsed; an `.xlsx` whose shared
//! string table would be too costly to load is refused before calamine reads it.

use rust_xlsxwriter::Workbook;
use skillbridge_core::import::RowIssue;
use skillbridge_core::modules::college::STUDENTS;
use skillbridge_io::{read_rows, IoError, Limits, ParsedRow, RowSink, SheetHeader};
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Counts what it is handed and keeps nothing.
#[derive(Default)]
struct Count {
    headers: usize,
    rows: usize,
    issues: usize,
    last_row: usize,
}

impl RowSink for Count {
    fn header(&mut self, _: SheetHeader) -> Result<(), IoError> {
        self.headers += 1;
        Ok(())
    }
    fn row(&mut self, row: ParsedRow, issues: Vec<RowIssue>) -> Result<(), IoError> {
        assert!(row.row > self.last_row, "rows come in order");
        self.last_row = row.row;
        self.rows += 1;
        self.issues += issues.len();
        Ok(())
    }
}

fn limits(max_rows: usize) -> Limits {
    Limits {
        max_rows,
        ..Limits::default()
    }
}

fn read(bytes: &[u8], limits: &Limits, sink: &mut Count) -> Result<usize, IoError> {
    read_rows(&STUDENTS, bytes, limits, &[], &mut |_| {}, sink)
}

#[test]
fn an_xlsx_over_the_row_limit_is_refused_at_the_first_row_over_it() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "学号").unwrap();
    ws.write_string(0, 1, "姓名").unwrap();
    for r in 1..=5_000u32 {
        ws.write_string(r, 0, format!("2025{r:06}")).unwrap();
        ws.write_string(r, 1, "张三").unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    let mut sink = Count::default();
    let e = read(&bytes, &limits(1_000), &mut sink).unwrap_err();
    assert!(matches!(e, IoError::TooManyRows { max: 1_000 }), "{e}");
    assert_eq!(e.code(), "too_many_rows");
    assert!(e.is_too_large());
    // Every row up to the limit was handed over as it was read, and not one more.
    assert_eq!((sink.headers, sink.rows, sink.last_row), (1, 1_000, 1_001));
    // At the limit the file is read to its end.
    let mut sink = Count::default();
    assert_eq!(read(&bytes, &limits(5_000), &mut sink).unwrap(), 5_000);
    assert_eq!(sink.rows, 5_000);
}

#[test]
fn a_csv_over_the_row_limit_is_refused_before_any_row_is_handed_over() {
    let mut csv = String::from("学号,姓名\n");
    for r in 0..5_000 {
        csv.push_str(&format!("2025{r:06},张三\n"));
    }
    // More lines than the limit: the rows are counted first, so none reaches the sink.
    let mut sink = Count::default();
    let e = read(csv.as_bytes(), &limits(1_000), &mut sink).unwrap_err();
    assert!(matches!(e, IoError::TooManyRows { max: 1_000 }), "{e}");
    assert_eq!((sink.headers, sink.rows), (0, 0));
    // Blank lines are not rows: 5,000 rows and 5,000 blank lines fit a limit of 5,000.
    let spaced = csv.replace('\n', "\n\n");
    let mut sink = Count::default();
    assert_eq!(
        read(spaced.as_bytes(), &limits(5_000), &mut sink).unwrap(),
        5_000
    );
    assert_eq!(sink.rows, 5_000);
    // Under the limit, every row is handed over, in order.
    let mut sink = Count::default();
    assert_eq!(
        read(csv.as_bytes(), &limits(5_000), &mut sink).unwrap(),
        5_000
    );
    assert_eq!((sink.headers, sink.rows, sink.last_row), (1, 5_000, 5_001));
}

/// An `.xlsx` holding `parts` (name, text), deflated.
fn xlsx_of(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, text) in parts {
        w.start_file(*name, opts).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WB_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
const SHEET: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row></sheetData></worksheet>"#;

fn workbook_with_strings(sst: &str) -> Vec<u8> {
    xlsx_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WB_RELS),
        ("xl/worksheets/sheet1.xml", SHEET),
        ("xl/sharedStrings.xml", sst),
    ])
}

fn sst(strings: &[String], unique_count: &str) -> String {
    let items: String = strings
        .iter()
        .map(|s| format!("<si><t>{s}</t></si>"))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="{unique_count}">{items}</sst>"#
    )
}

#[test]
fn a_shared_string_table_too_costly_to_load_is_refused_before_parsing() {
    let mut strings = vec![
        "学号".to_string(),
        "姓名".to_string(),
        "2025000001".to_string(),
        "张三".to_string(),
    ];
    // A workbook within the limit is read.
    let ok = workbook_with_strings(&sst(&strings, "4"));
    let mut sink = Count::default();
    assert_eq!(read(&ok, &Limits::default(), &mut sink).unwrap(), 1);
    // Declaring four billion strings (calamine would reserve room for them first) is refused.
    let declared = workbook_with_strings(&sst(&strings, "4000000000"));
    let mut sink = Count::default();
    let e = read(&declared, &Limits::default(), &mut sink).unwrap_err();
    assert_eq!(e.code(), "too_many_strings");
    assert!(e.is_too_large());
    assert!(e.to_string().contains("4000000000 declared"), "{e}");
    assert_eq!(sink.headers, 0, "refused before the sheet was read");
    // So is a table holding more strings than its cost limit allows, whatever it declares.
    strings.extend((0..20_000).map(|i| format!("s{i}")));
    let many = workbook_with_strings(&sst(&strings, "4"));
    let small = Limits {
        max_shared_strings_memory: 1_000_000,
        ..Limits::default()
    };
    let e = read(&many, &small, &mut Count::default()).unwrap_err();
    assert_eq!(e.code(), "too_many_strings", "{e}");
    assert_eq!(
        read(&many, &Limits::default(), &mut Count::default()).unwrap(),
        1
    );
}
