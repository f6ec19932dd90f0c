//! The checks that run before any parser sees an uploaded file.
//!
//! What it protects: the server's memory and time. calamine has no limit of its own: a 50 KB
//! `.xlsx` can declare gigabytes of XML inside (a zip bomb), and a file that is not a spreadsheet
//! at all (a picture, a PDF, an old `.xls`, a web page named `.xls`) should get a clear answer
//! instead of a parser error. So the format is decided from the magic bytes, never from the file
//! name, and an `.xlsx` is judged by its zip central directory alone (a few bytes at the end of the
//! file) before anything is decompressed. The zip reader then holds each part to the size the
//! central directory declared, so the declared sizes bound what decompression can produce.
//! One part is read before the parser runs: the shared string table, which calamine loads whole
//! (one `String` each, about 56 bytes before the text) and sizes from its declared
//! `uniqueCount`; a table whose cost would pass [`Limits::max_shared_strings_memory`] is refused
//! (see [`check_shared_strings`]).

use crate::{Format, IoError, Limits};
use std::io::{Cursor, Read};

/// What calamine spends per shared string besides its text: the `String` (24 bytes) and the
/// smallest heap block behind it (32 bytes).
pub(crate) const SHARED_STRING_COST: u64 = 56;

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
    check_shared_strings(archive, limits)
}

/// Refuses a workbook whose shared string table would cost more than
/// [`Limits::max_shared_strings_memory`] once loaded: [`SHARED_STRING_COST`] per string plus
/// its text (bounded by the part's size), and the same per string it *declares*
/// (`uniqueCount`, which calamine reserves room for before reading a string). The part is
/// streamed through a small buffer to count its strings; nothing is kept.
fn check_shared_strings(
    mut archive: zip::ZipArchive<Cursor<&[u8]>>,
    limits: &Limits,
) -> Result<(), IoError> {
    let max = limits.max_shared_strings_memory;
    for i in 0..archive.len() {
        let mut part = archive
            .by_index(i)
            .map_err(|e| IoError::Malformed(format!("damaged zip entry: {e}")))?;
        if !part
            .name_raw()
            .to_ascii_lowercase()
            .ends_with(b"sharedstrings.xml")
        {
            continue;
        }
        let size = part.size();
        let mut counter = StringCounter::default();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = part
                .read(&mut buf)
                .map_err(|e| IoError::Malformed(format!("damaged shared strings: {e}")))?;
            if n == 0 {
                break;
            }
            counter.feed(&buf[..n]);
            let cost = counter
                .strings
                .max(counter.declared)
                .saturating_mul(SHARED_STRING_COST)
                .saturating_add(size);
            if cost > max {
                return Err(IoError::TooManyStrings(format!(
                    "its table of distinct texts (shared strings) would take more than {} MB to \
                     read ({} strings so far, {} declared, {size} bytes)",
                    max / 1_000_000,
                    counter.strings,
                    counter.declared
                )));
            }
        }
    }
    Ok(())
}

/// Counts `<si>` elements (with or without a namespace prefix) and reads the `uniqueCount` the
/// table declares, across buffer boundaries.
#[derive(Default)]
struct StringCounter {
    strings: u64,
    declared: u64,
    /// The last bytes of the previous buffer, so that a tag split between two is seen.
    tail: Vec<u8>,
    /// The start of the part, until `uniqueCount` is found or 4 KB have been seen.
    head: Vec<u8>,
    head_done: bool,
}

impl StringCounter {
    fn feed(&mut self, chunk: &[u8]) {
        if !self.head_done {
            self.head.extend_from_slice(&chunk[..chunk.len().min(4096)]);
            if let Some(at) = find(&self.head, b"uniqueCount=\"") {
                let digits: Vec<u8> = self.head[at + 13..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .copied()
                    .collect();
                if at + 13 + digits.len() < self.head.len() {
                    self.declared = std::str::from_utf8(&digits)
                        .ok()
                        .and_then(|d| d.parse().ok())
                        .unwrap_or(u64::MAX);
                    self.head_done = true;
                }
            }
            if self.head.len() >= 4096 {
                self.head_done = true;
                self.head = Vec::new();
            }
        }
        let mut joined = std::mem::take(&mut self.tail);
        let seen = joined.len();
        joined.extend_from_slice(chunk);
        // `si` opening a tag (`<si>`, `<si ...>`, `<x:si>`), not closing one; `<si/>` holds
        // nothing and costs nothing. A match ending in the kept tail was counted before.
        let n = joined.len();
        for i in 1..n.saturating_sub(2) {
            if i + 2 < seen
                || joined[i] != b's'
                || joined[i + 1] != b'i'
                || !matches!(joined[i + 2], b'>' | b' ' | b'\t' | b'\r' | b'\n')
            {
                continue;
            }
            let opens = match joined[i - 1] {
                b'<' => true,
                b':' => {
                    let prefix = joined[..i - 1]
                        .iter()
                        .rev()
                        .take_while(|b| {
                            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
                        })
                        .count();
                    i - 1 > prefix && joined[i - 2 - prefix] == b'<'
                }
                _ => false,
            };
            if opens {
                self.strings += 1;
            }
        }
        // Keep enough of the end for a prefixed tag split between two buffers.
        self.tail = joined[n.saturating_sub(32)..].to_vec();
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
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
    fn shared_strings_are_counted_across_buffers() {
        let xml = br#"<?xml version="1.0"?><sst count="3" uniqueCount="3"><si><t>a</t></si><x:si><x:t>b</x:t></x:si><si/><si>
<t>c</t></si></sst>"#;
        for split in 1..xml.len() {
            let mut c = StringCounter::default();
            c.feed(&xml[..split]);
            c.feed(&xml[split..]);
            assert_eq!((c.strings, c.declared), (3, 3), "split at {split}");
        }
    }

    #[test]
    fn garbage_after_zip_magic_is_malformed() {
        let e = check_xlsx_container(b"PK\x03\x04 not really a zip", &Limits::default());
        assert_eq!(e.unwrap_err().code(), "malformed");
    }
}
