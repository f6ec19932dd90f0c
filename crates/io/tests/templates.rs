//! Templates people fill in: an example row the import skips while it is left as written, a
//! note with the accepted spellings on each header, and drop-down lists (data validation) for
//! coded columns and references, long lists on a hidden sheet. Checked in the written file's
//! XML, and by reading the template back.

use serde_json::Value;
use skillbridge_core::import::importable_names;
use skillbridge_core::schema::{parse_value, resource, Kind, ResourceDef};
use skillbridge_io::{
    accepted_spellings, example_text, read, template_with, Format, Lang, Limits, TemplateLists,
    MAX_CHOICES,
};
use std::io::Read;

/// The text of one part of an `.xlsx` (a zip archive).
fn part(bytes: &[u8], name: &str) -> Option<String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut f = z.by_name(name).ok()?;
    let mut s = String::new();
    f.read_to_string(&mut s).expect("UTF-8 XML");
    Some(s)
}

fn defs() -> impl Iterator<Item = &'static ResourceDef> {
    importable_names()
        .into_iter()
        .map(|n| resource(n).expect("importable"))
}

/// For every reference field: a short list, or (for the first one) a list far over 255
/// characters, or (for the second) one over the choice limit, which offers no list.
fn lists_for(def: &ResourceDef) -> TemplateLists {
    let mut lists = TemplateLists::default();
    let refs = def.fields.iter().filter(|f| matches!(f.kind, Kind::Ref(_)));
    for (i, f) in refs.enumerate() {
        let n = match i {
            0 => 80,
            1 => MAX_CHOICES + 1,
            _ => 3,
        };
        let list = (0..n).map(|k| format!("{}-{k:03}", f.name)).collect();
        lists.choices.insert(f.name.to_string(), list);
    }
    lists
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

#[test]
fn every_template_has_lists_notes_and_an_example_row() {
    for def in defs() {
        for lang in [Lang::Zh, Lang::En] {
            let at = format!("{} {lang:?}", def.name);
            let lists = lists_for(def);
            let bytes = template_with(def, Format::Xlsx, lang, &lists);
            let sheet = part(&bytes, "xl/worksheets/sheet1.xml").expect("sheet1");
            let refs: Vec<_> = def
                .fields
                .iter()
                .filter(|f| matches!(f.kind, Kind::Ref(_)))
                .collect();
            let coded = def
                .fields
                .iter()
                .filter(|f| matches!(f.kind, Kind::Enum(_) | Kind::Flag))
                .count();
            // One list validation per coded column and per reference with a list under the limit.
            let offered = refs.iter().enumerate().filter(|(i, _)| *i != 1).count();
            assert_eq!(
                count(&sheet, "<dataValidation type=\"list\""),
                coded + offered,
                "{at}"
            );
            // Enum labels in the header's language are offered inline (short lists).
            for f in def.fields {
                if let Kind::Enum(t) = f.kind {
                    let joined: Vec<&str> = t
                        .labels
                        .iter()
                        .map(|l| if lang == Lang::Zh { l.zh } else { l.en })
                        .collect();
                    let inline = format!("\"{}\"", joined.join(",")).replace('&', "&amp;");
                    if inline.encode_utf16().count() <= 257
                        && !joined.iter().any(|l| l.contains(','))
                    {
                        assert!(sheet.contains(&inline), "{at}: {} list {inline}", f.name);
                    }
                }
            }
            // The long reference list is on a hidden sheet, referred to by its range.
            let workbook = part(&bytes, "xl/workbook.xml").expect("workbook");
            if refs.is_empty() {
                assert!(!workbook.contains("state=\"hidden\""), "{at}");
            } else {
                assert!(workbook.contains("state=\"hidden\""), "{at}: {workbook}");
                assert!(sheet.contains("!$A$1:$A$80</formula1>"), "{at}");
                let hidden = part(&bytes, "xl/worksheets/sheet2.xml").expect("hidden sheet");
                assert_eq!(count(&hidden, "<c "), 80, "{at}");
            }
            // Every header has a note with its accepted spellings.
            let notes = part(&bytes, "xl/comments1.xml").expect("notes");
            for (f, spellings) in accepted_spellings(def, &[]) {
                if !def.fields.iter().any(|g| g.name == f.name) {
                    continue; // an import-only column has no template column
                }
                assert!(spellings.len() >= 2, "{at}: {}", f.name);
                for a in spellings {
                    assert!(notes.contains(&a), "{at}: the note of {} lacks {a}", f.name);
                }
            }
            assert_eq!(
                count(&notes, "<comment ref=\""),
                def.fields.len() + 1,
                "{at}: a note per header and one on the example row"
            );
            // The example row is there and is not imported.
            assert!(sheet.contains("<row r=\"2\""), "{at}");
            let p = read(def, &bytes, &Limits::default(), &mut |_| {}).expect("reads");
            assert!(p.rows.is_empty(), "{at}: the example row was read as data");
            assert!(p.issues.is_empty(), "{at}: {:?}", p.issues);
        }
    }
}

#[test]
fn example_values_are_valid_values_of_their_fields() {
    for def in defs() {
        for lang in [Lang::Zh, Lang::En] {
            for f in def.fields {
                let Some(t) = example_text(def, f, lang) else {
                    assert!(matches!(f.kind, Kind::Ref(_) | Kind::RefCode { .. }));
                    continue;
                };
                // Enum examples are labels: the reader turns them into codes first.
                let v = match f.kind {
                    Kind::Enum(tb) => Value::String(tb.code(&t).expect("a label").to_string()),
                    Kind::Flag => Value::Bool(true),
                    Kind::Int { .. } | Kind::Fen => Value::from(t.parse::<i64>().unwrap()),
                    _ => Value::String(t.clone()),
                };
                assert!(
                    parse_value(f, &v).is_ok(),
                    "{} {}: {t} {:?}",
                    def.name,
                    f.name,
                    parse_value(f, &v)
                );
            }
        }
    }
}

/// A CSV with the header, then `rows`, each a list of cells in the order of the fields.
fn csv(def: &ResourceDef, rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::new();
    let header: Vec<&str> = def.fields.iter().map(|f| f.zh).collect();
    out.push_str(&header.join(","));
    out.push('\n');
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| format!("\"{c}\"")).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

fn example(def: &ResourceDef, lang: Lang) -> Vec<String> {
    def.fields
        .iter()
        .map(|f| match f.kind {
            // A reference example is a record of the database: any text.
            Kind::Ref(_) | Kind::RefCode { .. } => "R1".to_string(),
            _ => example_text(def, f, lang).unwrap(),
        })
        .collect()
}

#[test]
fn the_example_row_is_skipped_only_while_left_as_written() {
    for def in defs() {
        for lang in [Lang::Zh, Lang::En] {
            let at = format!("{} {lang:?}", def.name);
            let ex = example(def, lang);
            let parse = |b: &[u8]| read(def, b, &Limits::default(), &mut |_| {}).unwrap();
            // Left in: skipped, and a real row below it is read.
            let mut real = ex.clone();
            let (edit, other) = def
                .fields
                .iter()
                .enumerate()
                .find_map(|(i, f)| match f.kind {
                    Kind::Text { .. } => Some((i, "实际的值".to_string())),
                    Kind::Date => Some((i, "2027-01-15".to_string())),
                    Kind::Enum(t) if t.labels.len() > 1 => Some((i, t.labels[1].zh.to_string())),
                    _ => None,
                })
                .expect("a field to edit");
            real[edit] = other;
            let p = parse(&csv(def, &[ex.clone(), real.clone()]));
            assert_eq!(p.rows.len(), 1, "{at}");
            assert_eq!(p.rows[0].row, 3, "{at}");
            // Edited in one cell: it is data.
            let p = parse(&csv(def, &[real.clone()]));
            assert_eq!(p.rows.len(), 1, "{at}");
            // Below a real row it is data too (only the row under the header is the example).
            let p = parse(&csv(def, &[real.clone(), ex.clone()]));
            assert_eq!(p.rows.len(), 2, "{at}");
        }
    }
}
