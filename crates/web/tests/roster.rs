//! Rosters as offices write them (issue 8, section 7): a roster saved by LibreOffice Calc from
//! the hand-written sources in `fixtures/roster/*.fods` (see `tools/make_roster_fixtures.sh`),
//! as `.xlsx` and as its GB18030 CSV export. Title rows, Chinese header spellings, `2025级`,
//! place names, a birth-date column, a program code and an unknown column import in one pass
//! once the classes exist; a variant with a contradicting birth date and an ambiguous place is
//! reported on its rows, naming both cells, and nothing is committed.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use skillbridge_core::access::Actor;
use skillbridge_core::ids::make_id_number;
use skillbridge_core::modules::college::STUDENTS;
use skillbridge_store::ListQuery;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/roster");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
}

/// One student of the roster, as the .fods sources were written (the same formulas).
struct Expected {
    student_no: String,
    name: String,
    gender: &'static str,
    id_number: String,
    phone: String,
    class: &'static str,
    program: &'static str,
    home_region: &'static str,
}

fn expected() -> Vec<Expected> {
    let surnames: Vec<char> = "张王李赵刘陈杨黄周吴".chars().collect();
    let given = ["子涵", "浩然", "欣怡"];
    let regions = ["500101", "500101", "500106", "510104"];
    (0..30)
        .map(|i| {
            let male = i % 3 != 1;
            let seq = 100 + 2 * i as u32 + u32::from(male);
            let region = regions[i % 4];
            let birth = format!("2007{:02}{:02}", 1 + i % 12, 1 + i % 28);
            Expected {
                student_no: format!("2025{:06}", i + 1),
                name: format!("{}{}", surnames[i % 10], given[i / 10]),
                gender: if male { "1" } else { "2" },
                id_number: make_id_number(region, &birth, seq),
                phone: format!("139{:08}", i + 1),
                class: if i % 2 == 0 {
                    "新能源2501"
                } else {
                    "计应2501"
                },
                program: if i % 2 == 0 { "A01" } else { "B01" },
                home_region: region,
            }
        })
        .collect()
}

/// A college whose 2025 classes exist: 新能源2501 of program A01, 计应2501 of B01.
async fn college_with_2025_classes() -> (App, Session) {
    let app = spawn_app().await;
    let admin = app.login_as("admin").await;
    for (name, program) in [("新能源2501", 0), ("计应2501", 1)] {
        let body = json!({"name": name, "program_id": app.fx.program[program], "entry_year": 2025});
        let r = admin.send(Method::POST, "/api/classes", Some(body)).await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    (app, admin)
}

/// Every student of the roster, unmasked, by student number (references as their key text).
async fn stored(app: &App) -> std::collections::HashMap<String, Value> {
    let q = ListQuery::default();
    let rows = app
        .store
        .export_full(&Actor::system(), &STUDENTS, &q, "roster test", "test")
        .await
        .unwrap();
    rows.into_iter()
        .filter_map(|r| Some((r["student_no"].as_str()?.to_string(), Value::Object(r))))
        .collect()
}

async fn imports_in_one_pass(file: &str) {
    let (app, admin) = college_with_2025_classes().await;
    let r = admin
        .send_bytes("/api/students/import", fixture(file))
        .await;
    assert_eq!(r.status, 200, "{file}: {}", r.text);
    let v = r.json();
    assert_eq!(
        (v["created"].as_u64(), v["committed"].as_bool()),
        (Some(30), Some(true)),
        "{file}"
    );
    // The unknown column is reported once, as a warning.
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{file}: {warnings:?}");
    assert_eq!(warnings[0]["column"], "宿舍号");
    assert_eq!(warnings[0]["code"], "ignored_column");
    let got = stored(&app).await;
    for e in expected() {
        let s = got
            .get(&e.student_no)
            .unwrap_or_else(|| panic!("{file}: {} missing", e.student_no));
        let want = json!({
            "name": e.name, "gender": e.gender, "id_number": e.id_number, "phone": e.phone,
            "class_id": e.class, "program_id": e.program, "home_region": e.home_region,
            "entry_year": 2025, "status": "enrolled",
        });
        for (k, w) in want.as_object().unwrap() {
            assert_eq!(&s[k], w, "{file}: {} {k}", e.student_no);
        }
    }
    // Importing the same file again changes nothing.
    let v = admin
        .send_bytes("/api/students/import", fixture(file))
        .await
        .json();
    assert_eq!(v["already_imported"], true, "{file}: {v}");
}

#[tokio::test]
async fn a_libreoffice_xlsx_roster_imports_in_one_pass() {
    imports_in_one_pass("roster.xlsx").await;
}

#[tokio::test]
async fn its_gb18030_csv_export_imports_in_one_pass() {
    imports_in_one_pass("roster.csv").await;
}

async fn contradictions_are_reported_on_their_rows(file: &str) {
    let (app, admin) = college_with_2025_classes().await;
    let before = app.store.count(&STUDENTS).await.unwrap();
    let r = admin
        .send_bytes("/api/students/import", fixture(file))
        .await;
    assert_eq!(r.status, 422, "{file}: {}", r.text);
    let issues = r.json()["report"]["issues"].as_array().unwrap().clone();
    assert_eq!(issues.len(), 2, "{file}: {issues:?}");
    // Title on row 1, the "filled by" line on 2, the header on 3: the 5th student is on row 8.
    let birth = &issues[0];
    assert_eq!(
        (birth["row"].as_u64(), birth["column"].as_str()),
        (Some(8), Some("出生日期"))
    );
    assert_eq!(birth["code"], "contradicts");
    let why = birth["reason"].as_str().unwrap();
    assert!(
        why.contains("出生日期") && why.contains("公民身份号码"),
        "{why}"
    );
    assert!(
        why.contains("2007-06-05") && why.contains("2007-05-05"),
        "{why}"
    );
    let place = &issues[1];
    assert_eq!(
        (place["row"].as_u64(), place["column"].as_str()),
        (Some(11), Some("生源所在地"))
    );
    assert_eq!(place["code"], "ambiguous");
    let why = place["reason"].as_str().unwrap();
    for c in ["重庆市江北区", "500105", "浙江省宁波市江北区", "330205"] {
        assert!(why.contains(c), "{why}");
    }
    assert_eq!(
        app.store.count(&STUDENTS).await.unwrap(),
        before,
        "nothing committed"
    );
}

#[tokio::test]
async fn a_bad_xlsx_roster_is_reported_on_its_rows() {
    contradictions_are_reported_on_their_rows("roster_bad.xlsx").await;
}

#[tokio::test]
async fn a_bad_gb18030_csv_roster_is_reported_on_its_rows() {
    contradictions_are_reported_on_their_rows("roster_bad.csv").await;
}

/// A college's own spelling, added by an administrator, is recognised at once and listed in
/// the import help; a spelling that is another column's is refused.
#[tokio::test]
async fn a_college_alias_is_data() {
    let (_app, admin) = college_with_2025_classes().await;
    let r = admin
        .send(
            Method::POST,
            "/api/header_aliases",
            Some(json!({"resource": "students", "field": "phone", "alias": "联系手机"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = admin
        .send(
            Method::POST,
            "/api/header_aliases",
            Some(json!({"resource": "students", "field": "phone", "alias": "证件号码"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let cols = admin.get("/api/students/import/columns").await.json();
    let phone = cols
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "phone")
        .unwrap();
    let spellings: Vec<&str> = phone["spellings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        spellings.contains(&"联系手机") && spellings.contains(&"手机号码"),
        "{spellings:?}"
    );
    let csv = "学号,姓名,性别,身份证号,联系手机,班级名称,年级\n\
               2025990001,测试生,男,500101200701011017,13900009999,新能源2501,2025级\n";
    let r = admin
        .send_bytes("/api/students/import", csv.as_bytes().to_vec())
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let v = r.json();
    assert_eq!(v["created"], 1);
    assert_eq!(v["warnings"].as_array().unwrap().len(), 0, "{v}");
}

/// A gender that contradicts the ID number's 17th digit is an error naming both columns.
#[tokio::test]
async fn a_gender_contradicting_the_id_number_is_reported() {
    let (app, admin) = college_with_2025_classes().await;
    let before = app.store.count(&STUDENTS).await.unwrap();
    // 500101200701011017: digit 17 is 1, a man's.
    let csv = "学号,姓名,性别,证件号码,班级名称,年级\n\
               2025990002,测试生,女,500101200701011017,新能源2501,2025级\n";
    let r = admin
        .send_bytes("/api/students/import", csv.as_bytes().to_vec())
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let i = &r.json()["report"]["issues"][0];
    assert_eq!(
        (i["row"].as_u64(), i["column"].as_str()),
        (Some(2), Some("性别"))
    );
    assert_eq!(i["code"], "contradicts");
    let why = i["reason"].as_str().unwrap();
    assert!(why.contains("性别") && why.contains("证件号码"), "{why}");
    assert_eq!(app.store.count(&STUDENTS).await.unwrap(), before);
}

/// A class implies its program; a program (by name or by code) that disagrees with the class is
/// an error naming both columns, and a program code that names no program is an error on its cell.
#[tokio::test]
async fn a_class_and_a_program_that_disagree_are_reported() {
    let (app, admin) = college_with_2025_classes().await;
    let before = app.store.count(&STUDENTS).await.unwrap();
    let csv = "学号,姓名,性别,身份证号码,班级名称,专业名称,专业代码,年级\n\
               2025990003,甲,男,500101200701011017,新能源2501,计算机应用技术,,2025级\n\
               2025990004,乙,男,500101200701011017,计应2501,,460702,2025级\n\
               2025990005,丙,男,500101200701011017,计应2501,,999999,2025级\n";
    let r = admin
        .send_bytes("/api/students/import", csv.as_bytes().to_vec())
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let issues = r.json()["report"]["issues"].as_array().unwrap().clone();
    let got: Vec<(u64, &str, &str, &str)> = issues
        .iter()
        .filter(|i| i["field"] != "id_number") // the same ID number on three rows
        .map(|i| {
            (
                i["row"].as_u64().unwrap(),
                i["column"].as_str().unwrap(),
                i["value"].as_str().unwrap(),
                i["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (2, "专业名称", "计算机应用技术", "disagrees"),
            (3, "专业代码", "460702", "disagrees"),
            (4, "专业代码", "999999", "not_found"),
        ],
        "{issues:?}"
    );
    let why = issues[0]["reason"].as_str().unwrap();
    assert!(
        why.contains("专业名称") && why.contains("班级名称"),
        "{why}"
    );
    assert_eq!(app.store.count(&STUDENTS).await.unwrap(), before);
}

/// A problem on every row (the ID number column is missing) is given once in `groups`, with its
/// count and rows; `issues` still lists it row by row.
#[tokio::test]
async fn a_problem_on_every_row_is_grouped_once() {
    let (_app, admin) = college_with_2025_classes().await;
    let csv = "学号,姓名,性别,班级名称,年级\n\
               2025990011,甲,男,新能源2501,2025级\n\
               2025990012,乙,男,新能源2501,2025级\n\
               2025990013,丙,男,新能源2501,2025级\n";
    let r = admin
        .send_bytes("/api/students/import", csv.as_bytes().to_vec())
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let report = &r.json()["report"];
    assert_eq!(report["issues"].as_array().unwrap().len(), 3, "{report}");
    let groups = report["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{report}");
    assert_eq!(
        (
            groups[0]["field"].as_str(),
            groups[0]["count"].as_u64(),
            groups[0]["rows"].as_str()
        ),
        (Some("id_number"), Some(3), Some("2–4"))
    );
}
