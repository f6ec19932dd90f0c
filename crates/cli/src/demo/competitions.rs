//! The demo college's skills competitions and incubator start-ups (技能竞赛与创新创业, issue 15
//! §2): competitions at each level (national, provincial, city, college) over two years, the
//! college's teams with their students and advisors, the awards they won; start-ups at each
//! stage of the incubator, with funding, founders and mentors. Fixed lists, with the students
//! drawn from the 2025 cohort of each team's school; the `student` account is on a national
//! team advised by the `teacher` account and their enterprise `mentor`, and founds a start-up
//! the `teacher` mentors. A pure function of its inputs; `load` does the I/O.

use super::gen::{row, Plan, Row};
use super::order_classes::Candidate;
use skillbridge_core::ids::make_credit_code;
use skillbridge_core::modules::competitions::{
    COMPETITIONS, COMPETITION_ADVISORS, COMPETITION_AWARDS, COMPETITION_MEMBERS, COMPETITION_TEAMS,
    STARTUPS, STARTUP_FOUNDERS, STARTUP_FUNDING, STARTUP_MENTORS,
};
use skillbridge_store::Store;

/// Competitions: code, name, track (赛项), level, year, organiser.
const LIST: &[(&str, &str, &str, &str, i64, &str)] = &[
    (
        "GZ-2025-018",
        "全国职业院校技能大赛",
        "新能源汽车检测与维修",
        "national",
        2025,
        "教育部等",
    ),
    (
        "GZ-2024-018",
        "全国职业院校技能大赛",
        "新能源汽车检测与维修",
        "national",
        2024,
        "教育部等",
    ),
    (
        "CXDS-2025-01",
        "中国国际大学生创新大赛",
        "职教赛道",
        "national",
        2025,
        "教育部等",
    ),
    (
        "CQ-2025-006",
        "重庆市职业院校技能大赛",
        "汽车技术",
        "provincial",
        2025,
        "重庆市教育委员会",
    ),
    (
        "CQ-2025-021",
        "重庆市职业院校技能大赛",
        "工业机器人技术应用",
        "provincial",
        2025,
        "重庆市教育委员会",
    ),
    (
        "CQ-2024-006",
        "重庆市职业院校技能大赛",
        "汽车技术",
        "provincial",
        2024,
        "重庆市教育委员会",
    ),
    (
        "SPB-2025-03",
        "沙坪坝区“巴渝工匠”职业技能竞赛",
        "汽车维修工",
        "city",
        2025,
        "沙坪坝区人力资源和社会保障局",
    ),
    (
        "SPB-2024-03",
        "沙坪坝区“巴渝工匠”职业技能竞赛",
        "汽车维修工",
        "city",
        2024,
        "沙坪坝区人力资源和社会保障局",
    ),
    (
        "YX-2025-01",
        "渝新职院第十届技能文化节技能竞赛",
        "汽车维护基本技能",
        "college",
        2025,
        "教务处",
    ),
    (
        "YX-2025-02",
        "渝新职院第十届技能文化节技能竞赛",
        "智能制造单元装调",
        "college",
        2025,
        "教务处",
    ),
];

/// Teams: competition (index in `LIST`), team name, school (`None`: the `student` account's),
/// members, award grade (empty: none), award date.
type TeamSpec = (
    usize,
    &'static str,
    Option<usize>,
    usize,
    &'static str,
    &'static str,
);
const TEAMS: &[TeamSpec] = &[
    (0, "渝新汽车检测一队", None, 2, "second", "2025-06-20"),
    (1, "渝新汽车检测队", Some(0), 2, "third", "2024-06-18"),
    (2, "智修汽车上门保养", None, 3, "silver", "2025-10-16"),
    (3, "汽车技术一队", Some(0), 2, "first", "2025-04-26"),
    (3, "汽车技术二队", Some(1), 2, "third", "2025-04-26"),
    (4, "工业机器人队", Some(2), 2, "second", "2025-05-10"),
    (5, "汽车技术队", Some(1), 2, "second", "2024-04-27"),
    (6, "巴渝工匠汽修队", Some(0), 1, "gold", "2025-09-12"),
    (7, "汽修青年队", Some(1), 1, "merit", "2024-09-14"),
    (8, "汽车维护甲队", Some(0), 2, "first", "2025-05-22"),
    (8, "汽车维护乙队", Some(1), 2, "merit", "2025-05-22"),
    (9, "智造装调队", Some(2), 2, "", ""),
];

/// Start-ups: name, school (`None`: the `student` account's), stage, entered on, summary,
/// registered company, first 17 characters of its credit code, jobs created, revenue (fen).
type StartupSpec = (
    &'static str,
    Option<usize>,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<i64>,
    Option<i64>,
);
const STARTUP_LIST: &[StartupSpec] = &[
    (
        "渝味鲜助农直播",
        Some(1),
        "idea",
        "",
        "为区县农产品做直播带货的学生团队",
        "",
        "",
        None,
        None,
    ),
    (
        "智修汽车上门保养",
        None,
        "incubating",
        "2025-03-01",
        "面向小区车主的新能源汽车上门保养服务",
        "",
        "",
        None,
        None,
    ),
    (
        "绿能充电桩运维",
        Some(1),
        "incubating",
        "2024-09-01",
        "校园及周边充电桩的巡检与运维",
        "",
        "",
        None,
        None,
    ),
    (
        "巴渝数字文创工作室",
        Some(2),
        "registered",
        "2024-03-01",
        "为中小企业制作产品三维展示与短视频",
        "重庆巴渝数创文化传媒有限公司",
        "91500106MA61A2B3C",
        Some(5),
        Some(68_000_000),
    ),
    (
        "驰骋新能源汽车技术服务",
        Some(0),
        "graduated",
        "2023-03-01",
        "新能源汽车三电系统检测与维修",
        "重庆驰骋新能源汽车技术服务有限公司",
        "91500112MA60D4E5F",
        Some(12),
        Some(310_000_000),
    ),
    (
        "校园二手书循环",
        Some(2),
        "closed",
        "2023-09-01",
        "校园教材循环使用平台，因运营成本高已终止",
        "",
        "",
        None,
        None,
    ),
];

/// Funding: start-up (index in `STARTUP_LIST`), kind, source, amount (fen), received on.
const FUNDING: &[(usize, &str, &str, i64, &str)] = &[
    (
        1,
        "college",
        "渝新职院创新创业基金",
        2_000_000,
        "2025-04-15",
    ),
    (
        2,
        "college",
        "渝新职院创新创业基金",
        1_500_000,
        "2024-10-10",
    ),
    (
        2,
        "prize",
        "重庆市“渝创渝新”创业大赛奖金",
        1_000_000,
        "2025-06-30",
    ),
    (
        3,
        "grant",
        "沙坪坝区大学生创业扶持资金",
        5_000_000,
        "2024-07-01",
    ),
    (
        4,
        "grant",
        "重庆市大学生创业种子基金",
        10_000_000,
        "2023-11-20",
    ),
    (
        4,
        "investment",
        "重庆渝驰汽车股份有限公司",
        50_000_000,
        "2024-12-18",
    ),
    (5, "college", "渝新职院创新创业基金", 500_000, "2023-10-08"),
];

/// The people the rows name, as the store numbered them.
pub struct People {
    pub schools: Vec<i64>,
    /// Students of the 2025 cohort by school (plan index), the `student` account's left out.
    pub students_by_school: Vec<Vec<i64>>,
    /// The `student` account's student and school.
    pub student: (i64, usize),
    /// The `teacher` account's staff record, and the `mentor` account's contact.
    pub teacher: i64,
    pub mentor: i64,
    /// Teachers by school (plan index).
    pub teachers_by_school: Vec<Vec<i64>>,
}

impl People {
    pub fn new(
        plan: &Plan,
        schools: &[i64],
        candidates: &[Candidate],
        staff: &[i64],
        teacher: i64,
        mentor: i64,
    ) -> People {
        let school_of = |major: &str| {
            plan.programs
                .iter()
                .find(|p| p.def.major == major)
                .map(|p| p.def.school)
        };
        let mut students_by_school = vec![Vec::new(); schools.len()];
        let mut student = (0, 0);
        for c in candidates {
            let Some(s) = school_of(c.major) else {
                continue;
            };
            if c.pick {
                student = (c.id, s);
            } else if s < students_by_school.len() {
                students_by_school[s].push(c.id);
            }
        }
        let teachers_by_school = plan
            .teachers_by_school
            .iter()
            .map(|t| t.iter().map(|&i| staff[i]).collect())
            .collect();
        People {
            schools: schools.to_vec(),
            students_by_school,
            student,
            teacher,
            mentor,
            teachers_by_school,
        }
    }

    fn school(&self, s: Option<usize>) -> usize {
        s.unwrap_or(self.student.1)
    }
}

pub fn competition_rows() -> Vec<Row> {
    LIST.iter()
        .map(|&(code, name, track, level, year, organiser)| {
            row([
                ("code", code.into()),
                ("name", name.into()),
                ("track", track.into()),
                ("level", level.into()),
                ("year", year.into()),
                ("organiser", organiser.into()),
            ])
        })
        .collect()
}

pub fn team_rows(people: &People, competitions: &[i64]) -> Vec<Row> {
    TEAMS
        .iter()
        .enumerate()
        .map(|(i, &(comp, name, school, ..))| {
            let (code, ..) = LIST[comp];
            row([
                ("team_no", format!("{code}-{:02}", i + 1).into()),
                ("competition_id", competitions[comp].into()),
                ("name", name.into()),
                ("school_id", people.schools[people.school(school)].into()),
            ])
        })
        .collect()
}

/// Takes `n` students of `school` from its pool, in turn (a student may be on several teams
/// of different competitions once the pool runs out, never twice on one).
fn take(people: &People, cursor: &mut [usize], school: usize, n: usize) -> Vec<i64> {
    let pool = &people.students_by_school[school];
    let mut out: Vec<i64> = Vec::new();
    for _ in 0..n.min(pool.len()) {
        let id = pool[cursor[school] % pool.len()];
        cursor[school] += 1;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// Members, advisors and awards of the teams (`teams`: the ids of [`team_rows`]).
pub fn team_detail_rows(people: &People, teams: &[i64]) -> (Vec<Row>, Vec<Row>, Vec<Row>) {
    let (mut members, mut advisors, mut awards) = (Vec::new(), Vec::new(), Vec::new());
    let mut cursor = vec![0usize; people.schools.len()];
    for (i, &(comp, _, school, n, grade, date)) in TEAMS.iter().enumerate() {
        let team = teams[i];
        let s = people.school(school);
        let mut ids = take(people, &mut cursor, s, n);
        if school.is_none() {
            // The `student` account leads the teams of their school's national competitions.
            ids.insert(0, people.student.0);
            ids.truncate(n.max(1));
        }
        for (k, id) in ids.iter().enumerate() {
            let duty = if k == 0 { "队长" } else { "队员" };
            members.push(row([
                ("team_id", team.into()),
                ("student_id", (*id).into()),
                ("duty", duty.into()),
            ]));
        }
        if school.is_none() {
            advisors.push(row([
                ("team_id", team.into()),
                ("staff_id", people.teacher.into()),
            ]));
            advisors.push(row([
                ("team_id", team.into()),
                ("contact_id", people.mentor.into()),
            ]));
        } else if let Some(&t) = people.teachers_by_school[s].get(i % 3) {
            advisors.push(row([("team_id", team.into()), ("staff_id", t.into())]));
        }
        if !grade.is_empty() {
            let (code, ..) = LIST[comp];
            awards.push(row([
                ("team_id", team.into()),
                ("grade", grade.into()),
                ("awarded_on", date.into()),
                ("certificate_no", format!("{code}-ZS{:03}", i + 1).into()),
            ]));
        }
    }
    (members, advisors, awards)
}

pub fn startup_rows(people: &People) -> Vec<Row> {
    STARTUP_LIST
        .iter()
        .map(
            |&(name, school, stage, entered, summary, company, code, jobs, revenue)| {
                let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
                row([
                    ("name", name.into()),
                    ("school_id", people.schools[people.school(school)].into()),
                    ("stage", stage.into()),
                    ("entered_on", opt(entered).into()),
                    ("summary", summary.into()),
                    ("company_name", opt(company).into()),
                    (
                        "credit_code",
                        opt(code).map(|c| make_credit_code(&c)).into(),
                    ),
                    ("jobs_created", jobs.into()),
                    ("revenue_fen", revenue.into()),
                ])
            },
        )
        .collect()
}

/// Funding, founders and mentors of the start-ups (`startups`: the ids of [`startup_rows`]).
pub fn startup_detail_rows(people: &People, startups: &[i64]) -> (Vec<Row>, Vec<Row>, Vec<Row>) {
    let funding = FUNDING
        .iter()
        .map(|&(s, kind, source, fen, date)| {
            row([
                ("startup_id", startups[s].into()),
                ("kind", kind.into()),
                ("source", source.into()),
                ("amount_fen", fen.into()),
                ("received_on", date.into()),
            ])
        })
        .collect();
    let (mut founders, mut mentors) = (Vec::new(), Vec::new());
    // Founders from the end of each school's pool, so they are not all competitors too.
    let mut cursor: Vec<usize> = people
        .students_by_school
        .iter()
        .map(|p| p.len() / 2)
        .collect();
    for (i, &(_, school, ..)) in STARTUP_LIST.iter().enumerate() {
        let s = people.school(school);
        let mut ids = take(people, &mut cursor, s, 3);
        if school.is_none() {
            ids.insert(0, people.student.0);
            ids.truncate(3);
        }
        for (k, id) in ids.iter().enumerate() {
            let role = match k {
                0 => "lead",
                1 => "cofounder",
                _ => "member",
            };
            founders.push(row([
                ("startup_id", startups[i].into()),
                ("student_id", (*id).into()),
                ("role", role.into()),
            ]));
        }
        if school.is_none() {
            mentors.push(row([
                ("startup_id", startups[i].into()),
                ("staff_id", people.teacher.into()),
            ]));
        } else if let Some(&t) = people.teachers_by_school[s].get(1) {
            mentors.push(row([
                ("startup_id", startups[i].into()),
                ("staff_id", t.into()),
            ]));
        }
        if i == 4 {
            // The graduated company keeps an engineer of the carmaker as its mentor.
            mentors.push(row([
                ("startup_id", startups[i].into()),
                ("contact_id", people.mentor.into()),
            ]));
        }
    }
    (funding, founders, mentors)
}

/// How many of each were loaded.
pub struct Loaded {
    pub awards: usize,
    pub startups: usize,
}

/// Inserts every row, in dependency order (through the validated bulk path).
pub async fn load(store: &Store, people: &People) -> Result<Loaded, String> {
    let ins = |def, rows| super::insert(store, def, rows);
    let comps = ins(&COMPETITIONS, competition_rows()).await?;
    let teams = ins(&COMPETITION_TEAMS, team_rows(people, &comps)).await?;
    let (members, advisors, awards) = team_detail_rows(people, &teams);
    ins(&COMPETITION_MEMBERS, members).await?;
    ins(&COMPETITION_ADVISORS, advisors).await?;
    let awards = ins(&COMPETITION_AWARDS, awards).await?.len();
    let startups = ins(&STARTUPS, startup_rows(people)).await?;
    let (funding, founders, mentors) = startup_detail_rows(people, &startups);
    ins(&STARTUP_FUNDING, funding).await?;
    ins(&STARTUP_FOUNDERS, founders).await?;
    ins(&STARTUP_MENTORS, mentors).await?;
    Ok(Loaded {
        awards,
        startups: startups.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use skillbridge_core::modules::competitions::{
        summary, AwardRow, COMPETITION_LEVELS, STARTUP_STAGES,
    };
    use skillbridge_core::schema::validate;

    fn is(r: &Row, k: &str, v: i64) -> bool {
        r.get(k).and_then(serde_json::Value::as_i64) == Some(v)
    }

    fn people() -> People {
        People {
            schools: vec![101, 102, 103],
            students_by_school: vec![(1..=6).collect(), (11..=16).collect(), (21..=22).collect()],
            student: (99, 0),
            teacher: 501,
            mentor: 601,
            teachers_by_school: vec![vec![51, 52, 53], vec![54, 55], vec![56]],
        }
    }

    #[test]
    fn rows_are_valid_and_cover_every_level_and_stage() {
        let p = people();
        let comps: Vec<i64> = (1..=LIST.len() as i64).collect();
        for r in competition_rows() {
            validate(&COMPETITIONS, &r, None).unwrap();
        }
        let trows = team_rows(&p, &comps);
        for r in &trows {
            validate(&COMPETITION_TEAMS, r, None).unwrap();
        }
        let teams: Vec<i64> = (1..=trows.len() as i64).collect();
        let (members, advisors, awards) = team_detail_rows(&p, &teams);
        let mut pairs = std::collections::HashSet::new();
        for r in &members {
            validate(&COMPETITION_MEMBERS, r, None).unwrap();
            assert!(pairs.insert((r["team_id"].clone(), r["student_id"].to_string())));
        }
        for r in &advisors {
            validate(&COMPETITION_ADVISORS, r, None).unwrap();
        }
        for r in &awards {
            validate(&COMPETITION_AWARDS, r, None).unwrap();
        }
        // The student account is on the first team, which the teacher and the mentor advise.
        assert!(members
            .iter()
            .any(|m| is(m, "team_id", 1) && is(m, "student_id", 99)));
        assert!(advisors
            .iter()
            .any(|a| is(a, "team_id", 1) && is(a, "staff_id", 501)));
        assert!(advisors
            .iter()
            .any(|a| is(a, "team_id", 1) && is(a, "contact_id", 601)));
        // Awards at each level: the summary's count per level is never zero.
        let rows: Vec<AwardRow> = awards
            .iter()
            .map(|a| {
                let t = a["team_id"].as_i64().unwrap() as usize - 1;
                let c = LIST[TEAMS[t].0];
                AwardRow {
                    year: c.4,
                    level: c.3.into(),
                    grade: a["grade"].as_str().unwrap().into(),
                }
            })
            .collect();
        let srows = startup_rows(&p);
        for r in &srows {
            validate(&STARTUPS, r, None).unwrap();
        }
        let s = summary(
            &rows,
            None,
            srows.iter().map(|r| r["stage"].as_str().unwrap()),
        );
        assert_eq!(s.awards_by_level.len(), COMPETITION_LEVELS.labels.len());
        assert!(s.awards_by_level.iter().all(|c| c.count > 0), "{s:?}");
        assert_eq!(s.startups_by_stage.len(), STARTUP_STAGES.labels.len());
        assert!(s.startups_by_stage.iter().all(|c| c.count > 0), "{s:?}");
        let ids: Vec<i64> = (1..=srows.len() as i64).collect();
        let (funding, founders, mentors) = startup_detail_rows(&p, &ids);
        for r in &funding {
            validate(&STARTUP_FUNDING, r, None).unwrap();
        }
        let mut pairs = std::collections::HashSet::new();
        for r in &founders {
            validate(&STARTUP_FOUNDERS, r, None).unwrap();
            assert!(pairs.insert((r["startup_id"].to_string(), r["student_id"].to_string())));
        }
        for r in &mentors {
            validate(&STARTUP_MENTORS, r, None).unwrap();
        }
        assert!(founders
            .iter()
            .any(|f| is(f, "student_id", 99) && f["role"] == "lead"));
        assert!(mentors.iter().any(|m| is(m, "staff_id", 501)));
    }
}
