//! Export then import gives back every value: random valid records of every importable record
//! type, written as `.xlsx` and `.csv` with Chinese and English headers, read back.
//!
//! The generated text includes what tends to break a round trip: leading `=`, `+`, `-`, `@`
//! (neutralised with a `'` on export), a leading `'` of its own, digits with leading zeros in text
//! columns, commas, quotes and line breaks (CSV quoting), and Chinese characters.

use proptest::prelude::*;
use serde_json::{Map, Value};
use skillbridge_core::ids::{make_credit_code, make_id_number};
use skillbridge_core::import::importable_names;
use skillbridge_core::schema::{resource, Field, Kind, ResourceDef};
use skillbridge_io::{read, write, Format, Lang, Limits};

const CJK: &str =
    "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗重庆市沙坪坝区大学城东路号计算机应用技术班有限公司";
const OTHER: &str = "abcXYZ0123456789 -=+@'#/().,\"\n";

fn digits(n: usize) -> BoxedStrategy<String> {
    prop::collection::vec(0u8..10, n)
        .prop_map(|d| d.iter().map(|x| char::from(b'0' + x)).collect())
        .boxed()
}

fn text(max: usize) -> BoxedStrategy<String> {
    let pool: Vec<char> = CJK.chars().chain(OTHER.chars()).collect();
    let prefixes = vec!["", "", "", "=", "+", "-", "@", "'", "'=", "0"];
    prop_oneof![
        (
            prop::sample::select(prefixes),
            prop::collection::vec(prop::sample::select(pool), 1..16)
        )
            .prop_map(move |(p, cs)| {
                let s: String = p.chars().chain(cs).take(max).collect();
                let s = s.trim();
                if s.is_empty() {
                    "x".to_string()
                } else {
                    s.to_string()
                }
            }),
        // Numbers kept as text: student numbers with a leading zero, decimals.
        digits(max.clamp(1, 8)).prop_map(move |d| format!("0{d}").chars().take(max).collect()),
        Just("1.50".chars().take(max).collect()),
    ]
    .boxed()
}

fn date() -> BoxedStrategy<String> {
    (1950i32..2100, 1u32..13, 1u32..29)
        .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
        .boxed()
}

fn value(f: &'static Field) -> BoxedStrategy<Value> {
    let s = |st: BoxedStrategy<String>| st.prop_map(Value::String).boxed();
    let base: BoxedStrategy<Value> = match f.kind {
        Kind::Text { max } => s(text(max)),
        Kind::Int { min, max } => (min..=max).prop_map(Value::from).boxed(),
        Kind::Fen => (0i64..1_000_000_000_000).prop_map(Value::from).boxed(),
        Kind::Decimal { scale, min, max } => (min..=max)
            .prop_map(move |n| skillbridge_core::schema::decimal_value(n, scale))
            .boxed(),
        Kind::Ref(_) => (1i64..1_000_000).prop_map(Value::from).boxed(),
        Kind::Date => s(date()),
        Kind::Flag => any::<bool>().prop_map(Value::Bool).boxed(),
        Kind::Enum(t) => s(prop::sample::select(t.codes().collect::<Vec<_>>())
            .prop_map(str::to_string)
            .boxed()),
        Kind::RefCode { .. } => {
            s(prop_oneof![digits(6), Just("CN".to_string()), Just("LK".to_string())].boxed())
        }
        Kind::IdNumber => s((digits(6), date(), 0u32..1000)
            .prop_map(|(region, birth, seq)| {
                let region = format!("5{}", &region[1..]);
                make_id_number(&region, &birth.replace('-', ""), seq)
            })
            .boxed()),
        Kind::CreditCode => {
            let chars: Vec<char> = "0123456789ABCDEFGHJKLMNPQRTUWXY".chars().collect();
            s(prop::collection::vec(prop::sample::select(chars), 9)
                .prop_map(|cs| {
                    make_credit_code(&format!("91500000{}", cs.iter().collect::<String>()))
                })
                .boxed())
        }
        Kind::Phone => s(prop_oneof![
            (3u8..10, digits(9)).prop_map(|(b, d)| format!("1{b}{d}")),
            digits(8).prop_map(|d| format!("023-{d}")),
        ]
        .boxed()),
        Kind::MajorCode => s(digits(6)),
        Kind::Instant => s((date(), 0u32..24, 0u32..60)
            .prop_map(|(d, h, m)| format!("{d}T{h:02}:{m:02}:00.000Z"))
            .boxed()),
        Kind::Email => s(("[a-z]{1,8}", "[a-z]{1,8}")
            .prop_map(|(a, d)| format!("{a}@{d}.edu.cn"))
            .boxed()),
    };
    if f.required {
        base
    } else {
        prop_oneof![1 => Just(Value::Null), 3 => base].boxed()
    }
}

fn records(def: &'static ResourceDef) -> BoxedStrategy<Vec<Map<String, Value>>> {
    let fields: Vec<BoxedStrategy<Value>> = def.fields.iter().map(value).collect();
    let names: Vec<&'static str> = def.fields.iter().map(|f| f.name).collect();
    prop::collection::vec(
        fields.prop_map(move |vals| {
            names
                .iter()
                .zip(vals)
                .map(|(n, v)| (n.to_string(), v))
                .collect::<Map<String, Value>>()
        }),
        0..8,
    )
    .boxed()
}

/// What reading gives back for a stored value: text, or null.
fn as_read(v: &Value) -> Value {
    match v {
        Value::Null => Value::Null,
        Value::String(s) => Value::String(s.clone()),
        other => Value::String(other.to_string()),
    }
}

fn round_trip(def: &'static ResourceDef, recs: &[Map<String, Value>]) -> Result<(), TestCaseError> {
    for format in [Format::Xlsx, Format::Csv] {
        for lang in [Lang::Zh, Lang::En] {
            let bytes = write(def, recs, format, lang).unwrap();
            let parsed = read(def, &bytes, &Limits::default(), &mut |_| {}).unwrap();
            let ctx = format!("{} {format:?} {lang:?}", def.name);
            prop_assert_eq!(parsed.header_row, 1, "{}", ctx);
            prop_assert!(parsed.issues.is_empty(), "{}: {:?}", ctx, parsed.issues);
            prop_assert_eq!(parsed.rows.len(), recs.len(), "{}", ctx);
            for (i, (row, rec)) in parsed.rows.iter().zip(recs).enumerate() {
                prop_assert_eq!(row.row, i + 2, "{}", ctx);
                let expected: Map<String, Value> =
                    rec.iter().map(|(k, v)| (k.clone(), as_read(v))).collect();
                prop_assert_eq!(&row.values, &expected, "{} row {}", ctx, i + 2);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn students_round_trip(recs in records(resource("students").unwrap())) {
        round_trip(resource("students").unwrap(), &recs)?;
    }

    #[test]
    fn every_importable_record_type_round_trips(
        (name, recs) in prop::sample::select(importable_names())
            .prop_flat_map(|n| (Just(n), records(resource(n).unwrap())))
    ) {
        round_trip(resource(name).unwrap(), &recs)?;
    }
}

#[test]
fn exports_neutralise_formulas_and_use_labels() {
    let def = resource("staff").unwrap();
    let rec: Map<String, Value> = serde_json::from_value(serde_json::json!({
        "staff_no": "T001", "name": "=HYPERLINK(\"http://x\",\"点我\")", "gender": "2",
        "title": "associate_professor", "dual_qualified": true, "school_id": 3,
        "office": "@教务处", "phone": "+8613812345678", "email": null
    }))
    .unwrap();
    let csv = write(def, std::slice::from_ref(&rec), Format::Csv, Lang::Zh).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    let text = std::str::from_utf8(&csv[3..]).unwrap();
    assert_eq!(
        text,
        "工号,姓名,性别,职称,双师型,二级学院,部门,手机号,电子邮箱\r\n\
         T001,\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",女,副教授,是,3,'@教务处,'+8613812345678,\r\n"
    );
    let csv = write(def, std::slice::from_ref(&rec), Format::Csv, Lang::En).unwrap();
    let text = std::str::from_utf8(&csv[3..]).unwrap();
    assert!(
        text.starts_with("Staff number,Name,Gender,Title,Dual-qualified,School,"),
        "{text}"
    );
    assert!(
        text.contains(",Female,Associate professor,yes,3,"),
        "{text}"
    );
    // In the .xlsx the same text cells carry the quote, and nothing is stored as a formula.
    let xlsx = write(def, std::slice::from_ref(&rec), Format::Xlsx, Lang::Zh).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&xlsx)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(!sheet.contains("<f>"), "{sheet}");
    // Exports are written in constant-memory mode: strings are inline in the sheet, and there is
    // no shared-strings part.
    assert!(zip.by_name("xl/sharedStrings.xml").is_err());
    let strings = &sheet;
    assert!(
        strings.contains("&apos;=HYPERLINK") || strings.contains("'=HYPERLINK"),
        "{strings}"
    );
    assert!(sheet.contains("<pane"), "header row frozen");
}
