//! Labels of the coded values (`Kind::Enum`), in Chinese and English. Each module declares the
//! tables of its own enum fields next to its records; this is the machinery that reads them.
//!
//! What it protects: a spreadsheet speaks in labels (`男`, `在读`, `副教授`), the store in codes
//! (`1`, `enrolled`, `associate_professor`). This one table maps both ways, so an export read back
//! gives the same codes, and a label typed by a person is never stored as if it were a code.
//!
//! Why keyed by resource *and* field: several enums share a field name (`kind`, `status`) and some
//! share codes or labels: `enterprise` is 企业 for an organisation but 企业导师 for a mentor, and
//! 企业导师 is the code `mentor` for a contact but `enterprise` for a mentor assignment. The bare
//! field name is accepted only where it is unambiguous; `resource.field` always is.

use crate::ids::normalize_text;
use crate::schema::{Kind, RESOURCES};

/// One coded value and its labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnumLabel {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// The labels of one enum field of one resource, with extra spellings accepted when reading.
#[derive(Debug, PartialEq, Eq)]
pub struct EnumTable {
    pub labels: &'static [EnumLabel],
    /// Other spellings accepted on input (`男性` for `1`); never written.
    pub aliases: &'static [(&'static str, &'static str)],
}

impl EnumTable {
    /// The codes, in the order they are offered.
    pub fn codes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.labels.iter().map(|l| l.code)
    }

    /// Whether `code` is one of the codes (exactly).
    pub fn has(&self, code: &str) -> bool {
        self.labels.iter().any(|l| l.code == code)
    }

    /// The label of `code`, or `None` for a code not in the table.
    pub fn label(&self, code: &str, zh: bool) -> Option<&'static str> {
        self.labels
            .iter()
            .find(|l| l.code == code)
            .map(|l| if zh { l.zh } else { l.en })
    }

    /// The code for `text`: the code itself, its Chinese or English label (English and codes
    /// case-insensitive), or an alias. Surrounding spaces and full-width letters are ignored.
    pub fn code(&self, text: &str) -> Option<&'static str> {
        // Fast path: the exact code or label, as written by an export.
        for l in self.labels {
            if l.code == text || l.zh == text || l.en == text {
                return Some(l.code);
            }
        }
        let t = normalize_text(text);
        for l in self.labels {
            if l.code.eq_ignore_ascii_case(&t) || l.zh == t || l.en.eq_ignore_ascii_case(&t) {
                return Some(l.code);
            }
        }
        self.aliases
            .iter()
            .find(|(a, _)| a.eq_ignore_ascii_case(&t))
            .map(|(_, c)| *c)
    }
}

pub(crate) const fn l(code: &'static str, zh: &'static str, en: &'static str) -> EnumLabel {
    EnumLabel { code, zh, en }
}

/// The table of one enum field of one resource.
pub fn enum_table(resource: &str, field: &str) -> Option<&'static EnumTable> {
    match crate::schema::resource(resource)?.field(field)?.kind {
        Kind::Enum(t) => Some(t),
        _ => None,
    }
}

/// The tables `field` names: `resource.field`, or every resource's field of that name.
fn tables_for(field: &str) -> impl Iterator<Item = &'static EnumTable> + '_ {
    let (res, name) = match field.split_once('.') {
        Some((r, f)) => (Some(r), f),
        None => (None, field),
    };
    RESOURCES
        .iter()
        .filter(move |r| res.is_none_or(|n| r.name == n))
        .flat_map(|r| r.fields.iter())
        .filter_map(move |f| match f.kind {
            Kind::Enum(t) if f.name == name => Some(t),
            _ => None,
        })
}

/// The one answer all candidate tables agree on, or `None` (no answer, or an ambiguous one).
fn agreed(answers: impl Iterator<Item = &'static str>) -> Option<&'static str> {
    let mut found = None;
    for a in answers {
        match found {
            None => found = Some(a),
            Some(f) if f != a => return None,
            Some(_) => {}
        }
    }
    found
}

/// The label of `code` for `field` (`"gender"`, or `"mentors.kind"` where the bare name is
/// shared), in Chinese when `zh`. `None` for an unknown code or an ambiguous bare field name.
pub fn enum_label(field: &str, code: &str, zh: bool) -> Option<&'static str> {
    agreed(tables_for(field).filter_map(|t| t.label(code, zh)))
}

/// The code `text` stands for in `field`: the code itself, a Chinese or English label, or an
/// alias. `None` when unknown, or when a bare field name leaves it ambiguous.
pub fn enum_code(field: &str, text: &str) -> Option<&'static str> {
    agreed(tables_for(field).filter_map(|t| t.code(text)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Every enum field of every record type, with its record's name.
    fn tables() -> Vec<(String, &'static EnumTable)> {
        let mut v = Vec::new();
        for r in RESOURCES.iter() {
            for f in r.fields {
                if let Kind::Enum(t) = f.kind {
                    v.push((format!("{}.{}", r.name, f.name), t));
                }
            }
        }
        v
    }

    #[test]
    fn every_enum_table_has_distinct_codes_and_both_labels() {
        let all = tables();
        assert!(all.len() > 20, "enum fields: {}", all.len());
        for (name, t) in all {
            let mut codes: Vec<&str> = t.codes().collect();
            let n = codes.len();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), n, "{name}: a code twice");
            assert!(n > 0, "{name}: no codes");
            for l in t.labels {
                assert!(!l.zh.is_empty() && !l.en.is_empty(), "{name}: {}", l.code);
            }
        }
    }

    #[test]
    fn every_spelling_means_one_code_within_a_table() {
        for (name, t) in tables() {
            let mut keys: HashMap<String, &str> = HashMap::new();
            let spellings = t
                .labels
                .iter()
                .flat_map(|l| [(l.code, l.code), (l.zh, l.code), (l.en, l.code)])
                .chain(t.aliases.iter().copied());
            for (text, code) in spellings {
                let k = text.to_lowercase();
                if let Some(other) = keys.insert(k, code) {
                    assert_eq!(other, code, "{name}: {text}");
                }
                assert_eq!(t.code(text), Some(code), "{name}: {text}");
            }
            for a in t.aliases {
                assert!(t.has(a.1), "{name}: alias to unknown code");
            }
        }
    }

    #[test]
    fn labels_and_codes_both_ways() {
        assert_eq!(enum_label("gender", "1", true), Some("男"));
        assert_eq!(enum_label("gender", "2", false), Some("Female"));
        assert_eq!(enum_code("gender", "男"), Some("1"));
        assert_eq!(enum_code("gender", " 女 "), Some("2"));
        assert_eq!(enum_code("gender", "male"), Some("1"));
        assert_eq!(enum_code("gender", "9"), Some("9"));
        assert_eq!(enum_code("gender", "男性"), Some("1"));
        assert_eq!(enum_code("students.status", "在读"), Some("enrolled"));
        assert_eq!(enum_code("status", "休学"), Some("suspended"));
        assert_eq!(enum_code("status", "生效"), Some("active"));
        assert_eq!(
            enum_label("title", "associate_professor", true),
            Some("副教授")
        );
        assert_eq!(
            enum_code("title", "ASSOCIATE PROFESSOR"),
            Some("associate_professor")
        );
        assert_eq!(enum_code("ownership", "民营"), Some("private"));
        assert_eq!(enum_code("in_circle", "部分"), Some("partial"));
        assert_eq!(enum_code("gender", "兔"), None);
        assert_eq!(enum_label("gender", "3", true), None);
        // Full-width letters typed with a Chinese input method.
        assert_eq!(enum_code("contacts.kind", "ＨＲ"), Some("hr"));
    }

    #[test]
    fn shared_field_names_need_the_resource_when_ambiguous() {
        // `enterprise` is 企业 for an organisation and 企业导师 for a mentor assignment.
        assert_eq!(enum_label("kind", "enterprise", true), None);
        assert_eq!(
            enum_label("organisations.kind", "enterprise", true),
            Some("企业")
        );
        assert_eq!(
            enum_label("mentors.kind", "enterprise", true),
            Some("企业导师")
        );
        // 企业导师 is `mentor` for a contact and `enterprise` for a mentor assignment.
        assert_eq!(enum_code("kind", "企业导师"), None);
        assert_eq!(enum_code("contacts.kind", "企业导师"), Some("mentor"));
        assert_eq!(enum_code("mentors.kind", "企业导师"), Some("enterprise"));
        // Unambiguous under the bare name.
        assert_eq!(enum_code("kind", "订单班"), Some("order_class"));
        assert_eq!(enum_label("status", "draft", false), Some("Draft"));
        // `other` is 其他 for both ownership and agreement kinds, which are different fields.
        assert_eq!(enum_label("ownership", "other", true), Some("其他"));
        assert_eq!(enum_code("nope", "x"), None);
        assert_eq!(enum_code("students.kind", "企业"), None);
    }
}
