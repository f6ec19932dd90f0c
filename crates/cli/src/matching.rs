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

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use skillbridge_core::matching::{self, Instance, Position};
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

fn parse<'a>(path: &str, text: &'a str) -> Result<InstanceFile<'a>, String> {
    serde_json::from_str(text).map_err(|e| {
        let name = if path == "-" { "stdin" } else { path };
        format!("{name}: {e}")
    })
}

/// The owned instance, for `--explain`.
fn to_instance(f: &InstanceFile<'_>) -> Instance {
    let own = |v: &[Id<'_>]| v.iter().map(|x| x.0.to_string()).collect();
    Instance {
        students: f
            .students
            .iter()
            .map(|(k, v)| (k.0.to_string(), own(v)))
            .collect(),
        positions: f
            .positions
            .iter()
            .map(|(k, p)| {
                let pos = Position {
                    capacity: p.capacity,
                    ranking: own(&p.ranking),
                };
                (k.0.to_string(), pos)
            })
            .collect(),
    }
}

/// Runs the command; exit code 0, or 2 for bad input, 1 if stdout cannot be written.
pub fn run(path: &str, explain: bool) -> ExitCode {
    let text = match read_text(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("skillbridge match: {e}");
            return ExitCode::from(2);
        }
    };
    let file = match parse(path, &text) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("skillbridge match: {e}");
            return ExitCode::from(2);
        }
    };
    let students: Vec<(&str, &[Id<'_>])> = file
        .students
        .iter()
        .map(|(k, v)| (k.as_ref(), v.as_slice()))
        .collect();
    let positions: Vec<(&str, i64, &[Id<'_>])> = file
        .positions
        .iter()
        .map(|(k, p)| (k.as_ref(), p.capacity, p.ranking.as_slice()))
        .collect();
    let m = match matching::solve_sorted(&students, &positions) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("skillbridge match: {e}");
            return ExitCode::from(2);
        }
    };
    let out = std::io::stdout().lock();
    let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
    let written = if explain {
        let instance = to_instance(&file);
        let explanations: BTreeMap<String, Vec<serde_json::Value>> =
            matching::explain(&instance, &m)
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
        serde_json::to_writer(
            &mut w,
            &serde_json::json!({"assignments": m.assignments, "explanations": explanations}),
        )
    } else {
        serde_json::to_writer(&mut w, &m)
    };
    let result = written
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(w))
        .and_then(|()| w.flush());
    // The process ends here: freeing 1.7 million strings one by one (0.1 s for 100,000 students)
    // would only delay the exit that returns the memory anyway.
    std::mem::forget(students);
    std::mem::forget(positions);
    std::mem::forget(file);
    std::mem::forget(text);
    std::mem::forget(m);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("skillbridge match: stdout: {e}");
            ExitCode::FAILURE
        }
    }
}
