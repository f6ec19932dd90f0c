//! The output of `skillbridge match` without `--explain`, written directly into one buffer:
//! `{"assignments":{"s1":"p3","s2":null}}` and a newline, byte for byte what
//! `serde_json::to_writer` writes for `core::matching::Matching` (the property test below compares
//! the two), which is also what the Python reference prints (`tools/match_reference.py`, compact,
//! keys sorted, non-ASCII as is). Students come in increasing id order, as the keys of a
//! `BTreeMap`; building that map (two `String`s per student) was most of the writing time.

/// Appends `s` as a JSON string the way serde_json writes it: `"` and `\` escaped, control
/// characters as `\b \t \n \f \r` or `\u00xx` (lowercase hex), everything else as is.
#[inline]
fn string(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    // Ids rarely need escaping: test every byte without branching (the loop vectorizes), then copy.
    if !b.iter().fold(false, |any, &c| {
        any | (c < 0x20) | (c == b'"') | (c == b'\\')
    }) {
        out.push(b'"');
        out.extend_from_slice(b);
        out.push(b'"');
        return;
    }
    escaped(out, b);
}

#[cold]
fn escaped(out: &mut Vec<u8>, b: &[u8]) {
    out.push(b'"');
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        let short = match c {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x09 => b't',
            0x0a => b'n',
            0x0c => b'f',
            0x0d => b'r',
            0x00..=0x1f => 0,
            _ => continue,
        };
        out.extend_from_slice(&b[start..i]);
        start = i + 1;
        if short != 0 {
            out.extend_from_slice(&[b'\\', short]);
        } else {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.extend_from_slice(&[HEX[usize::from(c >> 4)], HEX[usize::from(c & 15)]]);
        }
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}

/// The assignments as JSON with a final newline: `students` (their ids first) in increasing id
/// order, `got[i]` the index into `positions` (ids first) of student `i`'s place, or `None`.
pub fn assignments<T, U>(
    students: &[(&str, T)],
    positions: &[(&str, i64, U)],
    got: &[Option<u32>],
) -> Vec<u8> {
    // Exact for ids without escapes: 16 bytes of `{"assignments":{`, per student its id with
    // quotes and colon and a place with quotes (or `null`) and the comma after it, minus the one
    // comma that is not written, and `}}` with the newline.
    let size = 16
        + 3
        + students.iter().map(|s| s.0.len() + 3).sum::<usize>()
        + got
            .iter()
            .map(|p| p.map_or(5, |p| positions[p as usize].0.len() + 3))
            .sum::<usize>()
        - usize::from(!students.is_empty());
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(b"{\"assignments\":{");
    for (i, (s, p)) in students.iter().zip(got).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(&mut out, s.0);
        out.push(b':');
        match p {
            Some(p) => string(&mut out, positions[*p as usize].0),
            None => out.extend_from_slice(b"null"),
        }
    }
    out.extend_from_slice(b"}}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use skillbridge_core::matching::Matching;
    use std::collections::BTreeMap;

    /// The students and positions in the shape `assignments` takes (lists empty, unused there).
    fn shape(ids: &[String]) -> Vec<(&str, ())> {
        ids.iter().map(|s| (s.as_str(), ())).collect()
    }

    fn positions(ids: &[String]) -> Vec<(&str, i64, ())> {
        ids.iter().map(|s| (s.as_str(), 1, ())).collect()
    }

    fn via_serde(students: &[String], positions: &[String], got: &[Option<u32>]) -> Vec<u8> {
        let m = Matching {
            assignments: students
                .iter()
                .zip(got)
                .map(|(s, p)| (s.clone(), p.map(|p| positions[p as usize].clone())))
                .collect::<BTreeMap<_, _>>(),
        };
        let mut v = serde_json::to_vec(&m).unwrap();
        v.push(b'\n');
        v
    }

    #[test]
    fn escapes_like_serde() {
        let ids: Vec<String> = (0u8..0x80)
            .map(|c| format!("a{}b", char::from(c)))
            .chain(["学生1", "😀", "\u{7f}", "\u{2028}", ""].map(String::from))
            .collect();
        let mut students = ids.clone();
        students.sort();
        let got: Vec<Option<u32>> = (0..students.len())
            .map(|i| (i % 3 != 0).then_some((i % ids.len()) as u32))
            .collect();
        let (refs, prefs) = (shape(&students), positions(&ids));
        assert_eq!(
            String::from_utf8(assignments(&refs, &prefs, &got)).unwrap(),
            String::from_utf8(via_serde(&students, &ids, &got)).unwrap()
        );
        assert_eq!(
            assignments(&shape(&[]), &positions(&[]), &[]),
            b"{\"assignments\":{}}\n"
        );
    }

    proptest! {
        #[test]
        fn writes_what_serde_writes(
            students in prop::collection::btree_set(".{0,6}", 0..20),
            positions in prop::collection::vec(".{0,6}", 1..6),
            picks in prop::collection::vec(prop::option::of(0u32..6), 20),
        ) {
            let students: Vec<String> = students.into_iter().collect();
            let got: Vec<Option<u32>> = picks[..students.len()]
                .iter()
                .map(|p| p.map(|p| p % positions.len() as u32))
                .collect();
            let fast = assignments(&shape(&students), &self::positions(&positions), &got);
            prop_assert_eq!(&fast, &via_serde(&students, &positions, &got));
            if students.iter().chain(&positions).all(|s| !s.bytes().any(|c| c < 0x20 || c == b'"' || c == b'\\')) {
                // Without escapes the size guess is exact.
                prop_assert_eq!(fast.capacity(), fast.len());
            }
        }
    }
}
