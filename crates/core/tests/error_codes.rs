//! Every field error code the server writes has its own message in both languages
//! (`schema::code_message`): a code missing there would reach the page as the generic
//! "输入有误 / is invalid" whenever its own message is in one language only. The codes are read
//! from the workspace's sources, at every `FieldError::new(field, "code", ...)` and
//! `FieldError::bilingual(field, "code", ...)`, so a new code without a row fails here.

use skillbridge_core::schema::code_message;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The string literal that is the second argument of each call of `FieldError::<ctor>(`.
fn codes_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for ctor in ["FieldError::new(", "FieldError::bilingual("] {
        for (at, _) in text.match_indices(ctor) {
            let args = &text[at + ctor.len()..];
            // Skip the first argument (up to its comma at depth 0).
            let mut depth = 0i32;
            let mut rest = None;
            for (i, c) in args.char_indices() {
                match c {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' if depth == 0 => break,
                    ')' | ']' | '}' => depth -= 1,
                    ',' if depth == 0 => {
                        rest = Some(&args[i + 1..]);
                        break;
                    }
                    _ => {}
                }
            }
            let Some(rest) = rest.map(str::trim_start) else {
                continue;
            };
            if let Some(lit) = rest.strip_prefix('"') {
                if let Some(end) = lit.find('"') {
                    out.push(lit[..end].to_string());
                }
            }
        }
    }
    out
}

#[test]
fn every_field_error_code_has_its_message_in_both_languages() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for krate in ["core", "store", "web", "io", "cli"] {
        rust_files(&crates.join(krate).join("src"), &mut files);
    }
    let mut codes: Vec<(String, PathBuf)> = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        codes.extend(codes_in(&text).into_iter().map(|c| (c, f.clone())));
    }
    assert!(
        codes.iter().any(|(c, _)| c == "required"),
        "the scan finds the codes (it found {})",
        codes.len()
    );
    let generic = code_message("a code nobody uses");
    let missing: Vec<_> = codes
        .iter()
        // `invalid` is the generic code itself.
        .filter(|(c, _)| c != "invalid" && code_message(c) == generic)
        .map(|(c, f)| format!("{c} ({})", f.display()))
        .collect();
    assert!(missing.is_empty(), "codes without a message: {missing:?}");
}

#[test]
fn the_scan_reads_the_code_argument() {
    let text = r#"FieldError::new("start_at", "in_past", "x"); FieldError::bilingual(&f(a, b), "clash", zh, en)"#;
    assert_eq!(codes_in(text), ["in_past", "clash"]);
}
