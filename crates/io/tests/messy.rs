//! Real college spreadsheets, generated: titles above the header, decorated headers, full-width
//! digits, ID numbers that Excel made into numbers, dates as serials and as text, formulas,
//! blank rows, GB18030 CSV, and what a reader must refuse (no header, too many rows).

use rust_xlsxwriter::{Format as XFormat, Workbook};
use serde_json::{json, Map, Value};
use skillbridge_core::ids::make_id_number;
use skillbridge_core::import::RowIssue;
use skillbridge_core::modules::college::STUDENTS;
use skillbridge_core::modules::partners::AGREEMENTS;
use skillbridge_core::schema::RESOURCES;
use skillbridge_io::{read, template, Format, Lang, Limits, Parsed};

fn parse(def: &'static skillbridge_core::schema::ResourceDef, bytes: &[u8]) -> Parsed {
    read(def, bytes, &Limits::default(), &mut |_| {}).expect("reads")
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn issue(row: usize, column: &str, field: &str, value: &str, code: &str, reason: &str) -> RowIssue {
    RowIssue {
        row,
        column: column.into(),
        field: field.into(),
        value: value.into(),
        code: code.into(),
        reason: reason.into(),
    }
}

const ID_REASON: &str = "stored as a number: Excel keeps only 15 digits, so the last digits are lost; format the column as text and enter it again";
const FORMULA_REASON: &str = "formulas are not accepted: paste the values";

/// A roster as offices send it: a merged title, a note, a decorated header, full-width digits,
/// an ID number stored as a number, a formula, masked values, blank and near-blank rows.
fn messy_workbook(id1: &str) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let title = XFormat::new().set_bold();
    // Row 1: a title merged across the sheet; row 2: a note and a date.
    ws.merge_range(0, 0, 0, 9, "重庆某职业技术学院 2024级学生名单", &title)
        .unwrap();
    ws.write_string(1, 0, "制表：教务处").unwrap();
    ws.write_number(1, 3, 45536.0).unwrap();
    // Row 3: the header, decorated the way people do.
    let header = [
        "学号*",
        "姓　名",
        "性别",
        "身份证号（必填）",
        "手机号",
        "专业",
        "班级",
        "入学年份",
        "学籍状态",
        "备注",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    // Row 4: full-width digits, a phone stored as a number, labels for enums.
    let r = 3;
    ws.write_string(r, 0, "２０２４００１").unwrap();
    ws.write_string(r, 1, "张三").unwrap();
    ws.write_string(r, 2, "男").unwrap();
    ws.write_string(r, 3, id1).unwrap();
    ws.write_number(r, 4, 13812345678.0).unwrap();
    ws.write_string(r, 5, "计算机应用技术").unwrap();
    ws.write_string(r, 6, "计应2401").unwrap();
    ws.write_number(r, 7, 2024.0).unwrap();
    ws.write_string(r, 8, "在读").unwrap();
    ws.write_string(r, 9, "班长").unwrap();
    // Row 5: the ID number stored as a number (its last digits already lost).
    let r = 4;
    ws.write_number(r, 0, 2024002.0).unwrap();
    ws.write_string(r, 1, "李四").unwrap();
    ws.write_string(r, 2, "女").unwrap();
    ws.write_number(r, 3, 500101200509170000.0).unwrap();
    ws.write_string(r, 4, "138 1234 5679").unwrap();
    ws.write_string(r, 7, "２０２４").unwrap();
    ws.write_string(r, 8, "enrolled").unwrap();
    // Row 6: blank inside the data.
    // Row 7: the ID number as Excel shows a long number, a formula, a gender code as a number.
    let r = 6;
    ws.write_string(r, 0, "2024003").unwrap();
    ws.write_string(r, 1, "  王五 ").unwrap();
    ws.write_number(r, 2, 1.0).unwrap();
    ws.write_string(r, 3, "5.00101E+17").unwrap();
    ws.write_formula(r, 7, "=2023+1").unwrap();
    ws.write_string(r, 8, "在读").unwrap();
    // Row 8: masked values as exported, sent back unchanged.
    let r = 7;
    ws.write_string(r, 0, "2024004").unwrap();
    ws.write_string(r, 1, "赵六").unwrap();
    ws.write_string(r, 2, "男").unwrap();
    ws.write_string(r, 3, "5001**********123X").unwrap();
    ws.write_string(r, 4, "138****5678").unwrap();
    ws.write_string(r, 8, "毕业").unwrap();
    // Rows 9 and 10: blank but formatted, or holding only spaces; and a note in an unknown column.
    let grey = XFormat::new().set_background_color("#EEEEEE");
    for c in 0..10 {
        ws.write_blank(8, c, &grey).unwrap();
    }
    ws.write_string(9, 1, "   ").unwrap();
    ws.write_string(10, 9, "以上信息已核对").unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn messy_student_sheet() {
    let id1 = make_id_number("500101", "20050917", 1);
    let bytes = messy_workbook(&id1);

    let mut seen = Vec::new();
    let p = read(&STUDENTS, &bytes, &Limits::default(), &mut |n| seen.push(n)).unwrap();
    assert_eq!(p.header_row, 3);
    let cols: Vec<(&str, Option<&str>)> = p.columns.iter().map(|(h, f)| (h.as_str(), *f)).collect();
    assert_eq!(
        cols,
        [
            ("学号*", Some("student_no")),
            ("姓　名", Some("name")),
            ("性别", Some("gender")),
            ("身份证号（必填）", Some("id_number")),
            ("手机号", Some("phone")),
            ("专业", Some("program_id")),
            ("班级", Some("class_id")),
            ("入学年份", Some("entry_year")),
            ("学籍状态", Some("status")),
            ("备注", None),
        ]
    );
    let rows: Vec<(usize, &Map<String, Value>)> =
        p.rows.iter().map(|r| (r.row, &r.values)).collect();
    assert_eq!(rows.len(), 4, "{rows:#?}");
    assert_eq!(rows[0].0, 4);
    assert_eq!(
        *rows[0].1,
        obj(json!({
            "student_no": "2024001", "name": "张三", "gender": "1", "id_number": id1,
            "phone": "13812345678", "program_id": "计算机应用技术", "class_id": "计应2401",
            "entry_year": "2024", "status": "enrolled"
        }))
    );
    assert_eq!(rows[1].0, 5);
    assert_eq!(
        *rows[1].1,
        obj(json!({
            "student_no": "2024002", "name": "李四", "gender": "2",
            "phone": "138 1234 5679", "program_id": null, "class_id": null,
            "entry_year": "2024", "status": "enrolled"
        }))
    );
    assert_eq!(rows[2].0, 7);
    assert_eq!(
        *rows[2].1,
        obj(json!({
            "student_no": "2024003", "name": "王五", "gender": "1",
            "phone": null, "program_id": null, "class_id": null, "status": "enrolled"
        }))
    );
    assert_eq!(rows[3].0, 8);
    assert_eq!(
        *rows[3].1,
        obj(json!({
            "student_no": "2024004", "name": "赵六", "gender": "1",
            "id_number": "5001**********123X", "phone": "138****5678",
            "program_id": null, "class_id": null, "entry_year": null, "status": "graduated"
        }))
    );
    assert_eq!(
        p.issues,
        [
            issue(
                5,
                "身份证号（必填）",
                "id_number",
                "5001**********0000",
                "id_number_as_number",
                ID_REASON
            ),
            issue(
                7,
                "身份证号（必填）",
                "id_number",
                "5.00***E+17",
                "id_number_as_number",
                ID_REASON
            ),
            issue(
                7,
                "入学年份",
                "entry_year",
                "=2023+1",
                "formula",
                FORMULA_REASON
            ),
        ]
    );
    assert_eq!(seen, [4], "a final progress call with the row count");
}

#[test]
fn messy_agreement_sheet_with_dates() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(0, 0, 1, 7, "校企合作协议台账（2024）", &XFormat::new())
        .unwrap();
    let header = [
        "协议编号",
        "合作单位",
        "协议类型",
        "协议名称",
        "开始日期",
        "结束日期",
        "状态",
        "金额（分）",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let date = XFormat::new().set_num_format("yyyy/m/d");
    // A serial number without a date format, and a date-formatted cell.
    ws.write_string(3, 0, "XY-2024-001").unwrap();
    ws.write_string(3, 1, "重庆某某科技有限公司").unwrap();
    ws.write_string(3, 2, "订单班").unwrap();
    ws.write_string(3, 3, "订单班合作协议").unwrap();
    ws.write_number(3, 4, 45536.0).unwrap();
    ws.write_number_with_format(3, 5, 46630.0, &date).unwrap();
    ws.write_string(3, 6, "生效").unwrap();
    ws.write_number(3, 7, 1_000_000.0).unwrap();
    // Dates typed as text.
    ws.write_string(4, 0, "XY-2024-002").unwrap();
    ws.write_string(4, 1, "某某医院").unwrap();
    ws.write_string(4, 2, "Internship").unwrap();
    ws.write_string(4, 3, "实习基地协议").unwrap();
    ws.write_string(4, 4, "2024/9/1").unwrap();
    ws.write_string(4, 5, "2025/8/31").unwrap();
    ws.write_string(4, 6, "active").unwrap();
    for r in 5..40 {
        ws.write_blank(r, 0, &date).unwrap();
    }
    let p = parse(&AGREEMENTS, &wb.save_to_buffer().unwrap());
    assert_eq!(p.header_row, 3);
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    assert_eq!(p.rows.len(), 2);
    assert_eq!(p.rows[0].row, 4);
    assert_eq!(
        p.rows[0].values,
        obj(json!({
            "agreement_no": "XY-2024-001", "org_id": "重庆某某科技有限公司", "kind": "order_class",
            "title": "订单班合作协议", "start_date": "2024-09-01", "end_date": "2027-08-31",
            "status": "active", "amount_fen": "1000000"
        }))
    );
    assert_eq!(p.rows[1].row, 5);
    assert_eq!(
        p.rows[1].values,
        obj(json!({
            "agreement_no": "XY-2024-002", "org_id": "某某医院", "kind": "internship",
            "title": "实习基地协议", "start_date": "2024/9/1", "end_date": "2025/8/31",
            "status": "active", "amount_fen": null
        }))
    );
}

#[test]
fn gb18030_csv_with_title_empty_lines_and_multiline_cells() {
    let id = make_id_number("500101", "20050917", 7);
    let text = format!(
        "2024级学生名单,,,\r\n学号,姓名,性别,身份证号,家庭住址,备注\r\n2024001,张三,男,{id},重庆市,\r\n\r\n2024002,李四,女,5.00101E+17,\"重庆市\r\n沙坪坝区\",\r\n２０２４００３,王五,男,{id},,\r\n,,,,,\r\n,,,,,\r\n"
    );
    let (gb, _, bad) = encoding_rs::GB18030.encode(&text);
    assert!(!bad);
    let p = parse(&STUDENTS, &gb);
    assert_eq!(p.header_row, 2);
    let rows: Vec<usize> = p.rows.iter().map(|r| r.row).collect();
    // The empty line is row 4 as Excel shows it; the quoted line break stays inside row 5.
    assert_eq!(rows, [3, 5, 6]);
    assert_eq!(p.rows[0].values["gender"], json!("1"));
    assert_eq!(p.rows[1].values["address"], json!("重庆市\r\n沙坪坝区"));
    assert!(!p.rows[1].values.contains_key("id_number"));
    assert_eq!(p.rows[2].values["student_no"], json!("2024003"));
    assert_eq!(p.issues.len(), 1);
    assert_eq!(p.issues[0].row, 5);
    assert_eq!(p.issues[0].code, "id_number_as_number");
    assert_eq!(p.columns.last().unwrap(), &("备注".to_string(), None));

    // The same file in UTF-8 with a BOM, and as Excel's UTF-16 "Unicode text" (tabs).
    let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    assert_eq!(parse(&STUDENTS, &bom), p);
    let tabbed = text.replace(',', "\t");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(tabbed.encode_utf16().flat_map(|u| u.to_le_bytes()));
    assert_eq!(parse(&STUDENTS, &utf16), p);
}

#[test]
fn headers_must_be_found_and_are_taken_only_when_they_say_so() {
    let err = read(
        &STUDENTS,
        "名单\n甲,乙,丙\n1,2,3\n".as_bytes(),
        &Limits::default(),
        &mut |_| {},
    )
    .unwrap_err();
    assert_eq!(err.code(), "no_header");
    assert!(err.to_string().contains("学号 (Student number)"), "{err}");
    // Below row 30 is too late.
    let late = format!("{}学号,姓名\n1,张三\n", "说明\n".repeat(30));
    let err = read(&STUDENTS, late.as_bytes(), &Limits::default(), &mut |_| {}).unwrap_err();
    assert_eq!(err.code(), "no_header");
    let in_time = format!("{}学号,姓名\n1,张三\n", "说明\n".repeat(29));
    assert_eq!(parse(&STUDENTS, in_time.as_bytes()).header_row, 30);
    // English headers in any case; a second column for one field is an issue.
    let p = parse(
        &STUDENTS,
        b"STUDENT NUMBER,name,Gender,Student number,Remarks\n2024001,Zhang San,Male,x,y\n",
    );
    assert_eq!(
        p.rows[0].values,
        obj(json!({"student_no": "2024001", "name": "Zhang San", "gender": "1"}))
    );
    assert_eq!(p.issues.len(), 1);
    assert_eq!(
        (p.issues[0].row, p.issues[0].code.as_str()),
        (1, "duplicate_column")
    );
    assert_eq!(p.columns[3], ("Student number".to_string(), None));
    assert_eq!(p.columns[4], ("Remarks".to_string(), None));
}

#[test]
fn a_sheet_of_one_column_has_a_one_cell_header() {
    let p = parse(
        &STUDENTS,
        "学生学号清单\n\n学号\n2024001\n2024002\n".as_bytes(),
    );
    assert_eq!(p.header_row, 3);
    assert_eq!(p.rows.len(), 2);
    assert_eq!(p.rows[1].row, 5);
    assert_eq!(p.rows[1].values, obj(json!({"student_no": "2024002"})));
}

#[test]
fn too_many_rows_and_progress() {
    let mut csv = String::from("学号,姓名\n");
    for i in 0..25_000 {
        csv.push_str(&format!("{i},名{i}\n"));
    }
    let mut seen = Vec::new();
    let p = read(&STUDENTS, csv.as_bytes(), &Limits::default(), &mut |n| {
        seen.push(n)
    })
    .unwrap();
    assert_eq!(p.rows.len(), 25_000);
    assert_eq!(seen, [10_000, 20_000, 25_000]);
    let limits = Limits {
        max_rows: 25_000,
        ..Limits::default()
    };
    assert!(read(&STUDENTS, csv.as_bytes(), &limits, &mut |_| {}).is_ok());
    let limits = Limits {
        max_rows: 24_999,
        ..Limits::default()
    };
    let err = read(&STUDENTS, csv.as_bytes(), &limits, &mut |_| {}).unwrap_err();
    assert_eq!(err.code(), "too_many_rows");
    assert!(err.is_too_large());
}

#[test]
fn templates_read_back_as_a_header_and_no_rows() {
    for def in RESOURCES {
        for format in [Format::Xlsx, Format::Csv] {
            for lang in [Lang::Zh, Lang::En] {
                let bytes = template(def, format, lang);
                let p = parse(def, &bytes);
                assert_eq!(p.header_row, 1);
                assert!(p.rows.is_empty() && p.issues.is_empty());
                let fields: Vec<Option<&str>> = p.columns.iter().map(|c| c.1).collect();
                let expected: Vec<Option<&str>> = def.fields.iter().map(|f| Some(f.name)).collect();
                assert_eq!(fields, expected, "{} {format:?} {lang:?}", def.name);
            }
        }
    }
    // Required columns are marked for the person filling it in.
    let p = parse(&STUDENTS, &template(&STUDENTS, Format::Csv, Lang::Zh));
    assert_eq!(p.columns[0].0, "学号*");
    assert_eq!(p.columns[4].0, "手机号");
}

#[test]
fn a_sparse_sheet_does_not_allocate_its_bounding_box() {
    // One cell in the last row and column of the sheet: as a dense range this would be 17
    // billion cells; streamed, it is three rows.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "学号").unwrap();
    ws.write_string(0, 1, "姓名").unwrap();
    ws.write_string(1, 0, "2024001").unwrap();
    ws.write_string(1_048_575, 16_383, "far away").unwrap();
    let p = parse(&STUDENTS, &wb.save_to_buffer().unwrap());
    assert_eq!(p.rows.len(), 1);
    assert_eq!(
        p.rows[0].values,
        obj(json!({"student_no": "2024001", "name": null}))
    );
}

#[test]
fn the_first_visible_worksheet_is_read() {
    let mut wb = Workbook::new();
    let hidden = wb.add_worksheet();
    hidden.write_string(0, 0, "代码表").unwrap();
    hidden.set_hidden(true);
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "学号").unwrap();
    ws.write_string(0, 1, "姓名").unwrap();
    ws.write_string(1, 0, "1").unwrap();
    ws.set_active(true);
    let p = parse(&STUDENTS, &wb.save_to_buffer().unwrap());
    assert_eq!(p.rows.len(), 1);
}

/// The phone mask used to panic on this (found by the `ids` fuzz target): a formula in a phone
/// column is reported with its text masked, and the text after the dash held multi-byte
/// characters. It is now reported like any formula.
#[test]
fn a_formula_in_a_phone_column_is_reported_masked() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["学号", "姓名", "手机号"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "2024001").unwrap();
    ws.write_string(1, 1, "张三").unwrap();
    ws.write_formula(1, 2, "=A1-中中").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let p = parse(&STUDENTS, &bytes);
    assert_eq!(
        p.issues,
        vec![issue(
            2,
            "手机号",
            "phone",
            "=A1-中中",
            "formula",
            FORMULA_REASON
        )]
    );
}
