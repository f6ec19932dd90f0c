//! `skillbridge match INSTANCE.json`: solve a stable matching instance given as JSON and print the
//! student-optimal stable matching as JSON. No database and no configuration: the command reads
//! the file (or stdin for `-`), calls `core::matching`, and writes stdout.
//!
//! Input: `{"students": {"s1": ["p3", "p1"]}, "positions": {"p1": {"capacity": 2, "ranking":
//! ["s9", "s1"]}}}`. Output: `{"assignments": {"s1": "p3", "s2": null}}`, every student present,
//! `null` for unplaced; with `--explain` also `"explanations": {"s1": [{"kind": ..., "text_zh":
//! ..., "text_en": ...}]}`. Bad input exits with code 2 and one line on stderr naming the entry
//! (`students.s1[1]: unknown position "p7"`), or serde's message with line and column for JSON
//! that does not parse, has an unknown field, or repeats a key.
//!
//! How it is fast (the whole command is a few milliseconds at 10,000 students, and was mostly
//! JSON): the file is read with one read; `read.rs` reads it in one pass, borrowing the ids from
//! the text, and only when that reader refuses the file is it read again with serde_json below,
//! whose message the user then sees, so the messages stay serde's; `core::matching::assign_sorted`
//! solves it; `write.rs` writes the answer into one buffer written once; all of it lives in
//! transparent huge pages (`arena.rs`: a third of the time was page faults); and nothing is freed
//! at the exit. `main` dispatches `match` before the configuration, logging and runtime are set up.

mod arena;
mod read;
mod write;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use skillbridge_core::matching::{self, Instance, Matching, Position};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::process::ExitCode;

/// The file's shape: `core::matching::Instance`, strict (unknown fields and repeated keys refused,
/// so a typo such as `"ranknig"` or a student written twice is an error, not silently dropped).
/// Ids are borrowed from the JSON text (copied only when they contain escapes): 100,000 students
/// with 8 choices are 1.7 million ids, and a `String` each was a third of the command's time.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstanceFile<'a> {
    #[serde(borrow, deserialize_with = "unique_keys")]
    students: Vec<(Id<'a>, Vec<Id<'a>>)>,
    #[serde(borrow, deserialize_with = "unique_keys")]
    positions: Vec<(Id<'a>, PositionFile<'a>)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PositionFile<'a> {
    capacity: i64,
    #[serde(borrow)]
    ranking: Vec<Id<'a>>,
}

/// An id, borrowed from the JSON text when it has no escapes.
#[derive(Deserialize, PartialEq, Eq, PartialOrd, Ord)]
struct Id<'a>(#[serde(borrow)] Cow<'a, str>);

impl AsRef<str> for Id<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A JSON object into (key, value) pairs in increasing key order, refusing a key that appears
/// twice (serde_json would keep the last). Keys already in order (as in any file written from a
/// sorted map) cost one comparison each; otherwise the pairs are sorted at the end.
fn unique_keys<'de, D, K, V>(d: D) -> Result<Vec<(K, V)>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + AsRef<str>,
    V: Deserialize<'de>,
{
    struct Unique<K, V>(std::marker::PhantomData<(K, V)>);
    impl<'de, K, V> Visitor<'de> for Unique<K, V>
    where
        K: Deserialize<'de> + Ord + AsRef<str>,
        V: Deserialize<'de>,
    {
        type Value = Vec<(K, V)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
            let mut v: Vec<(K, V)> = Vec::with_capacity(a.size_hint().unwrap_or(0));
            let mut sorted = true;
            while let Some(k) = a.next_key::<K>()? {
                if let Some((last, _)) = v.last() {
                    match last.cmp(&k) {
                        Ordering::Less => {}
                        Ordering::Equal => return Err(duplicate(&k)),
                        Ordering::Greater => sorted = false,
                    }
                }
                let value = a.next_value()?;
                v.push((k, value));
            }
            if !sorted {
                v.sort_by(|a, b| a.0.cmp(&b.0));
                if let Some(w) = v.windows(2).find(|w| w[0].0 == w[1].0) {
                    return Err(duplicate(&w[0].0));
                }
            }
            Ok(v)
        }
    }
    fn duplicate<K: AsRef<str>, E: serde::de::Error>(k: &K) -> E {
        E::custom(format!("duplicate key {:?}", k.as_ref()))
    }
    d.deserialize_map(Unique(std::marker::PhantomData))
}

fn read_text(path: &str) -> Result<String, String> {
    let mut text = String::new();
    if path == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("stdin: {e}"))?;
    } else {
        text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(text)
}

/// The strict serde reader: the messages for files the fast reader refuses.
fn parse_serde<'a>(path: &str, text: &'a str) -> Result<InstanceFile<'a>, String> {
    serde_json::from_str(text).map_err(|e| {
        let name = if path == "-" { "stdin" } else { path };
        format!("{name}: {e}")
    })
}

/// The instance from serde's reading, in the fast reader's shape.
fn from_serde(f: InstanceFile<'_>) -> read::Read<Cow<'_, str>> {
    let mut r = read::Read::default();
    for (k, list) in f.students {
        let start = r.prefs.len();
        r.prefs.extend(list.into_iter().map(|x| x.0));
        r.students.push((k.0, start..r.prefs.len()));
    }
    for (k, p) in f.positions {
        let start = r.rankings.len();
        r.rankings.extend(p.ranking.into_iter().map(|x| x.0));
        r.positions.push((k.0, p.capacity, start..r.rankings.len()));
    }
    r
}

/// The owned instance, for `--explain`.
fn to_instance<S: AsRef<str>>(r: &read::Read<S>) -> Instance {
    let own = |v: &[S]| v.iter().map(|x| x.as_ref().to_string()).collect();
    Instance {
        students: r
            .students
            .iter()
            .map(|(k, l)| (k.as_ref().to_string(), own(&r.prefs[l.clone()])))
            .collect(),
        positions: r
            .positions
            .iter()
            .map(|(k, c, l)| {
                let pos = Position {
                    capacity: *c,
                    ranking: own(&r.rankings[l.clone()]),
                };
                (k.as_ref().to_string(), pos)
            })
            .collect(),
    }
}

fn explained<S: AsRef<str>>(r: &read::Read<S>, m: &Matching) -> Vec<u8> {
    let instance = to_instance(r);
    let explanations: BTreeMap<String, Vec<serde_json::Value>> = matching::explain(&instance, m)
        .into_iter()
        .map(|(s, reasons)| {
            let v = reasons
                .iter()
                .map(|r| {
                    let mut v = serde_json::to_value(r).expect("a reason serializes");
                    v["text_zh"] = r.text_zh().into();
                    v["text_en"] = r.text_en().into();
                    v
                })
                .collect();
            (s, v)
        })
        .collect();
    let mut out = serde_json::to_vec(
        &serde_json::json!({"assignments": m.assignments, "explanations": explanations}),
    )
    .expect("JSON values serialize");
    out.push(b'\n');
    out
}

fn fail(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("skillbridge match: {e}");
    ExitCode::from(2)
}

/// Runs the command; exit code 0, or 2 for bad input, 1 if stdout cannot be written.
pub fn run(path: &str, explain: bool) -> ExitCode {
    // Everything from here on in huge pages (arena.rs). About 6 bytes are touched per byte of
    // input (10,000 students: 1.7 MB of JSON, 9 MB in all); 16 are reserved, as address space.
    // Unknown size (stdin): 1 GB, beyond which blocks come from the system allocator.
    let reserve = match std::fs::metadata(path) {
        Ok(m) if path != "-" => (m.len() as usize)
            .saturating_mul(16)
            .saturating_add(64 << 20),
        _ => 1 << 30,
    };
    arena::start(reserve);
    let text = match read_text(path) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    // The fast reader, or serde for its message (or for a file the fast reader leaves to it).
    let result = match read::read(&text) {
        Ok(file) => solve(file, explain),
        Err(read::Refused) => match parse_serde(path, &text) {
            Ok(f) => solve(from_serde(f), explain),
            Err(e) => return fail(e),
        },
    };
    // The process ends here: freeing the text at exit would only delay the exit that returns the
    // memory anyway.
    std::mem::forget(text);
    result
}

/// Solves the instance read and writes the answer to stdout.
fn solve<S: AsRef<str>>(file: read::Read<S>, explain: bool) -> ExitCode {
    let students: Vec<(&str, &[S])> = file
        .students
        .iter()
        .map(|(k, l)| (k.as_ref(), &file.prefs[l.clone()]))
        .collect();
    let positions: Vec<(&str, i64, &[S])> = file
        .positions
        .iter()
        .map(|(k, c, l)| (k.as_ref(), *c, &file.rankings[l.clone()]))
        .collect();
    let got = match matching::assign_sorted(&students, &positions) {
        Ok(g) => g,
        Err(e) => return fail(e),
    };
    let out = if explain {
        let m = Matching {
            assignments: students
                .iter()
                .zip(&got)
                .map(|(s, p)| {
                    (
                        s.0.to_string(),
                        p.map(|p| positions[p as usize].0.to_string()),
                    )
                })
                .collect(),
        };
        explained(&file, &m)
    } else {
        write::assignments(&students, &positions, &got)
    };
    let result = std::io::stdout().lock().write_all(&out);
    // Freeing 1.7 million ids one by one (0.1 s for 100,000 students) would only delay the exit.
    std::mem::forget(students);
    std::mem::forget(positions);
    std::mem::forget(file);
    std::mem::forget(out);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("skillbridge match: stdout: {e}");
            ExitCode::FAILURE
        }
    }
}
