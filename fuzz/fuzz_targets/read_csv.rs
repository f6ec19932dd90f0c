//! The spreadsheet reader on text, as an import receives it (`skillbridge_io::read_with`: the
//! same checks, then the CSV reader: UTF-8, UTF-16 and GB18030, the delimiter, quoted line breaks,
//! blank lines counted as rows). Seeded with .csv files (templates, the roster fixtures).
//!
//! Besides "no panic, no hang, no blow-up", a property: a file that is UTF-8 reads exactly the
//! same when saved as UTF-16 (Excel's "Unicode text") or, where it can be, as GB18030 (Excel's
//! "CSV" on a Chinese Windows).
#![no_main]

use libfuzzer_sys::fuzz_target;
use skillbridge_io::{read_with, Format, Limits};

fuzz_target!(|data: &[u8]| {
    let (def, bytes) = skillbridge_fuzz::split_input(data);
    let limits = Limits::default();
    let result = read_with(def, bytes, &limits, &[], &mut |_| {});
    skillbridge_fuzz::check_read(def, &result);

    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Only text that was read as CSV (ASCII text may start with a zip's magic bytes).
    if !matches!(skillbridge_io::sniff(bytes), Ok(Format::Csv)) {
        return;
    }
    let Ok(parsed) = &result else {
        return;
    };
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let again = read_with(def, &utf16, &limits, &[], &mut |_| {});
    assert_eq!(again.as_ref().ok(), Some(parsed), "UTF-16 reads differently");

    let (gb, _, unmappable) = encoding_rs::GB18030.encode(text);
    if !unmappable && std::str::from_utf8(&gb).is_err() {
        let again = read_with(def, &gb, &limits, &[], &mut |_| {});
        assert_eq!(again.as_ref().ok(), Some(parsed), "GB18030 reads differently");
    }
});
