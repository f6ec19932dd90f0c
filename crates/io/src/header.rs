//! Column headers: the labels written, and how a header cell typed by a person is recognised.
//!
//! What it protects: the mapping from a column to a field. A column is taken as a field only when
//! its header is that field's Chinese label, English label (any case) or name, once the decoration
//! people add is removed (spaces, full-width letters, `*` and `（必填）` required markers); anything
//! else is an unknown column and is ignored, never guessed at.

use crate::Lang;
use skillbridge_core::schema::{Field, ResourceDef};
use std::collections::HashMap;

/// The header written for `field` in `lang`.
pub fn header_label(field: &Field, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => field.zh,
        Lang::En => field.en,
    }
}

pub(crate) use skillbridge_core::import::header_key;

/// A college's own header spellings, as the store keeps them: (field name, spelling).
pub type CollegeAliases = [(String, String)];

/// Every spelling a column accepts, in the order they are tried: the built-in ones (labels,
/// name, the field's aliases), then the college's. For the import help.
pub fn accepted_spellings(
    def: &'static ResourceDef,
    college: &CollegeAliases,
) -> Vec<(&'static Field, Vec<String>)> {
    let labels = Labels::new(def, college);
    def.import_fields()
        .map(|f| {
            let mut seen = std::collections::HashSet::new();
            let list = skillbridge_core::import::spellings(f)
                .map(str::to_string)
                .chain(
                    college
                        .iter()
                        .filter(|(field, _)| field == f.name)
                        .map(|(_, a)| a.clone()),
                )
                .filter(|s| labels.field_of(s).is_some_and(|g| g.name == f.name))
                .filter(|s| seen.insert(header_key(s)))
                .collect();
            (f, list)
        })
        .collect()
}

/// The header keys of one record type: its fields and import-only columns, by every spelling.
pub(crate) struct Labels {
    keys: HashMap<String, &'static Field>,
}

impl Labels {
    /// The record type's own spellings, then the college's (`college`: field name, spelling).
    /// A college spelling never overrides a built-in one, nor names an unknown column.
    pub(crate) fn new(def: &'static ResourceDef, college: &CollegeAliases) -> Self {
        let mut keys = HashMap::new();
        for f in def.import_fields() {
            for k in skillbridge_core::import::spellings(f) {
                keys.entry(header_key(k)).or_insert(f);
            }
        }
        for (field, alias) in college {
            if let Some(f) = def.import_field(field) {
                keys.entry(header_key(alias)).or_insert(f);
            }
        }
        Labels { keys }
    }

    /// The field (or import-only column) a header cell names.
    pub(crate) fn field_of(&self, cell: &str) -> Option<&'static Field> {
        if cell.trim().is_empty() {
            return None;
        }
        self.keys.get(&header_key(cell)).copied()
    }

    /// The known column an unrecognised header is close to, as `身份证号 (id_number)`.
    pub(crate) fn suggestion(&self, cell: &str) -> Option<String> {
        let mut shown: Vec<(&str, String)> = self
            .keys
            .iter()
            .map(|(k, f)| (k.as_str(), format!("{} ({})", f.zh, f.name)))
            .collect();
        // In a fixed order: of two spellings equally close, the first is suggested, so the same
        // file gets the same suggestion every time (a map's order changes from run to run).
        shown.sort_unstable();
        skillbridge_core::import::suggest(cell, shown.iter().map(|(k, s)| (*k, s.as_str())))
            .map(str::to_string)
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

    /// Found by the `read_csv` fuzz target (UTF-8 and UTF-16 of one file read differently): of
    /// two spellings equally close to an unknown header, the one suggested followed the order of
    /// a hash map, which differs from one reading to the next. Headers made of two halves of
    /// different spellings are close to both.
    #[test]
    fn the_suggestion_for_a_header_is_the_same_every_time() {
        for def in RESOURCES
            .iter()
            .filter(|d| skillbridge_core::import::importable(d))
        {
            let all: Vec<&str> = def
                .import_fields()
                .flat_map(skillbridge_core::import::spellings)
                .collect();
            let labels: Vec<Labels> = (0..4).map(|_| Labels::new(def, &[])).collect();
            for a in &all {
                for b in all.iter().take(6) {
                    let (ca, cb): (Vec<char>, Vec<char>) =
                        (a.chars().collect(), b.chars().collect());
                    let h: String = ca[..ca.len() / 2]
                        .iter()
                        .chain(&cb[cb.len() / 2..])
                        .collect();
                    let first = labels[0].suggestion(&h);
                    for l in &labels[1..] {
                        assert_eq!(l.suggestion(&h), first, "{}: {h}", def.name);
                    }
                }
            }
        }
    }

    #[test]
    fn decorated_headers_are_recognised() {
        let l = Labels::new(&STUDENTS, &[]);
        let idx = |n: &'static str| Some(n);
        let l = |c: &str| l.field_of(c).map(|f| f.name);
        assert_eq!(l("学号"), idx("student_no"));
        assert_eq!(l(" 学号* "), idx("student_no"));
        assert_eq!(l("*学号"), idx("student_no"));
        assert_eq!(l("身份证号（必填）"), idx("id_number"));
        assert_eq!(l("身份证号\n(必填)*"), idx("id_number"));
        assert_eq!(l("姓　名"), idx("name"));
        assert_eq!(l("STUDENT NUMBER"), idx("student_no"));
        assert_eq!(l("student_no"), idx("student_no"));
        assert_eq!(l("ｓｔｕｄｅｎｔ　ｎｕｍｂｅｒ＊"), idx("student_no"));
        assert_eq!(l("备注"), None);
        assert_eq!(l(""), None);
        assert_eq!(l("*"), None);
    }

    #[test]
    fn office_spellings_and_college_aliases_are_recognised() {
        let college = [
            ("id_number".to_string(), "身份证件号".to_string()),
            // Never overrides a built-in spelling, never names an unknown column.
            ("phone".to_string(), "身份证号码".to_string()),
            ("nickname".to_string(), "昵称".to_string()),
        ];
        let l = Labels::new(&STUDENTS, &college);
        let name = |c: &str| l.field_of(c).map(|f| f.name);
        for (h, f) in [
            ("身份证号码", "id_number"),
            ("证件号码", "id_number"),
            ("公民身份号码", "id_number"),
            ("身份证件号", "id_number"),
            ("手机号码", "phone"),
            ("联系电话", "phone"),
            ("专业名称", "program_id"),
            ("专业代码", "program_code"),
            ("生源地代码", "home_region"),
            ("生源所在地", "home_region"),
            ("班级名称", "class_id"),
            ("出生日期", "birth_date"),
            ("年级", "entry_year"),
        ] {
            assert_eq!(name(h), Some(f), "{h}");
        }
        assert_eq!(name("昵称"), None);
        assert_eq!(
            l.suggestion("身分证号码").as_deref(),
            Some("身份证号 (id_number)")
        );
        assert_eq!(l.suggestion("宿舍号"), None);
        let help = accepted_spellings(&STUDENTS, &college);
        let (_, id) = help.iter().find(|(f, _)| f.name == "id_number").unwrap();
        assert!(id.contains(&"身份证件号".to_string()) && id.contains(&"公民身份号码".to_string()));
        let (_, phone) = help.iter().find(|(f, _)| f.name == "phone").unwrap();
        assert!(
            !phone.contains(&"身份证号码".to_string()),
            "a clashing college alias is not listed"
        );
    }

    #[test]
    fn no_two_fields_of_a_record_share_a_header() {
        for r in RESOURCES {
            let mut seen: HashMap<String, &str> = HashMap::new();
            for f in r.import_fields() {
                let mut own: Vec<String> = skillbridge_core::import::spellings(f)
                    .map(header_key)
                    .collect();
                own.sort();
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
