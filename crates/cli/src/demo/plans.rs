//! The demo college's talent-cultivation plans (人才培养方案, issue 12 §2): a plan for every
//! program of the 2026 cohort, drafted for the program by a teacher of its school, co-signed by
//! an enterprise contact of the school's partners and approved, through the procedure itself
//! (so it is audited like a real one). The automotive programs have a second version, a draft
//! revised from the first: some of their core courses are co-developed with the carmaker, with
//! cutting-edge tags. A pure function of the plan (the seed) for the rows.

use super::gen::{row, Plan, Row};
use serde_json::Value;
use skillbridge_core::access::{Actor, ContactRole, Role};
use skillbridge_core::modules::plans::{PLANS, PLAN_COURSES, PLAN_SIGNATORIES};
use skillbridge_store::Store;

type Result<T> = std::result::Result<T, String>;

/// The cohort the plans are for.
pub const COHORT: i64 = 2026;

/// A course of the templates: (semester, code, name, type, nature, theory hours, practice
/// hours, credits in tenths).
type C = (
    i64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
    i64,
);

/// The courses every plan shares. With a program's own courses below they make 2,708 hours,
/// public foundation 25.6%, electives 10.6%, practice 72.7%, 16–18 hours per credit.
const COMMON: &[C] = &[
    (
        1,
        "GB001",
        "思想道德与法治",
        "public",
        "compulsory",
        40,
        8,
        30,
    ),
    (
        2,
        "GB002",
        "毛泽东思想和中国特色社会主义理论体系概论",
        "public",
        "compulsory",
        32,
        4,
        20,
    ),
    (1, "GB003", "形势与政策", "public", "compulsory", 32, 0, 20),
    (
        1,
        "GB004",
        "大学英语（一）",
        "public",
        "compulsory",
        64,
        0,
        40,
    ),
    (
        2,
        "GB005",
        "大学英语（二）",
        "public",
        "compulsory",
        64,
        0,
        40,
    ),
    (1, "GB006", "高等数学", "public", "compulsory", 64, 0, 40),
    (1, "GB007", "体育", "public", "compulsory", 8, 100, 60),
    (1, "GB008", "信息技术", "public", "compulsory", 16, 32, 30),
    (
        1,
        "GB009",
        "军事理论与军事技能",
        "public",
        "compulsory",
        36,
        112,
        90,
    ),
    (
        2,
        "GB010",
        "心理健康教育",
        "public",
        "compulsory",
        32,
        0,
        20,
    ),
    (2, "GB011", "劳动教育", "public", "compulsory", 0, 16, 10),
    (
        4,
        "GB012",
        "职业发展与就业指导",
        "public",
        "compulsory",
        16,
        16,
        20,
    ),
    (2, "SJ001", "认识实习", "practice", "compulsory", 0, 48, 30),
    (
        5,
        "SJ002",
        "综合实训",
        "practice",
        "compulsory",
        0,
        288,
        180,
    ),
    (
        6,
        "SJ003",
        "岗位实习",
        "practice",
        "compulsory",
        0,
        720,
        400,
    ),
    (5, "SJ004", "毕业设计", "practice", "compulsory", 0, 96, 60),
];

/// A program's own courses, from its short name: (semester, code suffix, name pattern, type,
/// nature, theory, practice, credits in tenths).
const OWN: &[C] = &[
    (
        1,
        "JC1",
        "{}专业导论",
        "foundation",
        "compulsory",
        32,
        32,
        40,
    ),
    (2, "JC2", "{}基础", "foundation", "compulsory", 32, 32, 40),
    (
        2,
        "JC3",
        "{}识图与制图",
        "foundation",
        "compulsory",
        32,
        32,
        40,
    ),
    (
        3,
        "HX1",
        "{}核心技术（一）",
        "core",
        "compulsory",
        24,
        40,
        40,
    ),
    (
        3,
        "HX2",
        "{}核心技术（二）",
        "core",
        "compulsory",
        24,
        40,
        40,
    ),
    (3, "HX3", "{}检测与维修", "core", "compulsory", 24, 40, 40),
    (4, "HX4", "{}系统装调", "core", "compulsory", 24, 40, 40),
    (4, "HX5", "{}故障诊断", "core", "compulsory", 24, 40, 40),
    (4, "HX6", "{}综合项目", "core", "compulsory", 24, 40, 40),
    (
        3,
        "TZ1",
        "{}新技术专题",
        "extension",
        "elective",
        16,
        32,
        30,
    ),
    (4, "TZ2", "{}企业案例", "extension", "elective", 16, 32, 30),
    (
        4,
        "TZ3",
        "{}标准与法规",
        "extension",
        "elective",
        16,
        32,
        30,
    ),
    (5, "TZ4", "{}创新创业", "extension", "elective", 16, 32, 30),
    (
        5,
        "TZ5",
        "{}工艺与管理",
        "extension",
        "elective",
        16,
        32,
        30,
    ),
    (
        5,
        "TZ6",
        "{}职业技能等级证书训练",
        "extension",
        "elective",
        16,
        32,
        30,
    ),
];

/// Whether a program is one of the automotive ones (the carmaker's industry).
fn automotive(major: &str, short: &str) -> bool {
    major.starts_with("4607") || major.starts_with("5002") || short.contains('汽')
}

fn course(plan: i64, code: String, c: &C, name: String, org: Option<i64>, tags: &str) -> Row {
    row([
        ("plan_id", plan.into()),
        ("semester", c.0.into()),
        ("course_code", code.into()),
        ("course_name", name.into()),
        ("theory_hours", c.5.into()),
        ("practice_hours", c.6.into()),
        ("credits", skillbridge_core::schema::decimal_value(c.7, 1)),
        ("course_type", c.3.into()),
        ("nature", c.4.into()),
        ("org_id", org.map_or(Value::Null, Into::into)),
        ("frontier_tags", (!tags.is_empty()).then_some(tags).into()),
        (
            "skill_tags",
            format!("{}操作,{}", c.2.replace("{}", ""), "安全规范").into(),
        ),
    ])
}

/// The courses of plan `plan_id` for program `p` (its position); version 2 of an automotive
/// program moves a course, drops one, and adds an intelligent-connected-vehicle elective.
fn course_rows(demo: &Plan, p: usize, plan_id: i64, version: i64, carmaker: i64) -> Vec<Row> {
    let prog = &demo.programs[p];
    let car = automotive(prog.def.major, prog.def.short);
    let mut out: Vec<Row> = COMMON
        .iter()
        .map(|c| course(plan_id, c.1.to_string(), c, c.2.to_string(), None, ""))
        .collect();
    for (i, c) in OWN.iter().enumerate() {
        let mut c = *c;
        if version == 2 && c.1 == "TZ3" {
            continue;
        }
        if version == 2 && c.1 == "HX6" {
            c.0 = 5;
        }
        let co = car && c.3 == "core" && i % 2 == 1;
        let tags = if co {
            "新能源汽车,智能网联汽车"
        } else {
            ""
        };
        out.push(course(
            plan_id,
            format!("{}{}", prog.code, c.1),
            &c,
            c.2.replace("{}", prog.def.short),
            co.then_some(carmaker),
            tags,
        ));
    }
    if version == 2 {
        let c = (
            4,
            "TZ7",
            "智能网联汽车技术",
            "extension",
            "elective",
            16,
            32,
            30,
        );
        out.push(course(
            plan_id,
            format!("{}TZ7", prog.code),
            &c,
            c.2.to_string(),
            Some(carmaker),
            "智能网联汽车",
        ));
    }
    out
}

/// What was loaded.
#[derive(Debug, Default)]
pub struct Loaded {
    pub plans: usize,
    pub courses: usize,
    pub approved: usize,
}

/// Loads the plans, their courses and signatories, and takes the first versions through the
/// procedure: submitted, co-signed by the signatory's own account, approved.
pub async fn load(
    store: &Store,
    demo: &Plan,
    program_ids: &[i64],
    staff_ids: &[i64],
    org_ids: &[i64],
    contact_ids: &[i64],
) -> Result<Loaded> {
    let system = Actor::system();
    let carmaker = org_ids[demo.anchors.carmaker];
    let mut loaded = Loaded::default();
    for (p, prog) in demo.programs.iter().enumerate() {
        let school = prog.def.school;
        let Some(&lead) = demo.teachers_by_school.get(school).and_then(|t| t.first()) else {
            continue;
        };
        let car = automotive(prog.def.major, prog.def.short);
        let signer = if car {
            demo.carmaker_hr
        } else {
            match demo.mentor_pools.get(school).and_then(|m| m.first()) {
                Some(&c) => c,
                None => continue,
            }
        };
        let mut parent: Option<i64> = None;
        for version in if car { 1..=2 } else { 1..=1 } {
            let rows = vec![row([
                ("program_id", program_ids[p].into()),
                ("cohort_year", COHORT.into()),
                ("version", version.into()),
                (
                    "title",
                    format!("{}专业人才培养方案（{COHORT}级）", prog.name).into(),
                ),
                ("lead_staff_id", staff_ids[lead].into()),
                ("status", "draft".into()),
                ("parent_id", parent.map_or(Value::Null, Into::into)),
            ])];
            let id = bulk(store, &PLANS, rows).await?[0];
            let courses = course_rows(demo, p, id, version, carmaker);
            loaded.courses += courses.len();
            bulk(store, &PLAN_COURSES, courses).await?;
            let sig = row([
                ("plan_id", id.into()),
                ("contact_id", contact_ids[signer].into()),
            ]);
            bulk(store, &PLAN_SIGNATORIES, vec![sig]).await?;
            loaded.plans += 1;
            if version == 1 {
                let plans = store.plans();
                plans
                    .submit(&system, id, "cli")
                    .await
                    .map_err(|e| format!("plan {}: {e}", prog.name))?;
                let signatory = Actor {
                    user_id: None,
                    username: "demo".into(),
                    roles: vec![Role::Enterprise {
                        org_id: org_ids[demo.contacts[signer].org],
                        contact_id: contact_ids[signer],
                        relation: ContactRole::Hr,
                    }],
                };
                plans
                    .sign(&signatory, id, "cli")
                    .await
                    .map_err(|e| format!("plan {}: {e}", prog.name))?;
                plans
                    .approve(
                        &system,
                        id,
                        None,
                        &skillbridge_core::modules::plans::PlanRules::default(),
                        "cli",
                    )
                    .await
                    .map_err(|e| format!("plan {}: {e}", prog.name))?;
                loaded.approved += 1;
            }
            parent = Some(id);
        }
    }
    Ok(loaded)
}

async fn bulk(
    store: &Store,
    def: &'static skillbridge_core::schema::ResourceDef,
    rows: Vec<Row>,
) -> Result<Vec<i64>> {
    store
        .bulk_insert(def, rows)
        .await
        .map_err(|e| format!("{}: {e:?}", def.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use skillbridge_core::modules::plans::{check_plan_courses, diff_plans, Course, PlanRules};

    fn courses(rows: &[Row]) -> Vec<Course> {
        rows.iter()
            .map(|r| Course {
                semester: r["semester"].as_i64().unwrap(),
                code: r["course_code"].as_str().unwrap().into(),
                name: r["course_name"].as_str().unwrap().into(),
                theory_hours: r["theory_hours"].as_i64().unwrap(),
                practice_hours: r["practice_hours"].as_i64().unwrap(),
                credits_tenths: PLAN_COURSES
                    .field("credits")
                    .unwrap()
                    .kind
                    .stored_int(&r["credits"])
                    .unwrap(),
                course_type: r["course_type"].as_str().unwrap().into(),
                nature: r["nature"].as_str().unwrap().into(),
                enterprise: None,
                frontier_tags: String::new(),
                skill_tags: String::new(),
            })
            .collect()
    }

    #[test]
    fn every_demo_plan_passes_the_checks_and_the_second_versions_differ_as_described() {
        let demo = Plan::new(1000, 2026).unwrap();
        let mut automotive_programs = 0;
        for (p, prog) in demo.programs.iter().enumerate() {
            let v1 = courses(&course_rows(&demo, p, 1, 1, 99));
            let r = check_plan_courses(&v1, &PlanRules::default());
            assert!(r.iter().all(|c| c.passed), "{}: {r:?}", prog.name);
            if !automotive(prog.def.major, prog.def.short) {
                continue;
            }
            automotive_programs += 1;
            let v2 = courses(&course_rows(&demo, p, 2, 2, 99));
            let r = check_plan_courses(&v2, &PlanRules::default());
            assert!(r.iter().all(|c| c.passed), "{} v2: {r:?}", prog.name);
            let d = diff_plans(&v1, &v2);
            assert_eq!(d.added.len(), 1);
            assert_eq!(d.removed.len(), 1);
            assert_eq!(d.moved().count(), 1);
            assert_eq!(d.totals_before.hours, 2708);
            assert_eq!(d.totals_after.hours, 2708);
        }
        assert!(automotive_programs >= 5, "{automotive_programs}");
    }
}
