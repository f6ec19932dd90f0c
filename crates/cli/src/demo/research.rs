//! The demo college's joint R&D (issue 12 §3): five projects from 2022 to 2026, horizontal ones
//! with the carmaker (its after-sales diagnostic system), the media group and a Sri Lankan
//! college, and a vertical one funded by the municipal education commission; money received in
//! each year, teams, patents, a software copyright, a standard and a paper. Fixed data, not
//! scaled with `--students`.

use super::gen::{row, Plan, Row};
use super::Result;
use serde_json::Value;
use skillbridge_core::modules::research::{
    RESEARCH_OUTCOMES, RESEARCH_PARTICIPANTS, RESEARCH_PARTNERS, RESEARCH_PROJECTS,
    RESEARCH_RECEIPTS,
};
use skillbridge_store::Store;

/// Yuan to fen.
const fn yuan(y: i64) -> i64 {
    y * 100
}

/// A project: number, title, kind, school position, funder, start, end, contract (yuan),
/// status, and the money received per year (yuan).
struct Project {
    no: &'static str,
    title: &'static str,
    kind: &'static str,
    school: usize,
    funder: Option<&'static str>,
    start: &'static str,
    end: &'static str,
    contract: i64,
    status: &'static str,
    received: &'static [(i64, i64)],
}

const PROJECTS: &[Project] = &[
    Project {
        no: "HX-2022-001",
        title: "渝驰汽车售后诊断系统开发",
        kind: "horizontal",
        school: 0,
        funder: None,
        start: "2022-03-01",
        end: "2026-12-31",
        contract: 3_800_000,
        status: "active",
        received: &[
            (2022, 600_000),
            (2023, 900_000),
            (2024, 1_000_000),
            (2025, 800_000),
            (2026, 500_000),
        ],
    },
    Project {
        no: "HX-2023-002",
        title: "新能源汽车动力电池包检测工装研制",
        kind: "horizontal",
        school: 1,
        funder: None,
        start: "2023-04-15",
        end: "2025-12-31",
        contract: 680_000,
        status: "completed",
        received: &[(2023, 200_000), (2024, 300_000), (2025, 180_000)],
    },
    Project {
        no: "ZX-2022-001",
        title: "智能网联汽车实训平台关键技术研究",
        kind: "vertical",
        school: 0,
        funder: Some("重庆市教育委员会科学技术研究项目"),
        start: "2022-09-01",
        end: "2024-08-31",
        contract: 200_000,
        status: "completed",
        received: &[(2022, 120_000), (2023, 80_000)],
    },
    Project {
        no: "HX-2024-003",
        title: "融媒体短视频智能剪辑工具开发",
        kind: "horizontal",
        school: 5,
        funder: None,
        start: "2024-05-01",
        end: "2026-10-31",
        contract: 450_000,
        status: "active",
        received: &[(2024, 150_000), (2025, 200_000), (2026, 100_000)],
    },
    Project {
        no: "HX-2025-004",
        title: "斯里兰卡数字乡村信息服务平台技术服务",
        kind: "horizontal",
        school: 4,
        funder: None,
        start: "2025-03-01",
        end: "2027-02-28",
        contract: 520_000,
        status: "active",
        received: &[(2025, 260_000), (2026, 130_000)],
    },
];

/// What was loaded: projects and the money received in all (fen).
pub struct Loaded {
    pub projects: usize,
    pub received_fen: i64,
}

/// Inserts the projects and what belongs to them. `student` takes part in the diagnostic system
/// as a student assistant.
pub async fn load(
    store: &Store,
    plan: &Plan,
    schools: &[i64],
    staff: &[i64],
    orgs: &[i64],
    student: i64,
) -> Result<Loaded> {
    let lead = |school: usize, k: usize| -> Value {
        let t = &plan.teachers_by_school[school];
        staff[t[k % t.len()]].into()
    };
    let rows: Vec<Row> = PROJECTS
        .iter()
        .map(|p| {
            let mut r = row([
                ("project_no", p.no.into()),
                ("title", p.title.into()),
                ("kind", p.kind.into()),
                ("school_id", schools[p.school].into()),
                ("lead_id", lead(p.school, 0)),
                ("start_date", p.start.into()),
                ("end_date", p.end.into()),
                ("contract_fen", yuan(p.contract).into()),
                ("status", p.status.into()),
            ]);
            if let Some(f) = p.funder {
                r.insert("funder".into(), f.into());
            }
            r
        })
        .collect();
    let ids = super::insert(store, &RESEARCH_PROJECTS, rows).await?;
    let a = &plan.anchors;
    let partners = vec![
        row([
            ("project_id", ids[0].into()),
            ("org_id", orgs[a.carmaker].into()),
            ("role", "client".into()),
        ]),
        row([
            ("project_id", ids[1].into()),
            ("org_id", orgs[a.carmaker].into()),
            ("role", "client".into()),
        ]),
        row([
            ("project_id", ids[3].into()),
            ("org_id", orgs[a.media].into()),
            ("role", "client".into()),
        ]),
        row([
            ("project_id", ids[4].into()),
            ("org_id", orgs[a.lk_edu].into()),
            ("role", "co_developer".into()),
        ]),
    ];
    super::insert(store, &RESEARCH_PARTNERS, partners).await?;
    let mut receipts = Vec::new();
    let mut received_fen = 0;
    for (p, id) in PROJECTS.iter().zip(&ids) {
        for &(year, amount) in p.received {
            received_fen += yuan(amount);
            receipts.push(row([
                ("project_id", (*id).into()),
                ("year", year.into()),
                ("amount_fen", yuan(amount).into()),
            ]));
        }
    }
    super::insert(store, &RESEARCH_RECEIPTS, receipts).await?;
    let mut team = Vec::new();
    for (p, id) in PROJECTS.iter().zip(&ids) {
        for (k, role) in [(0, "lead"), (1, "core"), (2, "member")] {
            team.push(row([
                ("project_id", (*id).into()),
                ("kind", "staff".into()),
                ("staff_id", lead(p.school, k)),
                ("role", role.into()),
            ]));
        }
    }
    team.push(row([
        ("project_id", ids[0].into()),
        ("kind", "student".into()),
        ("student_id", student.into()),
        ("role", "assistant".into()),
    ]));
    super::insert(store, &RESEARCH_PARTICIPANTS, team).await?;
    super::insert(store, &RESEARCH_OUTCOMES, outcome_rows(&ids)).await?;
    Ok(Loaded {
        projects: ids.len(),
        received_fen,
    })
}

/// The outcomes: two patents and a software copyright of the diagnostic system, a group
/// standard of the battery fixture, a paper of the vertical project, a product of the media tool.
fn outcome_rows(ids: &[i64]) -> Vec<Row> {
    let o = |project: i64, kind: &str, title: &str, extra: &[(&str, &str)]| {
        let mut r = row([
            ("project_id", project.into()),
            ("kind", kind.into()),
            ("title", title.into()),
        ]);
        for (k, v) in extra {
            r.insert((*k).into(), (*v).into());
        }
        r
    };
    vec![
        o(
            ids[0],
            "patent",
            "一种基于CAN总线数据的汽车故障诊断方法",
            &[
                ("number", "ZL202310456789.3"),
                ("patent_type", "invention"),
                ("patent_status", "granted"),
                ("dated", "2025-06-20"),
            ],
        ),
        o(
            ids[0],
            "patent",
            "一种车载诊断接口转接装置",
            &[
                ("number", "ZL202321234567.8"),
                ("patent_type", "utility"),
                ("patent_status", "granted"),
                ("dated", "2024-03-12"),
            ],
        ),
        o(
            ids[0],
            "software",
            "渝驰售后远程诊断云平台V1.0",
            &[("number", "2024SR0312456"), ("dated", "2024-02-28")],
        ),
        o(
            ids[1],
            "standard",
            "新能源汽车动力电池包气密性检测规范",
            &[
                ("number", "T/CQAE 012-2025"),
                ("standard_level", "group"),
                ("dated", "2025-09-01"),
            ],
        ),
        o(
            ids[2],
            "paper",
            "面向职业教育的智能网联汽车虚实结合实训平台设计",
            &[("venue", "职业技术教育"), ("dated", "2023-11-15")],
        ),
        o(
            ids[3],
            "product",
            "巴渝融媒智剪短视频剪辑工具",
            &[("dated", "2025-12-01")],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use skillbridge_core::schema::{check_record, validate};

    #[test]
    fn outcomes_pass_their_checks_and_income_spans_five_years() {
        for r in outcome_rows(&[1, 2, 3, 4, 5]) {
            let v = validate(&RESEARCH_OUTCOMES, &r, None).expect("valid");
            assert!(
                check_record(&RESEARCH_OUTCOMES, &v, None).is_empty(),
                "{r:?}"
            );
        }
        let years: std::collections::BTreeSet<i64> = PROJECTS
            .iter()
            .filter(|p| p.kind == "horizontal")
            .flat_map(|p| p.received.iter().map(|(y, _)| *y))
            .collect();
        assert_eq!(
            years.into_iter().collect::<Vec<_>>(),
            vec![2022, 2023, 2024, 2025, 2026]
        );
        let diag = &PROJECTS[0];
        assert!(diag.title.contains("售后诊断"));
        // Received on the diagnostic system by hand: 60 + 90 + 100 + 80 + 50 = 380 万 yuan,
        // its whole contract.
        assert_eq!(
            diag.received.iter().map(|(_, a)| a).sum::<i64>(),
            diag.contract
        );
    }
}
