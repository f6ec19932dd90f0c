//! What an import reports, and the key it matches rows on. Shared by the spreadsheet crate
//! (which reads cells) and the store (which validates against existing rows and commits).

use crate::ids::normalize_text;
use crate::schema::{Field, ResourceDef};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One problem in one cell (or one row, when `column` is empty). Sent with its reason in each
/// language (`reason_zh`, `reason_en`; `reason` as written), never glued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowIssue {
    /// The row number as the user sees it in the file (1-based, counting title and header rows).
    pub row: usize,
    /// The column header as written in the file (e.g. `身份证号`), or the field name.
    pub column: String,
    /// The field name (`id_number`).
    pub field: String,
    /// The cell's value as read (masked when it is a personal field).
    pub value: String,
    /// A stable machine code: `invalid_id_number`, `required`, `duplicate_in_file`, ...
    pub code: String,
    /// Why, in words.
    pub reason: String,
}

/// How many problems a report lists one by one; the rest are counted (by code, and in total)
/// but not kept, so that a file of a million bad rows costs a report of a thousand.
pub const MAX_LISTED_ISSUES: usize = 1000;

/// How many distinct repeated problems [`ImportReport::groups`] follows, and how many row
/// ranges each keeps before it ends with `…`.
pub const MAX_GROUPS: usize = 1000;
pub const MAX_GROUP_RANGES: usize = 100;

/// The outcome of an import. Nothing is committed unless `issues_total` is 0 (then `issues` is
/// empty too). Problems are added with [`ImportReport::add_issue`], in row order, and the report
/// is closed with [`ImportReport::finish`]; its size does not grow with the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub committed: bool,
    /// Every row matched an existing record with the same values: nothing to do.
    pub already_imported: bool,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// The first [`MAX_LISTED_ISSUES`] problems, in row order.
    pub issues: Vec<RowIssue>,
    /// Every problem found, listed in `issues` or not.
    pub issues_total: usize,
    /// `issues` stops before the last problem (`issues_total` is larger than its length).
    pub issues_truncated: bool,
    /// Every problem found, counted by its code (`required`, `duplicate_in_file`...).
    pub issue_counts: BTreeMap<String, usize>,
    /// The problems that repeat on several rows (the same column, code, value and reason), each
    /// once with its count and the rows it covers, over the whole file (not only the listed
    /// problems): a missing column reads as one line, not a thousand. Problems on a single row
    /// are in `issues` only. The first [`MAX_GROUPS`] distinct problems are followed.
    pub groups: Vec<IssueGroup>,
    /// What was read but not used, such as a column the importer does not know. Warnings do not
    /// block the import.
    pub warnings: Vec<ImportWarning>,
    #[serde(skip)]
    grouping: Grouping,
}

impl ImportReport {
    /// Counts a problem, follows it in `groups`, and lists it while fewer than
    /// [`MAX_LISTED_ISSUES`] are listed.
    pub fn add_issue(&mut self, issue: RowIssue) {
        self.issues_total += 1;
        match self.issue_counts.get_mut(&issue.code) {
            Some(n) => *n += 1,
            None => {
                self.issue_counts.insert(issue.code.clone(), 1);
            }
        }
        self.grouping.add(&issue);
        if self.issues.len() < MAX_LISTED_ISSUES {
            self.issues.push(issue);
        } else {
            self.issues_truncated = true;
        }
    }

    /// Whether any problem was found (listed or not).
    pub fn has_issues(&self) -> bool {
        self.issues_total > 0
    }

    /// Writes `groups` from what [`ImportReport::add_issue`] followed.
    pub fn finish(&mut self) {
        self.groups = self.grouping.groups();
    }
}

/// Problems followed by their (column, field, code, value, reason), bounded by [`MAX_GROUPS`]
/// and [`MAX_GROUP_RANGES`]. Looked up by a hash of the five texts, so that a problem already
/// followed costs no allocation.
#[derive(Debug, Clone, Default)]
struct Grouping {
    /// Hash of the key → the groups with that hash.
    index: HashMap<u64, Vec<usize>>,
    list: Vec<Followed>,
    hasher: std::hash::RandomState,
}

/// One problem followed by [`Grouping`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct Followed {
    /// Column, field, code, value, reason.
    key: [String; 5],
    /// Rows counted.
    count: usize,
    /// Row ranges (first, last), at most [`MAX_GROUP_RANGES`].
    ranges: Vec<(usize, usize)>,
    /// Some ranges were left out.
    more: bool,
}

impl PartialEq for Grouping {
    fn eq(&self, other: &Self) -> bool {
        self.list == other.list
    }
}

impl Eq for Grouping {}

impl Grouping {
    fn add(&mut self, i: &RowIssue) {
        let key = [&i.column, &i.field, &i.code, &i.value, &i.reason];
        let h = std::hash::BuildHasher::hash_one(&self.hasher, key);
        let same = self
            .index
            .get(&h)
            .and_then(|at| at.iter().find(|&&at| self.list[at].key.iter().eq(key)));
        let at = match same {
            Some(&at) => at,
            None if self.list.len() < MAX_GROUPS => {
                self.index.entry(h).or_default().push(self.list.len());
                self.list.push(Followed {
                    key: key.map(String::clone),
                    count: 0,
                    ranges: Vec::new(),
                    more: false,
                });
                self.list.len() - 1
            }
            None => return,
        };
        let f = &mut self.list[at];
        let n = f.ranges.len();
        match f.ranges.last_mut() {
            Some((_, last)) if *last == i.row => return, // the same row again
            Some((_, last)) if *last + 1 == i.row => *last = i.row,
            _ if n < MAX_GROUP_RANGES => f.ranges.push((i.row, i.row)),
            _ => f.more = true,
        }
        f.count += 1;
    }

    fn groups(&self) -> Vec<IssueGroup> {
        self.list
            .iter()
            .filter(|f| f.count >= 2)
            .map(|f| {
                let k = &f.key;
                let mut rows: Vec<String> = f
                    .ranges
                    .iter()
                    .map(|&(a, b)| {
                        if a == b {
                            a.to_string()
                        } else {
                            format!("{a}–{b}")
                        }
                    })
                    .collect();
                if f.more {
                    rows.push("…".to_string());
                }
                IssueGroup {
                    column: k[0].clone(),
                    field: k[1].clone(),
                    code: k[2].clone(),
                    value: k[3].clone(),
                    reason: k[4].clone(),
                    count: f.count,
                    rows: rows.join(", "),
                }
            })
            .collect()
    }
}

/// One problem repeated on several rows (sent like [`RowIssue`], with `reason_zh` and
/// `reason_en`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueGroup {
    pub column: String,
    pub field: String,
    pub value: String,
    pub code: String,
    pub reason: String,
    /// On how many rows.
    pub count: usize,
    /// The rows as ranges: `3–1002, 1005`.
    pub rows: String,
}

/// Something in the file that was not used; the import goes ahead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportWarning {
    /// The column header as written.
    pub column: String,
    /// `ignored_column`.
    pub code: String,
    pub reason: String,
    /// The known column it is close to, when there is one: `身份证号 (id_number)`.
    pub suggestion: Option<String>,
}

/// Groups the issues that repeat on several rows (same column, field, code, value and reason),
/// in the order of their first row.
pub fn group_issues(issues: &[RowIssue]) -> Vec<IssueGroup> {
    let mut order: Vec<(&str, &str, &str, &str, &str)> = Vec::new();
    let mut rows: std::collections::HashMap<(&str, &str, &str, &str, &str), Vec<usize>> =
        std::collections::HashMap::new();
    for i in issues {
        let k = (
            i.column.as_str(),
            i.field.as_str(),
            i.code.as_str(),
            i.value.as_str(),
            i.reason.as_str(),
        );
        let e = rows.entry(k).or_default();
        if e.is_empty() {
            order.push(k);
        }
        e.push(i.row);
    }
    order
        .into_iter()
        .filter_map(|k| {
            let mut r = rows.remove(&k)?;
            if r.len() < 2 {
                return None;
            }
            r.sort_unstable();
            r.dedup();
            Some(IssueGroup {
                column: k.0.to_string(),
                field: k.1.to_string(),
                code: k.2.to_string(),
                value: k.3.to_string(),
                reason: k.4.to_string(),
                count: r.len(),
                rows: row_ranges(&r),
            })
        })
        .collect()
}

/// Sorted row numbers as ranges: `[3, 4, 5, 9]` → `3–5, 9`.
pub fn row_ranges(rows: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let mut j = i;
        while j + 1 < rows.len() && rows[j + 1] == rows[j] + 1 {
            j += 1;
        }
        out.push(if j == i {
            rows[i].to_string()
        } else {
            format!("{}–{}", rows[i], rows[j])
        });
        i = j + 1;
    }
    out.join(", ")
}

/// Headers longer than this (in characters, as a header key) get no suggestion.
const MAX_SUGGESTED: usize = 128;

/// The known column a header the importer does not recognise is probably meant to be, by its
/// spellings: one edit away (two for longer headers), or sharing most of its characters.
/// `spellings` are (header key, what to suggest); `written` is compared as a header key.
pub fn suggest<'a>(
    written: &str,
    spellings: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Option<&'a str> {
    let w: Vec<char> = header_key(written).chars().collect();
    // No spelling is near a header this long, and comparing one costs its length times theirs.
    if w.is_empty() || w.len() > MAX_SUGGESTED {
        return None;
    }
    let mut best: Option<(usize, &str)> = None;
    for (key, what) in spellings {
        let k: Vec<char> = key.chars().collect();
        let d = edit_distance(&w, &k);
        let longest = w.len().max(k.len());
        let shared = w.iter().filter(|c| k.contains(c)).count();
        let close = (d <= 1 && longest >= 2)
            || (d <= 2 && longest >= 5)
            || (shared >= 2 && shared * 3 >= w.len() * 2 && shared * 3 >= k.len() * 2);
        if close && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, what));
        }
    }
    best.map(|(_, w)| w)
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The field whose value identifies a row across imports (the natural key, declared by the
/// record type's module), if the record type can be imported. Organisations match on the credit
/// code, or on the name when there is none (foreign institutions).
pub fn import_key(def: &ResourceDef) -> Option<&'static str> {
    def.import_key.first().copied()
}

/// Further fields of a composite natural key, after [`import_key`]: an application is known by
/// its student (number) and order class (name).
pub fn import_key_also(def: &ResourceDef) -> &'static [&'static str] {
    def.import_key.get(1..).unwrap_or(&[])
}

/// Whether the record type has spreadsheet import and export.
pub fn importable(def: &ResourceDef) -> bool {
    !def.import_key.is_empty()
}

/// The names of the record types with spreadsheet import and export.
pub fn importable_names() -> Vec<&'static str> {
    crate::schema::RESOURCES
        .iter()
        .filter(|d| importable(d))
        .map(|d| d.name)
        .collect()
}

/// The value a new record gets when its file has no such column (or leaves it empty): a roster of
/// new students has no status column, and they are enrolled.
pub fn default_for_new(def: &ResourceDef, field: &str) -> Option<&'static str> {
    def.import_defaults
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, v)| *v)
}

const MARKERS: &[&str] = &["(必填)", "(选填)", "(required)", "(optional)", "*"];

/// The form of a header cell that is compared: full-width converted, no whitespace at all (so
/// `姓　名` and `Student number` with a line break match), no required markers, lowercase.
pub fn header_key(s: &str) -> String {
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

/// Every header spelling a column accepts from the code: its Chinese label, its English label,
/// its name, then its aliases (the college's own come from the store).
pub fn spellings(f: &Field) -> impl Iterator<Item = &'static str> {
    [f.zh, f.en, f.name]
        .into_iter()
        .chain(f.aliases.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(row: usize, field: &str, value: &str) -> RowIssue {
        RowIssue {
            row,
            column: field.into(),
            field: field.into(),
            value: value.into(),
            code: "required".into(),
            reason: "is required".into(),
        }
    }

    #[test]
    fn repeated_problems_are_grouped_with_their_rows() {
        let mut issues: Vec<RowIssue> = (3..=1002).map(|r| issue(r, "id_number", "")).collect();
        issues.push(issue(1005, "id_number", ""));
        issues.push(issue(7, "phone", "123"));
        let g = group_issues(&issues);
        assert_eq!(g.len(), 1, "a problem on one row is not a group");
        assert_eq!(g[0].count, 1001);
        assert_eq!(g[0].rows, "3–1002, 1005");
        assert_eq!(g[0].field, "id_number");
        assert_eq!(row_ranges(&[1, 3, 4, 5, 9]), "1, 3–5, 9");
        assert_eq!(row_ranges(&[]), "");
    }

    #[test]
    fn a_report_lists_the_first_thousand_problems_and_counts_them_all() {
        let mut r = ImportReport::default();
        // Rows 2..=500,001: a bad ID number on each, and a missing name on every other row.
        for row in 2..=500_001usize {
            let mut i = issue(row, "id_number", &format!("x{row}"));
            i.code = "invalid_id_number".into();
            r.add_issue(i);
            if row % 2 == 0 {
                r.add_issue(issue(row, "name", ""));
            }
        }
        r.finish();
        assert_eq!(r.issues.len(), MAX_LISTED_ISSUES);
        assert!(r.issues_truncated);
        assert_eq!(r.issues_total, 750_000);
        assert_eq!(r.issue_counts["invalid_id_number"], 500_000);
        assert_eq!(r.issue_counts["required"], 250_000);
        assert_eq!(r.issue_counts.values().sum::<usize>(), r.issues_total);
        // The first problems, in row order.
        assert_eq!(
            (r.issues[0].row, r.issues[1].row, r.issues[2].row),
            (2, 2, 3)
        );
        assert_eq!(r.issues.last().map(|i| i.row), Some(668));
        // The missing name is one group over the whole file; its rows are every other row,
        // so the ranges stop after MAX_GROUP_RANGES with an ellipsis.
        assert_eq!(r.groups.len(), 1, "distinct values are not groups");
        assert_eq!(r.groups[0].count, 250_000);
        assert_eq!(r.groups[0].rows.split(", ").count(), MAX_GROUP_RANGES + 1);
        assert!(r.groups[0].rows.starts_with("2, 4, 6") && r.groups[0].rows.ends_with('…'));
        // A short report is complete and not truncated.
        let mut small = ImportReport::default();
        for row in [3, 4, 5, 9] {
            small.add_issue(issue(row, "name", ""));
        }
        small.add_issue(issue(7, "phone", "123"));
        small.finish();
        assert!(!small.issues_truncated && small.issues.len() == 5 && small.issues_total == 5);
        assert_eq!(small.groups.len(), 1);
        assert_eq!(
            (small.groups[0].count, small.groups[0].rows.as_str()),
            (4, "3–5, 9")
        );
        assert!(!ImportReport::default().has_issues() && small.has_issues());
    }

    #[test]
    fn every_spelling_is_well_under_the_suggestion_cap() {
        for def in crate::schema::RESOURCES.iter() {
            for f in def.import_fields() {
                for sp in spellings(f) {
                    let n = header_key(sp).chars().count();
                    assert!(
                        n * 2 <= MAX_SUGGESTED,
                        "{}.{}: {sp} ({n})",
                        def.name,
                        f.name
                    );
                }
            }
        }
    }

    #[test]
    fn header_keys_drop_decoration() {
        assert_eq!(header_key(" 身份证号（必填）* "), "身份证号");
        assert_eq!(header_key("Student Number"), "studentnumber");
    }

    #[test]
    fn close_headers_get_a_suggestion_and_others_none() {
        let known = [
            ("身份证号", "身份证号 (id_number)"),
            ("学号", "学号 (student_no)"),
            ("手机号码", "手机号码 (phone)"),
        ];
        assert_eq!(suggest("身分证号", known), Some("身份证号 (id_number)"));
        assert_eq!(suggest("手机号", known), Some("手机号码 (phone)"));
        assert_eq!(suggest("宿舍号", known), None);
        assert_eq!(suggest("备注", known), None);
        assert_eq!(suggest("", known), None);
        // A header of thousands of characters is compared with no spelling (each comparison
        // costs both lengths multiplied); no spelling is long enough for the cap to hide it.
        assert_eq!(suggest(&"身份证号".repeat(2_000), known), None);
    }
}

/// The serialised form of a report's problem: its reason in each language beside the one written.
fn serialize_issue<S: serde::Serializer>(
    s: S,
    fields: &[(&'static str, &dyn erased::Field)],
    code: &str,
    reason: &str,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let (zh, en) = crate::schema::in_both_languages(code, reason);
    let mut m = s.serialize_map(Some(fields.len() + 2))?;
    for (k, v) in fields {
        m.serialize_entry(k, &erased::Wrap(*v))?;
    }
    m.serialize_entry("reason_zh", &zh)?;
    m.serialize_entry("reason_en", &en)?;
    m.end()
}

mod erased {
    /// A field value of a problem: text or a count.
    pub trait Field {
        fn value(&self) -> serde_json::Value;
    }
    impl Field for String {
        fn value(&self) -> serde_json::Value {
            serde_json::Value::String(self.clone())
        }
    }
    impl Field for usize {
        fn value(&self) -> serde_json::Value {
            serde_json::Value::from(*self)
        }
    }
    pub struct Wrap<'a>(pub &'a dyn Field);
    impl serde::Serialize for Wrap<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            self.0.value().serialize(s)
        }
    }
}

impl Serialize for RowIssue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_issue(
            s,
            &[
                ("row", &self.row),
                ("column", &self.column),
                ("field", &self.field),
                ("value", &self.value),
                ("code", &self.code),
                ("reason", &self.reason),
            ],
            &self.code,
            &self.reason,
        )
    }
}

impl Serialize for IssueGroup {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_issue(
            s,
            &[
                ("column", &self.column),
                ("field", &self.field),
                ("value", &self.value),
                ("code", &self.code),
                ("reason", &self.reason),
                ("count", &self.count),
                ("rows", &self.rows),
            ],
            &self.code,
            &self.reason,
        )
    }
}

#[cfg(test)]
mod reason_tests {
    use super::RowIssue;

    #[test]
    fn a_problem_is_sent_with_its_reason_in_each_language() {
        let i = RowIssue {
            row: 3,
            column: "面试成绩".into(),
            field: "interview_score".into(),
            value: "150".into(),
            code: "out_of_range".into(),
            reason: "must be between 0 and 100".into(),
        };
        let v = serde_json::to_value(&i).unwrap();
        assert_eq!(v["row"], 3);
        assert_eq!(v["reason"], "must be between 0 and 100");
        assert_eq!(v["reason_en"], "must be between 0 and 100");
        assert_eq!(v["reason_zh"], "超出允许范围");
        let v = serde_json::to_value(RowIssue {
            reason: "与身份证号不符".into(),
            code: "disagrees".into(),
            ..i
        })
        .unwrap();
        assert_eq!(
            (v["reason_zh"].as_str(), v["reason_en"].as_str()),
            (
                Some("与身份证号不符"),
                Some("disagrees with another column")
            )
        );
    }
}
