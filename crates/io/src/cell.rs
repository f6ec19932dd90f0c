//! One cell to one value, by the kind of its field.
//!
//! What it protects: the values that reach validation. A cell is turned into the text a person
//! meant (`2024001` rather than `2024001.0`, `2024-09-01` rather than `45536`, `1` rather than
//! `男`), or into an issue when the file has already lost the value: an ID number that Excel
//! stored as a number keeps only 15 significant digits, so its last three digits are gone and no
//! cleaning can bring them back; the row must be entered again. Nothing is validated here beyond
//! that; `core::schema::parse_value` does it for the store.

use skillbridge_core::ids::normalize_text;
use skillbridge_core::labels::EnumTable;
use skillbridge_core::schema::{mask, Field, Kind, Pii};
use std::borrow::Cow;

/// A cell as a reader found it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Raw<'a> {
    Empty,
    Text(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A cell with a date format, already converted: year, month, day.
    Date(u16, u8, u8),
    /// An error value such as `#N/A`.
    Error(String),
}

/// What a cell became.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cleaned {
    Empty,
    Value(String),
    Issue {
        code: &'static str,
        reason: &'static str,
        /// The value as read, masked for a personal field.
        shown: String,
    },
}

/// A recognised column: its field and what cleaning it needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ColSpec {
    pub field: &'static Field,
    pub table: Option<&'static EnumTable>,
}

pub(crate) const ID_AS_NUMBER: &str = "stored as a number: Excel keeps only 15 digits, so the last digits are lost; format the column as text and enter it again";
const LONG_NUMBER: &str = "stored as a number with more than 15 digits: Excel keeps only 15, so digits are lost; format the column as text and enter it again";
const CELL_ERROR: &str = "the cell holds an Excel error value: enter the value itself";
pub(crate) const FORMULA: &str = "formulas are not accepted: paste the values";

/// Characters that make a spreadsheet program read text as a formula.
const TRIGGERS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// Whether `s` would be read as a formula, or is text that only looks neutralised already (so
/// that `'=x` written by a person survives a round trip as `'=x`).
pub(crate) fn needs_quote(s: &str) -> bool {
    match s.chars().next() {
        Some(c) if TRIGGERS.contains(&c) => true,
        Some('\'') => needs_quote(&s[1..]),
        _ => false,
    }
}

/// Undoes the `'` that [`crate::write`] puts before formula-like text.
pub(crate) fn unquote(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => s,
    }
}

/// `core::ids::normalize_text` (full-width to ASCII, trim) without allocating when the text has
/// no full-width characters, which is nearly always.
pub(crate) fn clean_text(s: &str) -> Cow<'_, str> {
    // Full-width ASCII variants are EF BC xx / EF BD xx in UTF-8; the ideographic space E3 80 80.
    if s.bytes().any(|b| b == 0xEF || b == 0xE3) {
        Cow::Owned(normalize_text(s))
    } else {
        Cow::Borrowed(s.trim())
    }
}

/// `5.00106E+17`: how Excel shows (and writes to CSV) a long number in a General cell.
fn is_scientific(s: &str) -> bool {
    let Some((mantissa, exp)) = s.split_once(['E', 'e']) else {
        return false;
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, "0"));
    let exp = exp.strip_prefix('+').unwrap_or(exp);
    int.len() == 1
        && int.bytes().all(|b| b.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !exp.is_empty()
        && exp.len() <= 3
        && exp.bytes().all(|b| b.is_ascii_digit())
}

/// A number as a person reads it: whole numbers without `.0`.
pub(crate) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn flag_word(t: &str) -> Option<bool> {
    const YES: &[&str] = &["是", "true", "1", "yes", "y", "√"];
    const NO: &[&str] = &["否", "false", "0", "no", "n", "×"];
    if YES.iter().any(|w| w.eq_ignore_ascii_case(t)) {
        Some(true)
    } else if NO.iter().any(|w| w.eq_ignore_ascii_case(t)) {
        Some(false)
    } else {
        None
    }
}

fn flag_text(b: bool) -> String {
    if b { "true" } else { "false" }.to_string()
}

/// Days from 1970-01-01 to a civil date (proleptic Gregorian; H. Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `days` after 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The date of an Excel serial number in the 1900 date system, where serial 1 is 1900-01-01 and,
/// as in Lotus 1-2-3, serial 60 is the 29 February 1900 that never was. The time part is dropped.
pub(crate) fn serial_to_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let s = serial.floor() as i64;
    if s == 60 {
        return Some("1900-02-29".to_string());
    }
    let days = if s < 60 { s } else { s - 1 };
    let (y, m, d) = civil_from_days(days_from_civil(1899, 12, 31) + days);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// The Excel serial number of a date (1900 system), for dates from 1900-03-01 on.
pub(crate) fn date_to_serial(y: i64, m: u32, d: u32) -> Option<f64> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1900..=9999).contains(&y) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    let (ry, rm, rd) = civil_from_days(days);
    if (ry, rm, rd) != (y, m, d) || days < days_from_civil(1900, 3, 1) {
        return None;
    }
    Some((days - days_from_civil(1899, 12, 30)) as f64)
}

/// `2024-09-01T00:00:00` or `2024/9/1 0:00` → the date part; other text unchanged.
fn date_part(t: &str) -> &str {
    if t.len() > 10 && t.as_bytes()[10] == b'T' && t.is_char_boundary(10) {
        return &t[..10];
    }
    if let Some((date, time)) = t.split_once(' ') {
        if !time.is_empty()
            && time
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b':' || b == b'.')
        {
            return date;
        }
    }
    t
}

impl ColSpec {
    fn issue(&self, code: &'static str, reason: &'static str, shown: &str) -> Cleaned {
        Cleaned::Issue {
            code,
            reason,
            shown: self.shown(shown),
        }
    }

    /// A value as shown in an issue: masked when the field holds personal data.
    pub(crate) fn shown(&self, v: &str) -> String {
        if self.field.pii == Pii::None {
            v.to_string()
        } else {
            mask(self.field.pii, v)
        }
    }

    /// Cleans one cell of this column.
    pub(crate) fn clean(&self, raw: &Raw<'_>) -> Cleaned {
        match raw {
            Raw::Empty => Cleaned::Empty,
            Raw::Text(s) => self.text(s),
            Raw::Int(i) => self.number(*i as f64, &i.to_string()),
            Raw::Float(f) => self.number(*f, &number_text(*f)),
            Raw::Bool(b) => Cleaned::Value(flag_text(*b)),
            Raw::Date(y, m, d) => {
                if self.field.kind == Kind::IdNumber {
                    self.issue("id_number_as_number", ID_AS_NUMBER, &format!("{y}-{m}-{d}"))
                } else {
                    Cleaned::Value(format!("{y:04}-{m:02}-{d:02}"))
                }
            }
            Raw::Error(e) => self.issue("cell_error", CELL_ERROR, e),
        }
    }

    fn text(&self, s: &str) -> Cleaned {
        let cleaned = clean_text(s);
        let t = unquote(&cleaned);
        if t.is_empty() {
            return Cleaned::Empty;
        }
        let out = match self.field.kind {
            Kind::IdNumber if is_scientific(t) => {
                return self.issue("id_number_as_number", ID_AS_NUMBER, t)
            }
            Kind::Flag => match flag_word(t) {
                Some(b) => return Cleaned::Value(flag_text(b)),
                None => t,
            },
            Kind::Enum(_) => match self.table.and_then(|tb| tb.code(t)) {
                Some(code) => code,
                None => t,
            },
            Kind::Date => date_part(t),
            _ => t,
        };
        Cleaned::Value(out.to_string())
    }

    fn number(&self, f: f64, as_text: &str) -> Cleaned {
        match self.field.kind {
            Kind::IdNumber => self.issue("id_number_as_number", ID_AS_NUMBER, as_text),
            Kind::Date => Cleaned::Value(serial_to_date(f).unwrap_or_else(|| as_text.to_string())),
            Kind::Flag if f == 1.0 || f == 0.0 => Cleaned::Value(flag_text(f == 1.0)),
            Kind::Int { .. } | Kind::Fen | Kind::Ref(_) | Kind::Flag => {
                Cleaned::Value(as_text.to_string())
            }
            _ if f.abs() >= 1.0e15 => self.issue("long_number", LONG_NUMBER, as_text),
            Kind::Enum(_) => {
                let code = self.table.and_then(|tb| tb.code(as_text));
                Cleaned::Value(code.map_or_else(|| as_text.to_string(), str::to_string))
            }
            _ => Cleaned::Value(as_text.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use skillbridge_core::labels::enum_table;
    use skillbridge_core::modules::college::STAFF;
    use skillbridge_core::modules::college::STUDENTS;
    use skillbridge_core::modules::partners::AGREEMENTS;

    fn col(def: &'static skillbridge_core::schema::ResourceDef, name: &str) -> ColSpec {
        ColSpec {
            field: def.field(name).unwrap(),
            table: enum_table(def.name, name),
        }
    }
    fn v(s: &str) -> Cleaned {
        Cleaned::Value(s.to_string())
    }

    #[test]
    fn serial_numbers_are_dates_in_the_1900_system() {
        assert_eq!(serial_to_date(45536.0).unwrap(), "2024-09-01");
        assert_eq!(serial_to_date(45536.75).unwrap(), "2024-09-01");
        assert_eq!(serial_to_date(1.0).unwrap(), "1900-01-01");
        assert_eq!(serial_to_date(59.0).unwrap(), "1900-02-28");
        assert_eq!(serial_to_date(60.0).unwrap(), "1900-02-29"); // Excel's leap-year bug
        assert_eq!(serial_to_date(61.0).unwrap(), "1900-03-01");
        assert_eq!(serial_to_date(2_958_465.0).unwrap(), "9999-12-31");
        assert_eq!(serial_to_date(0.0), None);
        assert_eq!(serial_to_date(-3.0), None);
        assert_eq!(date_to_serial(2024, 9, 1), Some(45536.0));
        assert_eq!(date_to_serial(1900, 3, 1), Some(61.0));
        assert_eq!(date_to_serial(1900, 2, 28), None);
        assert_eq!(date_to_serial(2023, 2, 29), None);
        for s in 61..80_000 {
            let d = serial_to_date(f64::from(s)).unwrap();
            let (y, m, dd) = (&d[..4], &d[5..7], &d[8..]);
            let back = date_to_serial(y.parse().unwrap(), m.parse().unwrap(), dd.parse().unwrap());
            assert_eq!(back, Some(f64::from(s)));
        }
    }

    #[test]
    fn numbers_lose_their_trailing_zero() {
        let c = col(&STUDENTS, "student_no");
        assert_eq!(c.clean(&Raw::Float(2024001.0)), v("2024001"));
        assert_eq!(c.clean(&Raw::Int(7)), v("7"));
        assert_eq!(c.clean(&Raw::Float(12.5)), v("12.5"));
        let p = col(&STUDENTS, "phone");
        assert_eq!(p.clean(&Raw::Float(13812345678.0)), v("13812345678"));
        let e = col(&STUDENTS, "entry_year");
        assert_eq!(e.clean(&Raw::Float(2024.0)), v("2024"));
        let Cleaned::Issue { code, .. } = c.clean(&Raw::Float(2.024e17)) else {
            panic!()
        };
        assert_eq!(code, "long_number");
    }

    #[test]
    fn id_numbers_stored_as_numbers_are_issues_with_masked_values() {
        let c = col(&STUDENTS, "id_number");
        for raw in [
            Raw::Float(500106200509170000.0),
            Raw::Text("5.00106E+17"),
            Raw::Text(" 5.00106e17 "),
            Raw::Int(123),
        ] {
            let Cleaned::Issue {
                code,
                reason,
                shown,
            } = c.clean(&raw)
            else {
                panic!("{raw:?}")
            };
            assert_eq!(code, "id_number_as_number");
            assert_eq!(reason, ID_AS_NUMBER);
            assert!(shown.contains('*') || shown.len() <= 8, "{shown}");
        }
        assert_eq!(
            c.clean(&Raw::Float(500106200509170000.0)),
            Cleaned::Issue {
                code: "id_number_as_number",
                reason: ID_AS_NUMBER,
                shown: "5001**********0000".into()
            }
        );
        // Text passes, masked values too (the store reads them as "unchanged").
        assert_eq!(
            c.clean(&Raw::Text("11010519491231002x")),
            v("11010519491231002x")
        );
        assert_eq!(
            c.clean(&Raw::Text("5001**********123X")),
            v("5001**********123X")
        );
        assert_eq!(
            col(&STUDENTS, "phone").clean(&Raw::Text("138****5678")),
            v("138****5678")
        );
    }

    #[test]
    fn text_is_trimmed_and_full_width_converted() {
        let c = col(&STUDENTS, "student_no");
        assert_eq!(c.clean(&Raw::Text("  ２０２４００１　")), v("2024001"));
        assert_eq!(c.clean(&Raw::Text("   ")), Cleaned::Empty);
        assert_eq!(c.clean(&Raw::Text("张三")), v("张三"));
        // The quote that neutralises formula-like text on export is taken off again.
        assert_eq!(c.clean(&Raw::Text("'=1+1")), v("=1+1"));
        assert_eq!(c.clean(&Raw::Text("''=1+1")), v("'=1+1"));
        assert_eq!(c.clean(&Raw::Text("'abc")), v("'abc"));
    }

    #[test]
    fn needs_quote_and_unquote_are_inverse() {
        for s in [
            "=x", "+86", "-1", "@a", "\tx", "'=x", "''-x", "abc", "'abc", "", "'",
        ] {
            let written = if needs_quote(s) {
                format!("'{s}")
            } else {
                s.to_string()
            };
            assert_eq!(unquote(&written), s, "{s:?}");
            assert!(!written.starts_with(TRIGGERS), "{s:?}");
        }
    }

    #[test]
    fn dates_flags_and_enums() {
        let d = col(&AGREEMENTS, "start_date");
        assert_eq!(d.clean(&Raw::Float(45536.0)), v("2024-09-01"));
        assert_eq!(d.clean(&Raw::Date(2024, 9, 1)), v("2024-09-01"));
        assert_eq!(d.clean(&Raw::Text("2024/9/1")), v("2024/9/1"));
        assert_eq!(d.clean(&Raw::Text("2024/9/1 0:00")), v("2024/9/1"));
        assert_eq!(d.clean(&Raw::Text("2024-09-01T00:00:00")), v("2024-09-01"));
        let f = col(&STAFF, "dual_qualified");
        assert_eq!(f.clean(&Raw::Bool(true)), v("true"));
        assert_eq!(f.clean(&Raw::Text("是")), v("true"));
        assert_eq!(f.clean(&Raw::Text("否")), v("false"));
        assert_eq!(f.clean(&Raw::Text("YES")), v("true"));
        assert_eq!(f.clean(&Raw::Float(0.0)), v("false"));
        assert_eq!(f.clean(&Raw::Text("maybe")), v("maybe"));
        let g = col(&STUDENTS, "gender");
        assert_eq!(g.clean(&Raw::Text("男")), v("1"));
        assert_eq!(g.clean(&Raw::Text("Female")), v("2"));
        assert_eq!(g.clean(&Raw::Float(1.0)), v("1"));
        assert_eq!(g.clean(&Raw::Text("兔")), v("兔"));
        let s = col(&STUDENTS, "status");
        assert_eq!(s.clean(&Raw::Text("在读")), v("enrolled"));
        assert_eq!(s.clean(&Raw::Text("graduated")), v("graduated"));
        let k = col(&AGREEMENTS, "kind");
        assert_eq!(k.clean(&Raw::Text("订单班")), v("order_class"));
        let r = col(&STUDENTS, "program_id");
        assert_eq!(r.clean(&Raw::Text(" 计算机应用技术 ")), v("计算机应用技术"));
        assert_eq!(r.clean(&Raw::Float(12.0)), v("12"));
        let e = col(&STUDENTS, "name");
        let Cleaned::Issue { code, .. } = e.clean(&Raw::Error("#N/A".into())) else {
            panic!()
        };
        assert_eq!(code, "cell_error");
    }
}
