//! `.csv` (and Excel's tab-separated "Unicode text") to rows.
//!
//! What it protects: Chinese text and row numbers. Excel on a Chinese Windows saves "CSV" in
//! GB18030, and "CSV UTF-8" with a byte-order mark; both are decoded, and text that is neither is
//! refused with a message instead of being stored as mojibake. Row numbers count records the way
//! Excel shows them: a line break inside a quoted cell does not start a row, and an empty line
//! (which the CSV parser skips) still is one. Every cell is text; the cleaning by field kind is
//! the same as for `.xlsx` (`sheet` and `cell`).

use crate::cell::Raw;
use crate::sheet::{InCell, Sheet};
use crate::{IoError, Limits, RowSink};
use skillbridge_core::schema::ResourceDef;
use std::borrow::Cow;

/// The text of the file: UTF-8 (with or without BOM), UTF-16 with BOM, or else GB18030.
fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, IoError> {
    let utf16 = |enc: &'static encoding_rs::Encoding, rest: &[u8]| {
        enc.decode_without_bom_handling_and_without_replacement(rest)
            .map(|s| Cow::Owned(s.into_owned()))
            .ok_or_else(|| IoError::Malformed("the UTF-16 text is damaged".to_string()))
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(encoding_rs::UTF_16LE, rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(encoding_rs::UTF_16BE, rest);
    }
    let (rest, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    match std::str::from_utf8(rest) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) if bom => Err(IoError::Malformed(format!(
            "the file says it is UTF-8 but is not (byte {})",
            e.valid_up_to() + 3
        ))),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(rest)
            .ok_or_else(|| {
                IoError::NotASpreadsheet(
                    "the text is neither UTF-8 nor GB18030: save it as \"CSV UTF-8\" or as .xlsx"
                        .to_string(),
                )
            }),
    }
}

/// Comma, unless the start of the file has more tabs (Excel's "Unicode text"), or semicolons
/// and no comma at all.
fn delimiter(text: &str) -> u8 {
    let probe = &text.as_bytes()[..text.len().min(8192)];
    let count = |b: u8| probe.iter().filter(|&&c| c == b).count();
    let (commas, tabs, semis) = (count(b','), count(b'\t'), count(b';'));
    if tabs > commas {
        b'\t'
    } else if commas == 0 && semis > 0 {
        b';'
    } else {
        b','
    }
}

/// The empty lines in front of the record that starts at byte `start`. The parser's record
/// position can fall between the `\r` and `\n` of the previous record's line end; that `\n`
/// is not an empty line.
fn empty_lines_at(text: &[u8], start: usize) -> u32 {
    let mut i = start;
    if i > 0 && text[i - 1] == b'\r' && text.get(i) == Some(&b'\n') {
        i += 1;
    }
    let mut n = 0u32;
    loop {
        match text.get(i) {
            Some(b'\r') => {
                i += if text.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
            }
            Some(b'\n') => i += 1,
            _ => return n,
        }
        n = n.saturating_add(1);
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
    let text = decode(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(&text))
        .from_reader(text.as_bytes());
    let mut sheet = Sheet::new(def, college, limits.max_rows, progress, sink);
    let mut record = csv::StringRecord::new();
    let mut row0: u32 = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(IoError::Malformed(format!(
                    "CSV error near row {}: {e}",
                    row0 + 1
                )))
            }
        }
        // Empty lines, which the parser skips, are blank rows in Excel.
        let start = record.position().map_or(0, |p| p.byte() as usize);
        row0 = row0.saturating_add(empty_lines_at(text.as_bytes(), start));
        let row_cells: Vec<InCell<'_>> = record
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.is_empty())
            .map(|(i, f)| InCell {
                col: i as u32,
                raw: Raw::Text(f),
                formula: None,
            })
            .collect();
        sheet.push_row(row0, &row_cells)?;
        row0 = row0.saturating_add(1);
    }
    sheet.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(decode("学号".as_bytes()).unwrap(), "学号");
        assert_eq!(decode("\u{feff}学号".as_bytes()).unwrap(), "学号");
        let (gb, _, _) = encoding_rs::GB18030.encode("学号,姓名");
        assert!(std::str::from_utf8(&gb).is_err());
        assert_eq!(decode(&gb).unwrap(), "学号,姓名");
        let mut le = vec![0xFF, 0xFE];
        le.extend("学号\t姓名".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&le).unwrap(), "学号\t姓名");
        assert_eq!(
            decode(b"\xEF\xBB\xBF\xFF\xFE").unwrap_err().code(),
            "malformed"
        );
        assert_eq!(delimiter("a\tb\tc,d\n"), b'\t');
        assert_eq!(delimiter("a,b\n"), b',');
        assert_eq!(delimiter("a;b\n"), b';');
    }

    #[test]
    fn empty_lines_count_as_rows() {
        let rows = |text: &str| {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(text.as_bytes());
            let mut rec = csv::StringRecord::new();
            let mut row0 = 0;
            let mut out = Vec::new();
            while r.read_record(&mut rec).unwrap() {
                row0 += empty_lines_at(text.as_bytes(), rec.position().unwrap().byte() as usize);
                out.push((row0 + 1, rec.get(0).unwrap().to_string()));
                row0 += 1;
            }
            out
        };
        let expect = |v: &[(u32, &str)]| {
            v.iter()
                .map(|(r, s)| (*r, s.to_string()))
                .collect::<Vec<_>>()
        };
        let want = expect(&[(3, "a"), (4, "c"), (7, "e"), (8, "h")]);
        assert_eq!(rows("\n\na,b\nc,d\n\n\ne,\"f\ng\"\nh,i\n\n"), want);
        assert_eq!(
            rows("\r\n\r\na,b\r\nc,d\r\n\r\n\r\ne,\"f\r\ng\"\r\nh,i\r\n"),
            want
        );
        assert_eq!(rows("\r\ra,b\rc,d\r\r\re,\"f\rg\"\rh,i\r"), want);
    }
}
