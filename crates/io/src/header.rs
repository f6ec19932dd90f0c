//! Column headers: the labels written, and how a header cell typed by a person is recognised.
//!
//! What it protects: the mapping from a column to a field. A column is taken as a field only when
//! its header is that field's Chinese label, English label (any case) or name, once the decoration
//! people add is removed (spaces, full-width letters, `*` and `（必填）` required markers); anything
//! else is an unknown column and is ignored, never guessed at.

use crate::Lang;
use skillbridge_core::ids::normalize_text;
use skillbridge_core::schema::{Field, ResourceDef};
use std::collections::HashMap;

/// The header written for `field` in `lang`.
pub fn header_label(field: &Field, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => field.zh,
        Lang::En => field.en,
    }
}

const MARKERS: &[&str] = &["(必填)", "(选填)", "(required)", "(optional)", "*"];

/// The form of a header cell that is compared: full-width converted, no whitespace at all (so
/// `姓　名` and `Student number` with a line break match), no required markers, lowercase.
pub(crate) fn header_key(s: &str) -> String {
    let mut t: String = normalize_text(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    loop {
        let before = t.len();
        for m in MARKERS {
            if let Some(rest) = t.strip_suffix(m) {
                t.truncate(rest.len());
            }
        }
        if let Some(rest) = t.strip_prefix('*') {
            t = rest.to_string();
        }
        if t.len() == before {
            return t;
        }
    }
}

/// The header keys of one record type.
pub(crate) struct Labels {
    keys: HashMap<String, usize>,
}

impl Labels {
    pub(crate) fn new(def: &ResourceDef) -> Self {
        let mut keys = HashMap::new();
        for (i, f) in def.fields.iter().enumerate() {
            for k in [f.zh, f.en, f.name] {
                keys.entry(header_key(k)).or_insert(i);
            }
        }
        Labels { keys }
    }

    /// The index in `def.fields` of the field a header cell names.
    pub(crate) fn field_of(&self, cell: &str) -> Option<usize> {
        if cell.trim().is_empty() {
            return None;
        }
        self.keys.get(&header_key(cell)).copied()
    }
}

/// The labels a header is expected to contain, for the "no header" message.
pub(crate) fn expected(def: &ResourceDef) -> String {
    def.fields
        .iter()
        .map(|f| format!("{} ({})", f.zh, f.en))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use skillbridge_core::modules::college::STUDENTS;
    use skillbridge_core::schema::RESOURCES;

    #[test]
    fn decorated_headers_are_recognised() {
        let l = Labels::new(&STUDENTS);
        let idx = |n: &str| STUDENTS.fields.iter().position(|f| f.name == n);
        assert_eq!(l.field_of("学号"), idx("student_no"));
        assert_eq!(l.field_of(" 学号* "), idx("student_no"));
        assert_eq!(l.field_of("*学号"), idx("student_no"));
        assert_eq!(l.field_of("身份证号（必填）"), idx("id_number"));
        assert_eq!(l.field_of("身份证号\n(必填)*"), idx("id_number"));
        assert_eq!(l.field_of("姓　名"), idx("name"));
        assert_eq!(l.field_of("STUDENT NUMBER"), idx("student_no"));
        assert_eq!(l.field_of("student_no"), idx("student_no"));
        assert_eq!(
            l.field_of("ｓｔｕｄｅｎｔ　ｎｕｍｂｅｒ＊"),
            idx("student_no")
        );
        assert_eq!(l.field_of("备注"), None);
        assert_eq!(l.field_of(""), None);
        assert_eq!(l.field_of("*"), None);
    }

    #[test]
    fn no_two_fields_of_a_record_share_a_header() {
        for r in RESOURCES {
            let mut seen: HashMap<String, &str> = HashMap::new();
            for f in r.fields {
                let mut own: Vec<String> =
                    [f.zh, f.en, f.name].iter().map(|k| header_key(k)).collect();
                own.dedup();
                for k in own {
                    if let Some(other) = seen.insert(k.clone(), f.name) {
                        assert_eq!(other, f.name, "{}: header {k:?}", r.name);
                    }
                }
            }
        }
    }
}
