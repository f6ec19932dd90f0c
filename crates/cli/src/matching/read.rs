//! A single-pass reader for the instance file, the fast path of `skillbridge match`.
//!
//! What it protects: that the fast path accepts exactly the files the strict serde reader in
//! `matching.rs` accepts, and reads the same ids, capacities and lists from them. It never
//! explains a refusal: on anything it does not accept it returns [`Refused`], and the caller reads
//! the file again with serde_json, which then gives the one message users see (line and column,
//! `unknown field`, `duplicate key`, `missing field` ...). So a refusal here can at worst cost
//! time, never change a message; and the rule to keep is one-sided: **whatever this reader
//! accepts, serde_json accepts too, with the same content** (the property test in `tests` below
//! checks that on generated and mutated files).
//!
//! Why it exists: at 10,000 students the whole command is a few milliseconds, most of it reading
//! JSON. serde's derive goes through a visitor per value and a `Vec` per list; this reader walks
//! the bytes once, borrows every id from the text as a `&str` (16 bytes; a `Cow` would be 24, and
//! at 10,000 students every byte per id is 40 pages of memory to fault in), and puts all lists end
//! to end in two flat arrays. A file with any escape (`\"`, `\u5b66`: rare in ids) is left to
//! serde, which unescapes it into owned strings; the result is the same, only slower.
//!
//! The grammar it accepts (JSON whitespace allowed between tokens, as serde_json allows):
//! `{"students": {ID: [ID, ...], ...}, "positions": {ID: {"capacity": INT, "ranking": [ID, ...]},
//! ...}}`, the two fields in either order, each exactly once, as are `capacity` and `ranking`;
//! INT an i64 written as JSON allows (no fraction, no exponent, no leading zero, not `-0`, which
//! serde_json reads as a float); strings without any escape or control character.
//! Ids within `students` and within `positions` must be distinct (serde_json would keep the last
//! of a repeated key; `matching.rs` refuses it, and so does this reader).

use std::ops::Range;

/// The file did not read on the fast path; read it with serde for the message (or, if serde
/// accepts it after all, for the content).
#[derive(Debug, PartialEq, Eq)]
pub struct Refused;

type R<T> = Result<T, Refused>;

/// The instance as read: students and positions each in strictly increasing id order (byte
/// order, as `BTreeMap<String, _>`), their lists as ranges of the flat `prefs` and `rankings`.
/// `S` is `&str` from this reader, `Cow<str>` from serde's (which unescapes).
#[derive(Debug)]
pub struct Read<S> {
    pub students: Vec<(S, Range<usize>)>,
    pub prefs: Vec<S>,
    pub positions: Vec<(S, i64, Range<usize>)>,
    pub rankings: Vec<S>,
}

impl<S> Default for Read<S> {
    fn default() -> Self {
        Read {
            students: Vec::new(),
            prefs: Vec::new(),
            positions: Vec::new(),
            rankings: Vec::new(),
        }
    }
}

/// Reads an instance file; see the module comment for what is accepted.
pub fn read(text: &str) -> R<Read<&str>> {
    let mut p = Parser {
        s: text,
        b: text.as_bytes(),
        i: 0,
    };
    // A generous size guess saves the lists' regrowth, which in the arena (arena.rs) is a copy:
    // an id with its quotes and comma is about 10 bytes in the files this is fast for, and half
    // of them are in each list; capacity never used is address space only.
    let ids = text.len() / 8;
    let mut out = Read {
        students: Vec::with_capacity(text.len() / 128),
        prefs: Vec::with_capacity(ids),
        positions: Vec::new(),
        rankings: Vec::with_capacity(ids),
    };
    let (mut students, mut positions) = (false, false);
    p.expect(b'{')?;
    if p.peek()? != b'}' {
        loop {
            let key = p.string()?;
            p.expect(b':')?;
            match key {
                "students" if !students => {
                    students = true;
                    p.students(&mut out)?;
                }
                "positions" if !positions => {
                    positions = true;
                    p.positions(&mut out)?;
                }
                _ => return Err(Refused),
            }
            if !p.comma_or(b'}')? {
                break;
            }
        }
    } else {
        p.i += 1;
    }
    if !(students && positions) || p.peek_end().is_some() {
        return Err(Refused);
    }
    sort_unique(&mut out.students, |x| x.0)?;
    sort_unique(&mut out.positions, |x| x.0)?;
    Ok(out)
}

/// Orders entries by id, refusing a repeated id. Files written from a sorted map are in order
/// already and cost one comparison per entry.
fn sort_unique<T>(v: &mut [T], key: impl Fn(&T) -> &str) -> R<()> {
    let mut sorted = true;
    for w in v.windows(2) {
        match key(&w[0]).as_bytes().cmp(key(&w[1]).as_bytes()) {
            std::cmp::Ordering::Less => {}
            std::cmp::Ordering::Equal => return Err(Refused),
            std::cmp::Ordering::Greater => sorted = false,
        }
    }
    if !sorted {
        v.sort_unstable_by(|a, b| key(a).as_bytes().cmp(key(b).as_bytes()));
        if v.windows(2).any(|w| key(&w[0]) == key(&w[1])) {
            return Err(Refused);
        }
    }
    Ok(())
}

/// A word's bytes that are `"`, `\\` or below 0x20: the high bit of each such byte is set in the
/// result, and the lowest set bit is exactly the first such byte (the usual zero-byte test, whose
/// borrows only run upwards from a match, so that only bits above the first match can be wrong).
#[inline]
fn special(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    zero(w ^ (ONES * u64::from(b'"')))
        | zero(w ^ (ONES * u64::from(b'\\')))
        | (w.wrapping_sub(ONES * 0x20) & !w & HIGH)
}

struct Parser<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    /// Skips JSON whitespace and returns the next byte, which must exist.
    #[inline]
    fn peek(&mut self) -> R<u8> {
        self.peek_end().ok_or(Refused)
    }

    /// Skips JSON whitespace and returns the next byte, if any.
    #[inline]
    fn peek_end(&mut self) -> Option<u8> {
        while let Some(&c) = self.b.get(self.i) {
            if !matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(c);
            }
            self.i += 1;
        }
        None
    }

    #[inline]
    fn expect(&mut self, c: u8) -> R<()> {
        if self.peek()? == c {
            self.i += 1;
            Ok(())
        } else {
            Err(Refused)
        }
    }

    /// After a member: true on `,` (another follows), false on `close`.
    #[inline]
    fn comma_or(&mut self, close: u8) -> R<bool> {
        let c = self.peek()?;
        self.i += 1;
        if c == b',' {
            Ok(true)
        } else if c == close {
            Ok(false)
        } else {
            Err(Refused)
        }
    }

    /// A JSON string without escapes, borrowed from the text; a string with an escape is refused
    /// (left to serde, which copies it unescaped).
    #[inline(always)]
    fn string(&mut self) -> R<&'a str> {
        if self.b.get(self.i) != Some(&b'"') && self.peek()? != b'"' {
            return Err(Refused);
        }
        let start = self.i + 1;
        let mut j = start;
        // Eight bytes at a time to the first quote, backslash or control character.
        while let Some(w) = self.b.get(j..j + 8) {
            let m = special(u64::from_le_bytes(w.try_into().expect("8 bytes")));
            if m != 0 {
                j += m.trailing_zeros() as usize / 8;
                break;
            }
            j += 8;
        }
        loop {
            match self.b.get(j) {
                Some(b'"') => {
                    self.i = j + 1;
                    // `"` is ASCII, so both ends are character boundaries of the text.
                    return Ok(&self.s[start..j]);
                }
                Some(&c) if c >= 0x20 && c != b'\\' => j += 1,
                _ => return Err(Refused), // an escape, a control character, or the end
            }
        }
    }

    /// `[ID, ...]` appended to `into`; the range it took there.
    #[inline]
    fn ids(&mut self, into: &mut Vec<&'a str>) -> R<Range<usize>> {
        self.expect(b'[')?;
        let start = into.len();
        if self.peek()? == b']' {
            self.i += 1;
            return Ok(start..start);
        }
        loop {
            into.push(self.string()?);
            // The common case first: the comma or bracket right after the string.
            let more = match self.b.get(self.i) {
                Some(b',') => {
                    self.i += 1;
                    true
                }
                Some(b']') => {
                    self.i += 1;
                    false
                }
                _ => self.comma_or(b']')?,
            };
            if !more {
                return Ok(start..into.len());
            }
        }
    }

    /// `{ID: [ID, ...], ...}`
    fn students(&mut self, out: &mut Read<&'a str>) -> R<()> {
        self.expect(b'{')?;
        if self.peek()? == b'}' {
            self.i += 1;
            return Ok(());
        }
        loop {
            let id = self.string()?;
            self.expect(b':')?;
            let list = self.ids(&mut out.prefs)?;
            out.students.push((id, list));
            if !self.comma_or(b'}')? {
                return Ok(());
            }
        }
    }

    /// `{ID: {"capacity": INT, "ranking": [ID, ...]}, ...}`
    fn positions(&mut self, out: &mut Read<&'a str>) -> R<()> {
        self.expect(b'{')?;
        if self.peek()? == b'}' {
            self.i += 1;
            return Ok(());
        }
        loop {
            let id = self.string()?;
            self.expect(b':')?;
            self.expect(b'{')?;
            let (mut capacity, mut ranking) = (None, None);
            // No empty object: both fields are required.
            loop {
                let key = self.string()?;
                self.expect(b':')?;
                match key {
                    "capacity" if capacity.is_none() => capacity = Some(self.int()?),
                    "ranking" if ranking.is_none() => ranking = Some(self.ids(&mut out.rankings)?),
                    _ => return Err(Refused),
                }
                if !self.comma_or(b'}')? {
                    break;
                }
            }
            let (Some(capacity), Some(ranking)) = (capacity, ranking) else {
                return Err(Refused);
            };
            out.positions.push((id, capacity, ranking));
            if !self.comma_or(b'}')? {
                return Ok(());
            }
        }
    }

    /// An integer that serde_json reads as an i64: `-?(0|[1-9][0-9]*)`, not `-0`, no fraction or
    /// exponent. Up to 18 digits (always within i64); longer ones are left to serde.
    fn int(&mut self) -> R<i64> {
        self.peek()?;
        let negative = self.b[self.i] == b'-';
        if negative {
            self.i += 1;
        }
        let start = self.i;
        let mut v: i64 = 0;
        while let Some(&d) = self.b.get(self.i) {
            if !d.is_ascii_digit() {
                break;
            }
            if self.i - start == 18 {
                return Err(Refused);
            }
            v = v * 10 + i64::from(d - b'0');
            self.i += 1;
        }
        let digits = self.i - start;
        let leading_zero = self.b[start..].first() == Some(&b'0');
        if digits == 0
            || (leading_zero && (digits > 1 || negative))
            || matches!(self.b.get(self.i), Some(b'.' | b'e' | b'E'))
        {
            return Err(Refused);
        }
        Ok(if negative { -v } else { v })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_serde, InstanceFile};
    use super::*;
    use proptest::prelude::*;

    /// What serde reads, in the shape of [`Read`]'s content: (id, list) and (id, capacity, list).
    type Content = (Vec<(String, Vec<String>)>, Vec<(String, i64, Vec<String>)>);

    fn of_serde(f: &InstanceFile<'_>) -> Content {
        let own = |v: &[super::super::Id<'_>]| v.iter().map(|x| x.0.to_string()).collect();
        (
            f.students
                .iter()
                .map(|(k, v)| (k.0.to_string(), own(v)))
                .collect(),
            f.positions
                .iter()
                .map(|(k, p)| (k.0.to_string(), p.capacity, own(&p.ranking)))
                .collect(),
        )
    }

    fn of_fast(r: &Read<&str>) -> Content {
        let own = |v: &[&str]| v.iter().map(|x| x.to_string()).collect();
        (
            r.students
                .iter()
                .map(|(k, l)| (k.to_string(), own(&r.prefs[l.clone()])))
                .collect(),
            r.positions
                .iter()
                .map(|(k, c, l)| (k.to_string(), *c, own(&r.rankings[l.clone()])))
                .collect(),
        )
    }

    /// The one rule: accepted here implies accepted by serde with the same content. Returns
    /// whether the fast reader accepted.
    fn agrees(text: &str) -> Result<bool, TestCaseError> {
        let fast = read(text);
        let serde = parse_serde("-", text);
        match (&fast, &serde) {
            (Ok(f), Ok(s)) => {
                prop_assert_eq!(of_fast(f), of_serde(s), "{}", text);
                Ok(true)
            }
            (Ok(_), Err(e)) => Err(TestCaseError::fail(format!(
                "fast reader accepted what serde refuses ({e}): {text}"
            ))),
            (Err(_), _) => Ok(false),
        }
    }

    #[track_caller]
    fn accepted(text: &str) {
        assert!(matches!(agrees(text), Ok(true)), "{text}");
    }

    #[track_caller]
    fn refused(text: &str) {
        assert_eq!(read(text).map(|_| ()), Err(Refused), "{text}");
        assert!(parse_serde("-", text).is_err(), "serde accepts {text}");
    }

    #[test]
    fn special_finds_the_first_quote_backslash_or_control_byte() {
        for len in 0..=8 {
            for at in 0..len {
                for c in [b'"', b'\\', 0, 0x1f, b'\n'] {
                    for fill in [b'a', 0x7f, 0xe5, 0x20, b'!', b'#', b'[', b']'] {
                        let mut w = [fill; 8];
                        w[at] = c;
                        // A later special byte must not hide the first one.
                        if at + 1 < 8 {
                            w[at + 1] = b'"';
                        }
                        let m = special(u64::from_le_bytes(w));
                        assert_eq!(m.trailing_zeros() as usize / 8, at, "{w:?}");
                    }
                }
            }
        }
        for fill in [b'a', 0x7f, 0x80, 0xff, 0x20, b'!', b'#', b'[', b']', b'/'] {
            assert_eq!(special(u64::from_le_bytes([fill; 8])), 0, "{fill}");
        }
    }

    #[test]
    fn reads_the_small_instance_and_whitespace_variants() {
        accepted(r#"{"students":{},"positions":{}}"#);
        accepted(r#"{"positions":{},"students":{}}"#);
        accepted(" \t\r\n{ \"students\" : { \"s1\" : [ \"p1\" , \"p2\" ] , \"s2\":[ ] } ,\n\"positions\" :{\"p1\":{ \"ranking\" : [\"s2\",\"s1\"] , \"capacity\" : 2 }, \"p2\": {\"capacity\":0,\"ranking\":[]}} } \n\t ");
        let r = read(r#"{"students":{"b":["x"],"a":[]},"positions":{"x":{"capacity":-3,"ranking":["a","b"]}}}"#).unwrap();
        assert_eq!(
            of_fast(&r).0,
            vec![("a".into(), vec![]), ("b".into(), vec!["x".into()])]
        );
        assert_eq!(r.positions[0].1, -3);
    }

    #[test]
    fn unicode_ids_are_read_and_escapes_left_to_serde() {
        accepted(
            r#"{"students":{"学生1":["订单班 1"],"😀":[],"é":["订单班 1"]},"positions":{"订单班 1":{"capacity":1,"ranking":["é","学生1"]}}}"#,
        );
        let r = read(r#"{"students":{"学生1":[],"😀":[]},"positions":{}}"#).unwrap();
        assert_eq!(r.students[0].0, "学生1");
        assert_eq!(r.students[1].0, "😀");
        // Any escape, in an id or in a field name: refused here, read by serde (which unescapes).
        for escaped in [
            r#"{"students":{"\u5b66\u751f1":["p\"1"],"学生2":["p\"1"]},"positions":{"p\"1":{"capacity":1,"ranking":["学生2","\u5B66\u751F1"]}}}"#,
            r#"{"students":{"a\\b\/c\b\f\n\r\t":[],"\ud83d\ude00😀":[],"x\u0000y":[]},"positions":{}}"#,
            r#"{"st\u0075dents":{},"positions":{"p":{"c\u0061pacity":1,"ranking":[]}}}"#,
            r#"{"students":{"s":["\u0070"]},"positions":{"p":{"capacity":1,"ranking":["s"]}}}"#,
        ] {
            assert!(matches!(agrees(escaped), Ok(false)), "{escaped}");
            assert!(parse_serde("-", escaped).is_ok(), "{escaped}");
        }
        // An escaped id and its plain spelling are the same id: a repeated key.
        refused(r#"{"students":{"学生1":[],"\u5b66\u751f1":[]},"positions":{}}"#);
    }

    #[test]
    fn malformed_and_strictness() {
        for bad in [
            "",
            " ",
            "{",
            "[]",
            "null",
            r#"{"students":{}}"#,
            r#"{"positions":{}}"#,
            r#"{"students":{},"positions":{},"students":{}}"#,
            r#"{"students":{},"positions":{},"extra":1}"#,
            r#"{"students":{},"positions":{}} x"#,
            r#"{"students":{},"positions":{},}"#,
            r#"{"students":{"s1":["p1",]},"positions":{}}"#,
            r#"{"students":{"s1":[,]},"positions":{}}"#,
            r#"{"students":{"s1":["p1"],},"positions":{}}"#,
            r#"{"students":{"s1":["p1"] "s2":[]},"positions":{}}"#,
            r#"{"students":{"s1":[1]},"positions":{}}"#,
            r#"{"students":{"s1":null},"positions":{}}"#,
            r#"{"students":{"s1":[],"s1":[]},"positions":{}}"#,
            r#"{"students":{"s2":[],"s1":[],"s2":[]},"positions":{}}"#,
            r#"{"students":{},"positions":{"p":{"capacity":1}}}"#,
            r#"{"students":{},"positions":{"p":{"ranking":[]}}}"#,
            r#"{"students":{},"positions":{"p":{}}}"#,
            r#"{"students":{},"positions":{"p":{"capacity":1,"ranking":[],"capacity":2}}}"#,
            r#"{"students":{},"positions":{"p":{"capacity":1,"ranknig":[]}}}"#,
            r#"{"students":{},"positions":{"p":{"capacity":1.0,"ranking":[]}}}"#,
            r#"{"students":{},"positions":{"p":{"capacity":1e2,"ranking":[]}}}"#,
            r#"{"students":{},"positions":{"p":{"capacity":01,"ranking":[]}}}"#,
            r#"{"students":{},"positions":{"p":{"capacity":-0,"ranking":[]}}}"#,
            r#"{"students":{},"positions":{"p":{"capacity":-,"ranking":[]}}}"#,
            r#"{"students":{},"positions":{"p":{"capacity":"1","ranking":[]}}}"#,
            r#"{"students":{},"positions":{"p":{"capacity":99999999999999999999,"ranking":[]}}}"#,
            "{\"students\":{\"a\tb\":[]},\"positions\":{}}",
            r#"{"students":{"a\x":[]},"positions":{}}"#,
            r#"{"students":{"a\u12":[]},"positions":{}}"#,
            r#"{"students":{"\ud83d":[]},"positions":{}}"#,
            r#"{"students":{"\ude00":[]},"positions":{}}"#,
            r#"{"students":{"\ud83d\u0041":[]},"positions":{}}"#,
            "{\"students\":{\"a",
            "\u{feff}{\"students\":{},\"positions\":{}}",
        ] {
            refused(bad);
        }
        // Valid JSON that serde reads and this reader leaves to serde: agreement holds either way.
        assert!(matches!(
            agrees(
                r#"{"students":{},"positions":{"p":{"capacity":1234567890123456789,"ranking":[]}}}"#
            ),
            Ok(false)
        ));
        accepted(
            r#"{"students":{},"positions":{"p":{"capacity":123456789012345678,"ranking":[]}}}"#,
        );
        accepted(
            r#"{"students":{},"positions":{"p":{"capacity":-123456789012345678,"ranking":[]}}}"#,
        );
        accepted(r#"{"students":{},"positions":{"p":{"capacity":0,"ranking":[]}}}"#);
    }

    /// Instances as bench/gen_match.py and the college write them, with ids drawn from a small
    /// alphabet that includes escapes, Chinese and astral characters, serialized by serde_json
    /// with or without pretty printing, and optionally with ids written as \u escapes.
    fn instance() -> impl Strategy<Value = String> {
        let id = prop::collection::vec(
            prop::sample::select(vec![
                "s", "p", "0", "1", "学", "生", "\"", "\\", "/", "\n", "\u{1}", "😀", " ", "é",
            ]),
            0..4,
        )
        .prop_map(|v| v.concat());
        let list = prop::collection::vec(id.clone(), 0..4);
        let students = prop::collection::vec((id.clone(), list.clone()), 0..6);
        let positions = prop::collection::vec((id, -3i64..1_000_000, list), 0..5);
        (
            students,
            positions,
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(students, positions, pretty, swap, escape_all)| {
                let obj =
                    |v: serde_json::Map<String, serde_json::Value>| serde_json::Value::Object(v);
                // Written as pairs, so that repeated ids stay repeated in the text.
                let mut s = String::from("{");
                let mut field = |name: &str, body: String| {
                    if s.len() > 1 {
                        s.push(',');
                    }
                    s.push_str(&format!(
                        "{}:{}",
                        serde_json::to_string(name).unwrap(),
                        body
                    ));
                };
                // The body of the id's JSON string, every character as \u escapes if asked.
                let key = |k: &str| {
                    if escape_all {
                        let mut units = Vec::new();
                        for c in k.chars() {
                            let mut b = [0u16; 2];
                            units.extend_from_slice(c.encode_utf16(&mut b));
                        }
                        units.iter().map(|u| format!("\\u{u:04x}")).collect()
                    } else {
                        let quoted = serde_json::to_string(k).unwrap();
                        quoted[1..quoted.len() - 1].to_string()
                    }
                };
                let st: Vec<String> = students
                    .iter()
                    .map(|(k, l)| format!("\"{}\":{}", key(k), serde_json::to_string(l).unwrap()))
                    .collect();
                let po: Vec<String> = positions
                    .iter()
                    .map(|(k, c, r)| {
                        let mut m = serde_json::Map::new();
                        m.insert("capacity".into(), (*c).into());
                        m.insert("ranking".into(), r.clone().into());
                        let body = if pretty {
                            serde_json::to_string_pretty(&obj(m)).unwrap()
                        } else {
                            serde_json::to_string(&obj(m)).unwrap()
                        };
                        format!("\"{}\": {}", key(k), body)
                    })
                    .collect();
                let (a, b) = (
                    format!("{{{}}}", st.join(if pretty { ",\n  " } else { "," })),
                    format!("{{{}}}", po.join(", ")),
                );
                if swap {
                    field("positions", b);
                    field("students", a);
                } else {
                    field("students", a);
                    field("positions", b);
                }
                s.push('}');
                s
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Generated files: where serde accepts a file without escapes, so does the fast reader
        /// (neither accepts a repeated id), with the same content.
        #[test]
        fn agrees_with_serde_on_generated_files(text in instance()) {
            let fast = agrees(&text)?;
            let serde_ok = parse_serde("-", &text).is_ok();
            prop_assert_eq!(fast, serde_ok && !text.contains('\\'), "{}", text);
        }

        /// Mutated files (a byte deleted, inserted or replaced, cut short): never accepted unless
        /// serde accepts them too, with the same content.
        #[test]
        fn mutations_are_never_accepted_alone(
            text in instance(),
            at in any::<prop::sample::Index>(),
            byte in prop::sample::select(b"{}[]:,\"\\u0-1 \tae.x".to_vec()),
            how in 0..4u8,
        ) {
            let mut b = text.into_bytes();
            let i = at.index(b.len() + 1);
            match how {
                0 if i < b.len() => { b.remove(i); }
                1 => b.insert(i, byte),
                2 if i < b.len() => b[i] = byte,
                _ => b.truncate(i),
            }
            if let Ok(t) = String::from_utf8(b) {
                agrees(&t)?;
            }
        }
    }
}
