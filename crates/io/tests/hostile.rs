//! Files built to hurt the server, or simply not spreadsheets: each is refused before calamine
//! (or the CSV parser) reads it, with a stable code.

use skillbridge_core::modules::college::STUDENTS;
use skillbridge_io::{check_xlsx_container, read, IoError, Limits};
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

fn refuse(bytes: &[u8], limits: &Limits) -> IoError {
    let mut progress_called = false;
    let e = read(&STUDENTS, bytes, limits, &mut |_| progress_called = true).unwrap_err();
    assert!(!progress_called, "refused before any row was read");
    e
}

fn zip_of(files: &[(&str, &[u8])], method: CompressionMethod) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(method)
        .large_file(false);
    for (name, data) in files {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_looked_at() {
    let limits = Limits {
        max_file_bytes: 1000,
        ..Limits::default()
    };
    // Not even a spreadsheet: the size is checked first.
    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[7u8; 993]].concat();
    assert_eq!(png.len(), 1001);
    let e = refuse(&png, &limits);
    assert_eq!(e.code(), "too_large");
    assert!(e.is_too_large());
    assert!(e.to_string().contains("1001 bytes"), "{e}");
    // At the limit it goes on to the format check.
    assert_eq!(refuse(&png[..1000], &limits).code(), "not_a_spreadsheet");
}

#[test]
fn a_central_directory_declaring_300_mb_is_refused() {
    let mut bytes = zip_of(
        &[
            ("[Content_Types].xml", b"<Types/>".as_slice()),
            ("xl/worksheets/sheet1.xml", b"<worksheet/>"),
        ],
        CompressionMethod::Stored,
    );
    // Craft the central directory: the second part now declares 300 MB once unpacked.
    let cd = bytes
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == b"PK\x01\x02")
        .map(|(i, _)| i)
        .nth(1)
        .unwrap();
    bytes[cd + 24..cd + 28].copy_from_slice(&300_000_000u32.to_le_bytes());
    let e = check_xlsx_container(&bytes, &Limits::default()).unwrap_err();
    assert_eq!(e.code(), "zip_bomb");
    assert!(
        e.to_string().contains("300000008 bytes once unpacked"),
        "{e}"
    );
    assert_eq!(refuse(&bytes, &Limits::default()).code(), "zip_bomb");
}

#[test]
fn too_many_parts_are_refused() {
    let names: Vec<String> = (0..1001).map(|i| format!("xl/part{i}.xml")).collect();
    let mut files: Vec<(&str, &[u8])> = vec![("[Content_Types].xml", b"<Types/>")];
    files.extend(
        names
            .iter()
            .take(1000)
            .map(|n| (n.as_str(), b"x".as_slice())),
    );
    let bytes = zip_of(&files, CompressionMethod::Stored);
    let e = refuse(&bytes, &Limits::default());
    assert_eq!(e.code(), "zip_bomb");
    assert!(e.to_string().contains("1001 parts"), "{e}");
    assert!(e.is_too_large());
    // One fewer is fine as far as the container goes.
    let bytes = zip_of(&files[..1000], CompressionMethod::Stored);
    check_xlsx_container(&bytes, &Limits::default()).unwrap();
}

#[test]
fn a_compression_ratio_over_100_to_1_is_refused() {
    let zeros = vec![0u8; 20 * 1024 * 1024];
    let bytes = zip_of(
        &[
            ("[Content_Types].xml", b"<Types/>".as_slice()),
            ("xl/worksheets/sheet1.xml", &zeros),
        ],
        CompressionMethod::Deflated,
    );
    assert!(bytes.len() < 200 * 1024, "{} bytes", bytes.len());
    let e = refuse(&bytes, &Limits::default());
    assert_eq!(e.code(), "zip_bomb");
    assert!(e.to_string().contains("expands"), "{e}");
    // The same parts stored uncompressed are only too big when the limit says so.
    let plain = zip_of(
        &[
            ("[Content_Types].xml", b"<Types/>".as_slice()),
            ("a", &zeros[..1000]),
        ],
        CompressionMethod::Stored,
    );
    check_xlsx_container(&plain, &Limits::default()).unwrap();
    let small = Limits {
        max_uncompressed: 500,
        ..Limits::default()
    };
    assert_eq!(
        check_xlsx_container(&plain, &small).unwrap_err().code(),
        "zip_bomb"
    );
}

#[test]
fn wrong_magic_bytes_are_refused_whatever_the_name() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
    let e = refuse(png, &Limits::default());
    assert_eq!(e.code(), "not_a_spreadsheet");
    assert!(e.to_string().contains("PNG"), "{e}");
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.resize(4096, 0);
    let e = refuse(&xls, &Limits::default());
    assert_eq!(e.code(), "old_xls");
    assert!(e.to_string().contains("save it as .xlsx"), "{e}");
    let e = refuse(
        b"<html><body><table><tr><td>1</td></tr></table></body></html>",
        &Limits::default(),
    );
    assert_eq!(e.code(), "not_a_spreadsheet");
    let e = refuse(b"", &Limits::default());
    assert_eq!(e.code(), "not_a_spreadsheet");
    // A zip that is not a workbook at all.
    let odt = zip_of(
        &[(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet".as_slice(),
        )],
        CompressionMethod::Stored,
    );
    let e = refuse(&odt, &Limits::default());
    assert_eq!(e.code(), "not_a_spreadsheet");
    assert!(e.to_string().contains(".ods"), "{e}");
    // Zip magic with garbage behind it.
    let e = refuse(b"PK\x03\x04\x14\0\0\0garbage", &Limits::default());
    assert_eq!(e.code(), "malformed");
    // A binary file with no known magic.
    let e = refuse(&[1, 2, 3, 0, 5, 6], &Limits::default());
    assert_eq!(e.code(), "not_a_spreadsheet");
}

#[test]
fn text_that_is_neither_utf8_nor_gb18030_is_refused() {
    // 0x80 alone is not a GB18030 lead byte followed by a valid trail.
    let e = refuse(b"\xff\x80\x80,\xff\n", &Limits::default());
    assert_eq!(e.code(), "not_a_spreadsheet");
    assert!(e.to_string().contains("UTF-8"), "{e}");
}

/// Found by the `read_xlsx` fuzz target: calamine takes a cell's position from its `r` attribute
/// without bounds, and a header cell at column ZZZZZZ (321,272,406) made the header's column index
/// that long (5 GB). A cell outside Excel's sheet is refused.
/// A one-sheet workbook (学号, 姓名, 手机号 in A1:C1) with the third header cell's reference
/// replaced by `reference`.
fn header_cell_moved_to(reference: &str) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "学号").unwrap();
    ws.write_string(0, 1, "姓名").unwrap();
    ws.write_string(0, 2, "手机号").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(data).unwrap();
            assert!(xml.contains(r#"r="C1""#), "{xml}");
            data = xml
                .replace(r#"r="C1""#, &format!(r#"r="{reference}""#))
                .into_bytes();
        }
        files.push((name, data));
    }
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, d)| (n.as_str(), &d[..])).collect();
    zip_of(&files, CompressionMethod::Deflated)
}

#[test]
fn a_cell_beyond_column_xfd_is_refused() {
    let e = refuse(&header_cell_moved_to("ZZZZZZ1"), &Limits::default());
    assert_eq!(e.code(), "malformed", "{e}");
    assert!(e.to_string().contains("16384 columns"), "{e}");
}

/// calamine computes a reference's row and column in `u32` without checking: a row of more than
/// ten digits, or a column of more than six letters, overflows. That panic (the workspace builds
/// calamine with overflow checks in every profile) is contained and the file refused as damaged,
/// never a crash or a position that wrapped around into the sheet. Found by the `read_xlsx`
/// fuzz target.
#[test]
fn a_cell_reference_that_overflows_the_reader_is_refused_as_damaged() {
    for reference in ["C99999999999", "C4294967297", "ZZZZZZZZ1"] {
        let e = refuse(&header_cell_moved_to(reference), &Limits::default());
        assert_eq!(e.code(), "malformed", "{reference}: {e}");
    }
}
