//! The demo college's digital teaching resources (issue 12 §4): courseware, online courses, a
//! virtual simulation resource and new-form textbooks of the automotive schools and the media
//! school, several co-written with the carmaker's engineers; the courses that use them (program +
//! course code) and their enrolled learners. Fixed data, not scaled with `--students`.

use super::gen::{row, Plan, Row};
use super::Result;
use skillbridge_core::modules::resources::{
    RESOURCE_AUTHORS, RESOURCE_COURSES, TEACHING_RESOURCES,
};
use skillbridge_store::Store;

/// A resource: number, title, kind, school position, licence, link, published, learners,
/// co-written with the carmaker, and its course (code, name).
struct Res {
    no: &'static str,
    title: &'static str,
    kind: &'static str,
    school: usize,
    licence: &'static str,
    link: Option<&'static str>,
    published: &'static str,
    learners: i64,
    carmaker: bool,
    course: (&'static str, &'static str),
}

const RESOURCES: &[Res] = &[
    Res {
        no: "ZY-2023-001",
        title: "汽车故障诊断技术在线开放课程",
        kind: "online_course",
        school: 0,
        licence: "cc_by_nc_sa",
        link: Some("https://mooc.cqvc.edu.cn/course/qcgzzd"),
        published: "2023-09-01",
        learners: 4_820,
        carmaker: true,
        course: ("QC2103", "汽车故障诊断技术"),
    },
    Res {
        no: "ZY-2024-002",
        title: "新能源汽车高压系统拆装虚拟仿真实训",
        kind: "simulation",
        school: 1,
        licence: "campus",
        link: Some("https://vr.cqvc.edu.cn/sim/gaoya"),
        published: "2024-03-15",
        learners: 1_260,
        carmaker: true,
        course: ("XN2201", "新能源汽车高压安全与防护"),
    },
    Res {
        no: "ZY-2024-003",
        title: "汽车电气系统检修（活页式教材）",
        kind: "loose_leaf",
        school: 0,
        licence: "all_rights",
        link: None,
        published: "2024-08-20",
        learners: 960,
        carmaker: true,
        course: ("QC1205", "汽车电气系统检修"),
    },
    Res {
        no: "ZY-2025-004",
        title: "动力电池管理系统检测工作手册",
        kind: "workbook",
        school: 1,
        licence: "campus",
        link: None,
        published: "2025-02-25",
        learners: 540,
        carmaker: false,
        course: ("XN2305", "动力电池及管理系统检修"),
    },
    Res {
        no: "ZY-2025-005",
        title: "短视频拍摄与剪辑课件",
        kind: "courseware",
        school: 5,
        licence: "cc_by",
        link: Some("https://res.cqvc.edu.cn/szcm/dsp"),
        published: "2025-09-01",
        learners: 380,
        carmaker: false,
        course: ("SC1102", "短视频拍摄与剪辑"),
    },
];

/// Inserts the resources, their authors and courses; returns how many resources.
pub async fn load(
    store: &Store,
    plan: &Plan,
    schools: &[i64],
    programs: &[i64],
    staff: &[i64],
    orgs: &[i64],
    contacts: &[i64],
) -> Result<usize> {
    let teacher = |school: usize, k: usize| {
        let t = &plan.teachers_by_school[school];
        staff[t[k % t.len()]]
    };
    let rows: Vec<Row> = RESOURCES
        .iter()
        .map(|r| {
            let mut x = row([
                ("resource_no", r.no.into()),
                ("title", r.title.into()),
                ("kind", r.kind.into()),
                ("school_id", schools[r.school].into()),
                ("lead_id", teacher(r.school, 1).into()),
                ("licence", r.licence.into()),
                ("published_on", r.published.into()),
                ("learners", r.learners.into()),
            ]);
            if let Some(l) = r.link {
                x.insert("link".into(), l.into());
            }
            if r.carmaker {
                x.insert("partner_org_id".into(), orgs[plan.anchors.carmaker].into());
            }
            x
        })
        .collect();
    let ids = super::insert(store, &TEACHING_RESOURCES, rows).await?;
    let mut authors = Vec::new();
    let mut courses = Vec::new();
    for (i, (r, id)) in RESOURCES.iter().zip(&ids).enumerate() {
        authors.push(row([
            ("resource_id", (*id).into()),
            ("kind", "staff".into()),
            ("staff_id", teacher(r.school, 1).into()),
            ("role", "chief".into()),
        ]));
        authors.push(row([
            ("resource_id", (*id).into()),
            ("kind", "staff".into()),
            ("staff_id", teacher(r.school, 2).into()),
            ("role", "author".into()),
        ]));
        if r.carmaker && !plan.carmaker_mentors.is_empty() {
            let engineer = plan.carmaker_mentors[i % plan.carmaker_mentors.len()];
            authors.push(row([
                ("resource_id", (*id).into()),
                ("kind", "enterprise".into()),
                ("contact_id", contacts[engineer].into()),
                ("role", "author".into()),
            ]));
        }
        // Every program of the school that teaches the course uses the resource.
        for (p, program) in plan.programs.iter().enumerate() {
            if program.def.school == r.school {
                courses.push(row([
                    ("resource_id", (*id).into()),
                    ("program_id", programs[p].into()),
                    ("course_code", r.course.0.into()),
                    ("course_name", r.course.1.into()),
                ]));
            }
        }
    }
    super::insert(store, &RESOURCE_AUTHORS, authors).await?;
    super::insert(store, &RESOURCE_COURSES, courses).await?;
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use skillbridge_core::modules::resources::link_ok;

    #[test]
    fn links_are_valid_and_online_resources_have_one() {
        for r in RESOURCES {
            if let Some(l) = r.link {
                assert!(link_ok(l), "{l}");
            }
            if matches!(r.kind, "online_course" | "simulation") {
                assert!(r.link.is_some(), "{}", r.no);
            }
            assert!(r.learners > 0);
        }
        let kinds: std::collections::BTreeSet<&str> = RESOURCES.iter().map(|r| r.kind).collect();
        assert_eq!(kinds.len(), 5, "every kind of resource");
    }
}
