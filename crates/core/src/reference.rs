//! Reference data shipped with SkillBridge (see `data/PROVENANCE.md` for sources and licences):
//! GB/T 2260 administrative divisions with Chengdu–Chongqing circle membership, ISO 3166
//! countries, GB/T 4754-2017 sections and divisions, and the demo's key industries.

use serde_json::{json, Map, Value};

static REGIONS: &str = include_str!("../data/regions.csv");
static COUNTRIES: &str = include_str!("../data/countries.csv");
static INDUSTRIES: &str = include_str!("../data/gbt4754_2017.csv");

/// Splits one CSV line; fields are quoted only when they hold a comma.
pub fn split_csv_line(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn rows(csv: &str) -> impl Iterator<Item = Map<String, Value>> + '_ {
    let mut lines = csv.lines();
    let header = split_csv_line(lines.next().unwrap_or_default());
    lines.filter(|l| !l.trim().is_empty()).map(move |l| {
        header
            .iter()
            .zip(split_csv_line(l))
            .map(|(h, v)| {
                (
                    h.clone(),
                    if v.is_empty() {
                        Value::Null
                    } else {
                        Value::String(v)
                    },
                )
            })
            .collect()
    })
}

/// Regions: code, name, level, parent_code, in_circle.
pub fn regions() -> Vec<Map<String, Value>> {
    rows(REGIONS).collect()
}

/// The countries that signed Belt and Road cooperation documents with China (共建“一带一路”
///合作文件), as listed on the Belt and Road portal: `data/belt_and_road.csv`, with its source
/// and date in `data/PROVENANCE.md`. The flag it sets is editable by an administrator.
static BELT_AND_ROAD: &str = include_str!("../data/belt_and_road.csv");

/// The ISO alpha-2 codes of the shipped Belt and Road list, sorted.
pub fn belt_and_road_codes() -> Vec<String> {
    let mut v: Vec<String> = rows(BELT_AND_ROAD)
        .filter_map(|r| r.get("alpha2").and_then(Value::as_str).map(str::to_string))
        .collect();
    v.sort();
    v
}

/// Countries: alpha2, alpha3, numeric, name_zh, name_en, belt_and_road.
pub fn countries() -> Vec<Map<String, Value>> {
    let belt_and_road = belt_and_road_codes();
    rows(COUNTRIES)
        .map(|mut r| {
            let br = r.get("alpha2").and_then(Value::as_str).is_some_and(|c| {
                belt_and_road
                    .binary_search_by(|x| x.as_str().cmp(c))
                    .is_ok()
            });
            r.insert("belt_and_road".into(), json!(br));
            r
        })
        .collect()
}

/// GB/T 4754-2017 sections and divisions: code, level, section, name_zh, name_en.
pub fn industries() -> Vec<Map<String, Value>> {
    rows(INDUSTRIES).collect()
}

/// The demo college's key industries (a configurable list; these are the defaults).
pub fn default_key_industries() -> Vec<Map<String, Value>> {
    [
        ("36", "汽车产业"),
        ("39", "电子信息产业"),
        ("34", "装备制造产业（通用设备）"),
        ("35", "装备制造产业（专用设备）"),
        ("65", "数字经济产业（软件和信息技术服务）"),
        ("64", "数字经济产业（互联网和相关服务）"),
    ]
    .into_iter()
    .map(|(c, l)| {
        json!({"industry_code": c, "label": l})
            .as_object()
            .cloned()
            .unwrap_or_default()
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_tables_load() {
        let r = regions();
        assert!(r.len() > 3000);
        assert!(r.iter().all(|x| x["code"].as_str().unwrap().len() == 6));
        assert!(!r
            .iter()
            .any(|x| x["code"].as_str().unwrap().as_bytes()[4] == b'7' && x["level"] == "county"));
        let shapingba = r.iter().find(|x| x["code"] == "500106").unwrap();
        assert_eq!(shapingba["in_circle"], "in");
        let c = countries();
        assert!(c
            .iter()
            .any(|x| x["alpha2"] == "LK" && x["belt_and_road"] == true));
        // The Belt and Road list names known countries, each once; Italy left in 2023.
        let br = belt_and_road_codes();
        assert_eq!(br.len(), 149);
        assert!(br.windows(2).all(|w| w[0] < w[1]));
        assert!(br
            .iter()
            .all(|b| c.iter().any(|x| x["alpha2"] == b.as_str())));
        assert_eq!(c.iter().filter(|x| x["belt_and_road"] == true).count(), 149);
        for (code, member) in [("SA", true), ("LK", true), ("IT", false), ("IN", false)] {
            let row = c.iter().find(|x| x["alpha2"] == code).unwrap();
            assert_eq!(row["belt_and_road"], member, "{code}");
        }
        let i = industries();
        assert_eq!(i.iter().filter(|x| x["level"] == "section").count(), 20);
        assert_eq!(i.iter().filter(|x| x["level"] == "division").count(), 97);
        assert_eq!(split_csv_line(r#"A,"x, y",B"#), vec!["A", "x, y", "B"]);
    }
}
