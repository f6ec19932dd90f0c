//! Place names to division codes: `重庆市万州区`, `万州区` or `重庆万州` to `500101`.
//!
//! What it protects: a home region written by name by an admissions office lands on the one
//! division it names, or is refused with the candidates listed; it is never guessed at. A name
//! is accepted when it is the division's own name, optionally preceded by the names of its
//! ancestors (province, then city), each name in full or without its suffix (`重庆` for `重庆市`,
//! `万州` for `万州区`). Placeholder levels such as `市辖区` (the "districts under the city" row of
//! GB/T 2260) are not names and are skipped. The index is built once per import from the rows of
//! the reference table (so an administrator's edits count) and each lookup is one hash probe.
//!
//! The facts that make a reference table searchable by name are declared with the table
//! ([`PlaceNames`], `ResourceDef::place_names`): which columns hold the name and the parent
//! code, which names are placeholders, which suffixes may be left out.

use std::collections::HashMap;

/// How a hierarchical code table is searched by name (declared by its record type).
#[derive(Debug)]
pub struct PlaceNames {
    /// The column holding a division's name.
    pub name: &'static str,
    /// The column holding the parent division's code.
    pub parent: &'static str,
    /// Names that stand for a grouping rather than a place (`市辖区`, `县`): skipped.
    pub placeholders: &'static [&'static str],
    /// Suffixes a person may leave out (`省`, `市`, `区`, `县`), longest first.
    pub suffixes: &'static [&'static str],
}

/// One row of the reference table: code, name, parent code.
pub struct PlaceRow {
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
}

/// A division a name may refer to: its code and its full name (`重庆市万州区`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub code: String,
    pub full_name: String,
}

/// What a written place resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Exactly one division.
    One(String),
    /// Several: the candidates, ordered by code.
    Ambiguous(Vec<Candidate>),
    /// None.
    Unknown,
}

/// Every accepted spelling of every division, to the divisions it may mean.
pub struct PlaceIndex {
    by_spelling: HashMap<String, Vec<usize>>,
    candidates: Vec<Candidate>,
}

/// The comparable form of a written name: no whitespace, full-width characters converted.
fn spelling_key(s: &str) -> String {
    crate::ids::normalize_text(s)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '·')
        .collect()
}

impl PlaceIndex {
    pub fn new(decl: &PlaceNames, rows: impl IntoIterator<Item = PlaceRow>) -> Self {
        let rows: Vec<PlaceRow> = rows.into_iter().collect();
        let by_code: HashMap<&str, &PlaceRow> = rows.iter().map(|r| (r.code.as_str(), r)).collect();
        let is_place = |r: &PlaceRow| !decl.placeholders.contains(&r.name.as_str());
        // The forms of one name: in full, and without a suffix when at least two characters stay.
        let forms = |name: &str| -> Vec<String> {
            let full = spelling_key(name);
            let mut out = vec![full.clone()];
            if let Some(s) = decl.suffixes.iter().find(|s| full.ends_with(**s)) {
                let short = &full[..full.len() - s.len()];
                if short.chars().count() >= 2 {
                    out.push(short.to_string());
                }
            }
            out
        };
        let mut index = PlaceIndex {
            by_spelling: HashMap::new(),
            candidates: Vec::new(),
        };
        for r in rows.iter().filter(|r| is_place(r)) {
            // The named ancestors, nearest last (at most a province and a city above a county).
            let mut ancestors: Vec<&str> = Vec::new();
            let mut at = r.parent.as_deref();
            let mut guard = 0;
            while let Some(code) = at {
                let Some(p) = by_code.get(code) else { break };
                if is_place(p) {
                    ancestors.push(&p.name);
                }
                at = p.parent.as_deref();
                guard += 1;
                if guard > 8 {
                    break; // a cycle in edited data: stop rather than loop
                }
            }
            ancestors.reverse();
            let full_name: String = ancestors.iter().copied().chain([r.name.as_str()]).collect();
            let n = index.candidates.len();
            index.candidates.push(Candidate {
                code: r.code.clone(),
                full_name,
            });
            // Any subsequence of the ancestors, each in any form, then the division itself.
            let mut prefixes: Vec<String> = vec![String::new()];
            for a in &ancestors {
                let mut next = prefixes.clone();
                for p in &prefixes {
                    for f in forms(a) {
                        next.push(format!("{p}{f}"));
                    }
                }
                prefixes = next;
            }
            for p in &prefixes {
                for f in forms(&r.name) {
                    let e = index.by_spelling.entry(format!("{p}{f}")).or_default();
                    if !e.contains(&n) {
                        e.push(n);
                    }
                }
            }
        }
        index
    }

    /// The division a written name means.
    pub fn resolve(&self, written: &str) -> Resolved {
        match self
            .by_spelling
            .get(&spelling_key(written))
            .map(Vec::as_slice)
        {
            None | Some([]) => Resolved::Unknown,
            Some([one]) => Resolved::One(self.candidates[*one].code.clone()),
            Some(many) => {
                let mut c: Vec<Candidate> =
                    many.iter().map(|i| self.candidates[*i].clone()).collect();
                c.sort_by(|a, b| a.code.cmp(&b.code));
                Resolved::Ambiguous(c)
            }
        }
    }
}

/// The message for an ambiguous name: every candidate with its full name and code.
pub fn ambiguous_message(written: &str, candidates: &[Candidate]) -> String {
    let list: Vec<String> = candidates
        .iter()
        .map(|c| format!("{} ({})", c.full_name, c.code))
        .collect();
    format!(
        "{written} names several places: {}; write the full name or the code",
        list.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modules::reference::REGIONS;

    fn index() -> PlaceIndex {
        let rows = crate::reference::regions().into_iter().map(|r| {
            let s = |k: &str| r.get(k).and_then(|v| v.as_str()).map(str::to_string);
            PlaceRow {
                code: s("code").unwrap(),
                name: s("name").unwrap(),
                parent: s("parent_code"),
            }
        });
        PlaceIndex::new(REGIONS.place_names.unwrap(), rows)
    }

    #[test]
    fn a_county_by_full_name_own_name_or_short_names() {
        let ix = index();
        for w in [
            "重庆市万州区",
            "万州区",
            "重庆万州",
            "重庆 万州区",
            "万州",
            "重庆市万州",
        ] {
            assert_eq!(ix.resolve(w), Resolved::One("500101".into()), "{w}");
        }
        assert_eq!(
            ix.resolve("浙江省宁波市江北区"),
            Resolved::One("330205".into())
        );
        assert_eq!(ix.resolve("宁波江北"), Resolved::One("330205".into()));
        assert_eq!(ix.resolve("重庆市"), Resolved::One("500000".into()));
        assert_eq!(ix.resolve("重庆市江北区"), Resolved::One("500105".into()));
    }

    #[test]
    fn an_ambiguous_name_lists_every_candidate() {
        let ix = index();
        let Resolved::Ambiguous(c) = ix.resolve("江北区") else {
            panic!("江北区 is in Chongqing and in Ningbo");
        };
        assert_eq!(
            c,
            vec![
                Candidate {
                    code: "330205".into(),
                    full_name: "浙江省宁波市江北区".into()
                },
                Candidate {
                    code: "500105".into(),
                    full_name: "重庆市江北区".into()
                },
            ]
        );
        let m = ambiguous_message("江北区", &c);
        assert!(m.contains("重庆市江北区 (500105)") && m.contains("浙江省宁波市江北区 (330205)"));
    }

    #[test]
    fn placeholders_and_unknown_names_are_not_places() {
        let ix = index();
        assert_eq!(ix.resolve("市辖区"), Resolved::Unknown);
        assert_eq!(ix.resolve("火星市"), Resolved::Unknown);
        assert_eq!(ix.resolve(""), Resolved::Unknown);
    }

    #[test]
    fn a_cycle_in_edited_data_ends() {
        let decl = REGIONS.place_names.unwrap();
        let rows = vec![
            PlaceRow {
                code: "1".into(),
                name: "甲市".into(),
                parent: Some("2".into()),
            },
            PlaceRow {
                code: "2".into(),
                name: "乙省".into(),
                parent: Some("1".into()),
            },
        ];
        let ix = PlaceIndex::new(decl, rows);
        assert!(matches!(ix.resolve("甲市"), Resolved::One(_)));
    }
}
