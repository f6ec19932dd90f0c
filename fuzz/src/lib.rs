//! What the fuzz targets share: how an input names the record type a file is imported as, and the
//! checks every successful read must pass.
//!
//! A spreadsheet input is `NAME\n` followed by the file's bytes, `NAME` being the record type
//! (`students`), as the import's URL names it. The seeds are written that way (.ci/fuzz.sh); a
//! mutated input whose first line is not an importable name still picks one, from the line's
//! bytes, so every input is read as some record type.

use skillbridge_core::import::importable_names;
use skillbridge_core::schema::{resource, ResourceDef};
use skillbridge_io::{IoError, Parsed};
use std::sync::{Once, OnceLock};

/// libFuzzer's panic hook aborts on every panic, before any unwinding. The spreadsheet reader
/// contains panics raised inside calamine (it refuses the file as damaged: `xlsx_read::contained`
/// in the io crate), so the targets that read spreadsheets put back a hook that aborts on every
/// panic except one raised in calamine's own source, which unwinds to that containment. A panic
/// anywhere else, this project's code above all, still ends the run as a crash.
pub fn abort_on_panics_outside_calamine() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_calamine = info
                .location()
                .is_some_and(|l| l.file().contains("/calamine-"));
            if !in_calamine {
                default(info);
                std::process::abort();
            }
        }));
    });
}

/// Every importable record type, in the registry's order.
pub fn importable() -> &'static [&'static ResourceDef] {
    static DEFS: OnceLock<Vec<&'static ResourceDef>> = OnceLock::new();
    DEFS.get_or_init(|| {
        importable_names()
            .into_iter()
            .map(|n| resource(n).expect("an importable name is a resource"))
            .collect()
    })
}

/// The record type an input is read as, and the file's bytes.
pub fn split_input(data: &[u8]) -> (&'static ResourceDef, &[u8]) {
    let defs = importable();
    let Some(nl) = data.iter().take(40).position(|&b| b == b'\n') else {
        return (defs[data.len() % defs.len()], data);
    };
    let (name, rest) = (&data[..nl], &data[nl + 1..]);
    let named = std::str::from_utf8(name)
        .ok()
        .and_then(|n| defs.iter().copied().find(|d| d.name == n));
    let def = named.unwrap_or_else(|| {
        let h = name
            .iter()
            .fold(0usize, |h, &b| h.wrapping_mul(31).wrapping_add(usize::from(b)));
        defs[h % defs.len()]
    });
    (def, rest)
}

/// What must hold of any file that was read: the header within the first 30 rows, data rows
/// below it in increasing order, only recognised columns' fields in a row, every issue on a row
/// of the file, and each refusal with a code and a Chinese message.
pub fn check_read(def: &'static ResourceDef, result: &Result<Parsed, IoError>) {
    let parsed = match result {
        Ok(p) => p,
        Err(e) => {
            assert!(!e.code().is_empty());
            assert!(!e.message_zh().is_empty());
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    assert!(
        (1..=30).contains(&parsed.header_row),
        "header on row {}",
        parsed.header_row
    );
    let recognised: Vec<&str> = parsed.columns.iter().filter_map(|c| c.1).collect();
    for f in &recognised {
        assert!(def.import_field(f).is_some(), "column {f} is not a field of {}", def.name);
    }
    let mut last = parsed.header_row;
    for r in &parsed.rows {
        assert!(r.row > last, "row {} after row {last}", r.row);
        last = r.row;
        for k in r.values.keys() {
            assert!(recognised.contains(&k.as_str()), "value for {k}, not a column read");
        }
    }
    for i in &parsed.issues {
        assert!(i.row >= parsed.header_row, "issue on row {} above the header", i.row);
        assert!(!i.code.is_empty() && !i.reason.is_empty());
    }
}
