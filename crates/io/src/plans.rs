//! A talent-cultivation plan as colleges file it in Excel: the course table by semester, each
//! semester closed by its subtotal row, then the structure summary (totals, shares and the
//! checks with their numbers). [`write_plan`] makes the sheet, [`read_plan`] reads one back
//! (the course rows: a semester number in the first column and a course code in the second;
//! subtotals and the summary are recomputed, never read).

use crate::{check_xlsx_container, sniff, Format, IoError, Limits};
use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Color, Format as Style, FormatAlign, FormatBorder, Workbook};
use skillbridge_core::modules::plans::{
    check_plan_courses, totals, Course, PlanRules, COURSE_NATURES, COURSE_TYPES,
};
use skillbridge_core::schema::{decimal_text, decimal_units};
use std::io::Cursor;

/// A plan as the sheet holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanSheet {
    pub title: String,
    /// The program's name, as the heading shows it.
    pub program: String,
    pub cohort_year: i64,
    pub version: i64,
    pub courses: Vec<Course>,
}

const HEAD: [&str; 12] = [
    "学期",
    "课程代码",
    "课程名称",
    "课程类型",
    "课程性质",
    "理论学时",
    "实践学时",
    "总学时",
    "学分",
    "共建企业",
    "前沿内容标签",
    "技能标签",
];

fn w(e: rust_xlsxwriter::XlsxError) -> IoError {
    IoError::Write(e.to_string())
}

fn credits_number(tenths: i64) -> f64 {
    decimal_text(tenths, 1).parse().unwrap_or(0.0)
}

/// The plan as a formatted `.xlsx`: heading, course table by semester with subtotals, and the
/// structure summary with the checks under `rules`.
pub fn write_plan(plan: &PlanSheet, rules: &PlanRules) -> Result<Vec<u8>, IoError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("人才培养方案").map_err(w)?;
    let title = Style::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    let head = Style::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let cell = Style::new().set_border(FormatBorder::Thin);
    let sub = Style::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color(Color::RGB(0xF2F2F2));
    ws.merge_range(0, 0, 0, 11, &plan.title, &title)
        .map_err(w)?;
    ws.write_string(
        1,
        0,
        format!(
            "专业：{}　年级：{}级　版本：第{}版",
            plan.program, plan.cohort_year, plan.version
        ),
    )
    .map_err(w)?;
    for (c, h) in HEAD.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &head)
            .map_err(w)?;
    }
    for (c, width) in [6, 12, 26, 12, 10, 10, 10, 10, 8, 22, 22, 30]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *width as f64).map_err(w)?;
    }
    let mut row = 3u32;
    let mut semesters: Vec<i64> = plan.courses.iter().map(|c| c.semester).collect();
    semesters.sort_unstable();
    semesters.dedup();
    for s in semesters {
        let in_sem: Vec<Course> = plan
            .courses
            .iter()
            .filter(|c| c.semester == s)
            .cloned()
            .collect();
        for c in &in_sem {
            let label = |t: &skillbridge_core::labels::EnumTable, code: &str| {
                t.label(code, true).unwrap_or(code).to_string()
            };
            ws.write_number_with_format(row, 0, s as f64, &cell)
                .map_err(w)?;
            ws.write_string_with_format(row, 1, &c.code, &cell)
                .map_err(w)?;
            ws.write_string_with_format(row, 2, &c.name, &cell)
                .map_err(w)?;
            ws.write_string_with_format(row, 3, label(&COURSE_TYPES, &c.course_type), &cell)
                .map_err(w)?;
            ws.write_string_with_format(row, 4, label(&COURSE_NATURES, &c.nature), &cell)
                .map_err(w)?;
            ws.write_number_with_format(row, 5, c.theory_hours as f64, &cell)
                .map_err(w)?;
            ws.write_number_with_format(row, 6, c.practice_hours as f64, &cell)
                .map_err(w)?;
            ws.write_number_with_format(row, 7, c.hours() as f64, &cell)
                .map_err(w)?;
            ws.write_number_with_format(row, 8, credits_number(c.credits_tenths), &cell)
                .map_err(w)?;
            ws.write_string_with_format(row, 9, c.enterprise.as_deref().unwrap_or(""), &cell)
                .map_err(w)?;
            ws.write_string_with_format(row, 10, &c.frontier_tags, &cell)
                .map_err(w)?;
            ws.write_string_with_format(row, 11, &c.skill_tags, &cell)
                .map_err(w)?;
            row += 1;
        }
        let t = totals(&in_sem);
        ws.write_string_with_format(row, 0, "小计", &sub)
            .map_err(w)?;
        ws.write_string_with_format(row, 2, format!("第{s}学期小计（{}门）", t.courses), &sub)
            .map_err(w)?;
        for (c, v) in [
            (5, t.theory_hours as f64),
            (6, t.practice_hours as f64),
            (7, t.hours as f64),
            (8, credits_number(t.credits_tenths)),
        ] {
            ws.write_number_with_format(row, c, v, &sub).map_err(w)?;
        }
        row += 1;
    }
    write_summary(ws, row + 1, &plan.courses, rules, &head, &cell)?;
    wb.save_to_buffer().map_err(w)
}

/// The structure summary and the checks, from row `row` on.
fn write_summary(
    ws: &mut rust_xlsxwriter::Worksheet,
    mut row: u32,
    courses: &[Course],
    rules: &PlanRules,
    head: &Style,
    cell: &Style,
) -> Result<(), IoError> {
    let t = totals(courses);
    ws.merge_range(row, 0, row, 3, "课程结构汇总", head)
        .map_err(w)?;
    row += 1;
    let lines: Vec<(&str, String)> = vec![
        ("课程门数", t.courses.to_string()),
        ("总学时", t.hours.to_string()),
        ("理论学时", t.theory_hours.to_string()),
        ("实践学时", t.practice_hours.to_string()),
        ("总学分", decimal_text(t.credits_tenths, 1)),
        ("公共基础课学时", t.public_hours.to_string()),
        ("选修课学时", t.elective_hours.to_string()),
    ];
    for (k, v) in lines {
        ws.write_string_with_format(row, 0, "汇总", cell)
            .map_err(w)?;
        ws.write_string_with_format(row, 2, k, cell).map_err(w)?;
        ws.write_string_with_format(row, 3, v, cell).map_err(w)?;
        row += 1;
    }
    row += 1;
    for (c, h) in ["检查", "", "项目", "本方案", "要求", "结果"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(row, c as u16, *h, head)
            .map_err(w)?;
    }
    row += 1;
    for r in check_plan_courses(courses, rules) {
        ws.write_string_with_format(row, 0, "检查", cell)
            .map_err(w)?;
        ws.write_string_with_format(row, 2, r.zh, cell).map_err(w)?;
        ws.write_string_with_format(row, 3, &r.value, cell)
            .map_err(w)?;
        ws.write_string_with_format(row, 4, &r.limit, cell)
            .map_err(w)?;
        let verdict = if r.passed {
            "符合".to_string()
        } else if r.courses.is_empty() {
            "不符合".to_string()
        } else {
            format!("不符合：{}", r.courses.join("、"))
        };
        ws.write_string_with_format(row, 5, verdict, cell)
            .map_err(w)?;
        row += 1;
    }
    Ok(())
}

fn text_of(d: &Data) -> String {
    match d {
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => crate::cell::number_text(*f),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string().trim().to_string(),
    }
}

fn bad(row: usize, what: &str) -> IoError {
    IoError::Malformed(format!("row {}: {what}", row + 1))
}

fn int_of(d: &Data, row: usize, what: &str) -> Result<i64, IoError> {
    let t = text_of(d);
    t.parse::<i64>()
        .map_err(|_| bad(row, &format!("{what} is not a whole number: {t}")))
}

/// One course row of the sheet (`texts` its cells as text, `cells` as read).
fn course_row(
    semester: i64,
    code: String,
    texts: &[String],
    cells: &[Data],
    i: usize,
) -> Result<Course, IoError> {
    let at = |c: usize| texts.get(c).cloned().unwrap_or_default();
    let cell = |c: usize| cells.get(c).cloned().unwrap_or(Data::Empty);
    let enum_code = |t: &'static skillbridge_core::labels::EnumTable, c: usize, what: &str| {
        let v = at(c);
        t.code(&v)
            .map(str::to_string)
            .ok_or_else(|| bad(i, &format!("{what} is not one of the options: {v}")))
    };
    let credits = at(8);
    let enterprise = Some(at(9)).filter(|v| !v.is_empty());
    Ok(Course {
        semester,
        code,
        name: at(2),
        course_type: enum_code(&COURSE_TYPES, 3, "课程类型 / course type")?,
        nature: enum_code(&COURSE_NATURES, 4, "课程性质 / compulsory or elective")?,
        theory_hours: int_of(&cell(5), i, "理论学时 / theory hours")?,
        practice_hours: int_of(&cell(6), i, "实践学时 / practice hours")?,
        credits_tenths: decimal_units(&credits, 1)
            .map_err(|_| bad(i, &format!("学分 / credits is not a number: {credits}")))?,
        enterprise,
        frontier_tags: at(10),
        skill_tags: at(11),
    })
}

/// Reads a plan sheet made by [`write_plan`] or laid out like it: the heading (title; program,
/// cohort and version), the header row with 课程代码, and the course rows below it.
pub fn read_plan(bytes: &[u8], limits: &Limits) -> Result<PlanSheet, IoError> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(IoError::TooLarge {
            size: bytes.len() as u64,
            max: limits.max_file_bytes,
        });
    }
    if sniff(bytes)? != Format::Xlsx {
        return Err(IoError::NotASpreadsheet(
            "a plan is read from an .xlsx workbook".into(),
        ));
    }
    check_xlsx_container(bytes, limits)?;
    let mut wb: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| IoError::Malformed(e.to_string()))?;
    let name = wb
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| IoError::NotASpreadsheet("the workbook has no worksheet".into()))?;
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| IoError::Malformed(e.to_string()))?;
    let rows: Vec<Vec<String>> = range
        .rows()
        .take(limits.max_rows + 50)
        .map(|r| r.iter().map(text_of).collect())
        .collect();
    let at = |r: usize, c: usize| {
        rows.get(r)
            .and_then(|x| x.get(c))
            .cloned()
            .unwrap_or_default()
    };
    let header = rows
        .iter()
        .take(30)
        .position(|r| r.get(1).is_some_and(|c| c == "课程代码"))
        .ok_or_else(|| IoError::NoHeader {
            expected: HEAD.join("、"),
        })?;
    let title = (0..header)
        .map(|r| at(r, 0))
        .find(|t| !t.is_empty() && !t.starts_with("专业："))
        .unwrap_or_default();
    let meta = (0..header)
        .map(|r| at(r, 0))
        .find(|t| t.starts_with("专业："))
        .unwrap_or_default();
    let part = |key: &str, end: &str| -> String {
        meta.split_once(key)
            .map(|(_, rest)| {
                rest.split(['　', ' '])
                    .next()
                    .unwrap_or("")
                    .trim_end_matches(end)
                    .to_string()
            })
            .unwrap_or_default()
    };
    let program = part("专业：", "");
    let cohort_year = part("年级：", "级").parse().unwrap_or(0);
    let version = part("版本：第", "版").parse().unwrap_or(1);
    let raw = range.rows().collect::<Vec<_>>();
    let mut courses = Vec::new();
    for (i, r) in rows.iter().enumerate().skip(header + 1) {
        let first = r.first().cloned().unwrap_or_default();
        let code = r.get(1).cloned().unwrap_or_default();
        let Ok(semester) = first.parse::<i64>() else {
            continue;
        };
        if code.is_empty() {
            continue;
        }
        courses.push(course_row(semester, code, &rows[i], raw[i], i)?);
    }
    Ok(PlanSheet {
        title,
        program,
        cohort_year,
        version,
        courses,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(sem: i64, code: &str, ty: &str, nature: &str, t: i64, p: i64, cr: i64) -> Course {
        Course {
            semester: sem,
            code: code.into(),
            name: format!("课程{code}"),
            theory_hours: t,
            practice_hours: p,
            credits_tenths: cr,
            course_type: ty.into(),
            nature: nature.into(),
            enterprise: None,
            frontier_tags: String::new(),
            skill_tags: String::new(),
        }
    }

    #[test]
    fn an_exported_plan_imported_back_equals_the_original() {
        let mut courses = vec![
            course(1, "GB01", "public", "compulsory", 200, 124, 180),
            course(1, "GB02", "public", "compulsory", 48, 16, 40),
            course(2, "ZJ01", "foundation", "compulsory", 32, 32, 35),
            course(3, "ZH01", "core", "compulsory", 150, 170, 200),
            course(5, "TZ01", "extension", "elective", 100, 188, 160),
            course(6, "SJ01", "practice", "compulsory", 0, 960, 600),
        ];
        courses[3].enterprise = Some("长安汽车股份有限公司".into());
        courses[3].frontier_tags = "新能源汽车,智能网联汽车".into();
        courses[3].skill_tags = "高压安全,电池管理系统诊断".into();
        courses[2].credits_tenths = 35; // 3.5 credits
        let plan = PlanSheet {
            title: "新能源汽车技术专业人才培养方案（2026级）".into(),
            program: "新能源汽车技术".into(),
            cohort_year: 2026,
            version: 2,
            courses,
        };
        let bytes = write_plan(&plan, &PlanRules::default()).unwrap();
        let back = read_plan(&bytes, &Limits::default()).unwrap();
        assert_eq!(back, plan);
    }

    #[test]
    fn a_sheet_without_the_course_header_is_refused() {
        let mut wb = Workbook::new();
        wb.add_worksheet().write_string(0, 0, "学号").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        assert!(matches!(
            read_plan(&bytes, &Limits::default()),
            Err(IoError::NoHeader { .. })
        ));
    }
}
