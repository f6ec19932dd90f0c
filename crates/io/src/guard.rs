//! The checks that run before any parser sees an uploaded file.
//!
//! What it protects: the server's memory and time. calamine has no limit of its own: a 50 KB
//! `.xlsx` can declare gigabytes of XML inside (a zip bomb), and a file that is not a spreadsheet
//! at all (a picture, a PDF, an old `.xls`, a web page named `.xls`) should get a clear answer
//! instead of a parser error. So the format is decided from the magic bytes, never from the file
//! name, and an `.xlsx` is judged by its zip central directory alone (a few bytes at the end of the
//! file) before anything is decompressed. The zip reader then holds each part to the size the
//! central directory declared, so the declared sizes bound what decompression can produce.

use crate::{Format, IoError, Limits};
use std::io::Cursor;

const ZIP_LOCAL: &[u8] = b"PK\x03\x04";
const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const TEXT_PROBE: usize = 8192;

/// Decides the format from the first bytes: a zip is an `.xlsx` candidate, text is CSV.
pub fn sniff(bytes: &[u8]) -> Result<Format, IoError> {
    let not = |what: &str| Err(IoError::NotASpreadsheet(what.to_string()));
    if bytes.is_empty() {
        return not("the file is empty");
    }
    if bytes.starts_with(ZIP_LOCAL) {
        return Ok(Format::Xlsx);
    }
    if bytes.starts_with(&OLE2[..4]) {
        // Both old `.xls` workbooks and password-protected `.xlsx` files are OLE2 containers; the
        // latter hold a stream named "EncryptedPackage" (UTF-16 in the directory).
        let name: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        if bytes.windows(name.len()).any(|w| w == name.as_slice()) {
            return Err(IoError::Encrypted);
        }
        return Err(IoError::OldXls);
    }
    let known: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF-", "a PDF document"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xBC\xAF", "a 7-Zip archive"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"PK\x05\x06", "an empty zip archive"),
        (b"{\\rtf", "an RTF document"),
    ];
    for (magic, what) in known {
        if bytes.starts_with(magic) {
            return not(what);
        }
    }
    // UTF-16 text (Excel's "Unicode text" export) has a byte-order mark and many NUL bytes.
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Ok(Format::Csv);
    }
    let probe = &bytes[..bytes.len().min(TEXT_PROBE)];
    if probe.contains(&0) {
        return not("binary data that is neither .xlsx nor .csv");
    }
    let start = probe.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(probe);
    let first = start.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'<') {
        // Several school systems export an HTML table under an `.xls` name.
        return not("a web page or XML file (some systems export these under an .xls name): open it in Excel or WPS and save it as .xlsx");
    }
    Ok(Format::Csv)
}

/// The entry count the end-of-central-directory record declares, read without parsing the
/// directory (so a file declaring millions of entries is refused before they are allocated).
/// `None` when the record is absent or defers to ZIP64.
fn declared_entries(bytes: &[u8]) -> Option<u64> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let tail = &bytes[tail_start..];
    let at = tail.windows(4).rposition(|w| w == EOCD)?;
    let rec = tail.get(at..at + 22)?;
    let total = u16::from_le_bytes([rec[10], rec[11]]);
    (total != u16::MAX).then_some(u64::from(total))
}

/// Refuses an `.xlsx` whose zip central directory declares too many parts, too many bytes once
/// decompressed, or a compression ratio no real workbook has. Reads nothing but the directory.
pub fn check_xlsx_container(bytes: &[u8], limits: &Limits) -> Result<(), IoError> {
    let too_many = |n: u64| {
        IoError::ZipBomb(format!(
            "{n} parts, more than the limit of {}",
            limits.max_entries
        ))
    };
    if let Some(n) = declared_entries(bytes) {
        if n > limits.max_entries as u64 {
            return Err(too_many(n));
        }
    }
    let archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| IoError::Malformed(format!("not a valid .xlsx (zip) file: {e}")))?;
    if archive.len() > limits.max_entries {
        return Err(too_many(archive.len() as u64));
    }
    let mut uncompressed: u128 = 0;
    let mut compressed: u128 = 0;
    let mut content_types = false;
    let mut opendocument = false;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_data(i)
            .map_err(|e| IoError::Malformed(format!("damaged zip directory: {e}")))?;
        uncompressed += u128::from(entry.size());
        compressed += u128::from(entry.compressed_size());
        match entry.name_raw() {
            b"[Content_Types].xml" => content_types = true,
            b"mimetype" => opendocument = true,
            _ => {}
        }
    }
    if uncompressed > u128::from(limits.max_uncompressed) {
        return Err(IoError::ZipBomb(format!(
            "{uncompressed} bytes once unpacked, more than the limit of {}",
            limits.max_uncompressed
        )));
    }
    if uncompressed > compressed.saturating_mul(u128::from(limits.max_ratio)) {
        let ratio = uncompressed.checked_div(compressed).unwrap_or(uncompressed);
        return Err(IoError::ZipBomb(format!(
            "it expands {ratio} to 1, more than the limit of {} to 1",
            limits.max_ratio
        )));
    }
    if !content_types {
        return Err(IoError::NotASpreadsheet(if opendocument {
            "an OpenDocument (.ods) file: save it as .xlsx".to_string()
        } else {
            "a zip archive that is not an .xlsx workbook".to_string()
        }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniff_by_magic_bytes() {
        assert_eq!(sniff(b"PK\x03\x04rest").unwrap(), Format::Xlsx);
        assert_eq!(
            sniff("学号,姓名\n1,张三\n".as_bytes()).unwrap(),
            Format::Csv
        );
        assert_eq!(sniff(b"\xEF\xBB\xBFa,b").unwrap(), Format::Csv);
        assert_eq!(sniff(&[0xFF, 0xFE, b'a', 0]).unwrap(), Format::Csv);
        let ole = [OLE2, &[0u8; 600][..]].concat();
        assert_eq!(sniff(&ole).unwrap_err().code(), "old_xls");
        let mut enc = ole.clone();
        enc.extend(
            "EncryptedPackage"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        assert_eq!(sniff(&enc).unwrap_err().code(), "encrypted");
        for bad in [
            &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..],
            b"%PDF-1.7\n",
            b"",
            b"abc\0def",
            b"  <html><table><tr><td>1</td></tr></table></html>",
        ] {
            assert_eq!(
                sniff(bad).unwrap_err().code(),
                "not_a_spreadsheet",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn garbage_after_zip_magic_is_malformed() {
        let e = check_xlsx_container(b"PK\x03\x04 not really a zip", &Limits::default());
        assert_eq!(e.unwrap_err().code(), "malformed");
    }
}
