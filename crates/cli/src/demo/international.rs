//! The demo college's international exchange (issue 15 §1): the Saudi base's training of dealer
//! technicians in person-days, the Sri Lankan partners' digital-village projects, exchanges in
//! and out (one across New Year), international students, internships and jobs abroad, foreign
//! experts and standards adopted abroad. Fixed rows (in Chinese), written through the store as
//! the system after the students, on the anchor partners and bases of the plan; the students
//! taking part are the first enrolled students (by number) of the two schools concerned, never
//! the demo accounts' own.

use super::data::{LK_BIZ, LK_EDU, LK_GOV, SAUDI_BASE};
use serde_json::{json, Map, Value};
use skillbridge_core::access::Actor;
use skillbridge_core::modules::college::{STAFF, STUDENTS};
use skillbridge_core::modules::international::{
    EXCHANGE_PARTICIPANTS, EXCHANGE_PROGRAMS, FOREIGN_EXPERTS, INTERNATIONAL_STUDENTS,
    INTL_PROJECTS, OVERSEAS_PLACEMENTS, STANDARDS_ABROAD, TRAINING_ABROAD,
};
use skillbridge_core::modules::partners::ORGANISATIONS;
use skillbridge_core::schema::ResourceDef;
use skillbridge_store::{ListQuery, Store};

type Result<T> = std::result::Result<T, String>;

/// The automotive school (Saudi base) and the digital school (Sri Lanka), by position.
const AUTO: usize = 0;
const DIGITAL: usize = 4;

/// What the loader needs from the rest of the demo.
pub struct Ctx<'a> {
    pub schools: &'a [i64],
    pub orgs: &'a [i64],
    pub programs_by_school: Vec<Vec<i64>>,
    /// The demo accounts' students, left alone.
    pub skip: &'a [i64],
}

/// How many records of each type were made.
#[derive(Debug, Default)]
pub struct Counts {
    pub projects: usize,
    pub exchanges: usize,
    pub participants: usize,
    pub placements: usize,
    pub experts: usize,
    pub students: usize,
    pub training: usize,
    pub standards: usize,
}

async fn mk(store: &Store, def: &ResourceDef, v: Value) -> Result<i64> {
    let m: Map<String, Value> = v.as_object().cloned().unwrap_or_default();
    store
        .create(&Actor::system(), def, &m, "cli")
        .await
        .map_err(|e| format!("{}: {e:?}", def.name))?["id"]
        .as_i64()
        .ok_or_else(|| format!("{}: no id", def.name))
}

async fn ids_where(
    store: &Store,
    def: &ResourceDef,
    filters: &[(&str, String)],
    n: i64,
) -> Result<Vec<i64>> {
    let q = ListQuery {
        filters: filters
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
        sort: Some(def.order.to_string()),
        limit: n,
        source: "cli".into(),
        ..ListQuery::default()
    };
    Ok(store
        .list(&Actor::system(), def, &q)
        .await
        .map_err(|e| format!("{}: {e:?}", def.name))?
        .items
        .iter()
        .filter_map(|r| r["id"].as_i64())
        .collect())
}

/// The first enrolled students of a school's first program, without the accounts' own.
async fn students_of(store: &Store, ctx: &Ctx<'_>, school: usize, n: usize) -> Result<Vec<i64>> {
    let program = ctx.programs_by_school[school][0];
    let found = ids_where(
        store,
        &STUDENTS,
        &[
            ("program_id", program.to_string()),
            ("status", "enrolled".into()),
        ],
        (n + ctx.skip.len()) as i64,
    )
    .await?;
    Ok(found
        .into_iter()
        .filter(|s| !ctx.skip.contains(s))
        .take(n)
        .collect())
}

async fn org_named(store: &Store, name: &str) -> Result<i64> {
    ids_where(store, &ORGANISATIONS, &[("name", name.into())], 1)
        .await?
        .first()
        .copied()
        .ok_or_else(|| format!("no organisation {name}"))
}

/// The experts: name, country, home institution (by name, or none), school, expertise, stay.
type Expert = (
    &'static str,
    &'static str,
    Option<&'static str>,
    usize,
    &'static str,
    &'static str,
    &'static str,
);

const EXPERTS: &[Expert] = &[
    (
        "Kasun Dissanayake",
        "LK",
        Some("斯里兰卡康提数字技术学院"),
        DIGITAL,
        "物联网与数字乡村",
        "2025-09-01",
        "2026-01-20",
    ),
    (
        "Somchai Rattanakul",
        "TH",
        Some("泰国曼谷汽车职业学院"),
        AUTO,
        "汽车售后服务",
        "2025-03-01",
        "2025-06-30",
    ),
    (
        "Markus Schneider",
        "DE",
        None,
        AUTO,
        "新能源汽车电驱系统",
        "2024-09-01",
        "2025-07-15",
    ),
];

/// International students: name, country, school, kind, start, end.
type IntlStudent = (
    &'static str,
    &'static str,
    usize,
    &'static str,
    &'static str,
    Option<&'static str>,
);

const INTL_STUDENTS: &[IntlStudent] = &[
    (
        "Tharindu Senanayake",
        "LK",
        DIGITAL,
        "full_time",
        "2025-09-01",
        None,
    ),
    (
        "Sachini Gunawardena",
        "LK",
        DIGITAL,
        "full_time",
        "2025-09-01",
        None,
    ),
    (
        "Isuru Karunaratne",
        "LK",
        DIGITAL,
        "short_term",
        "2026-03-02",
        Some("2026-07-10"),
    ),
    (
        "Abdullah Al-Qahtani",
        "SA",
        AUTO,
        "full_time",
        "2024-09-01",
        None,
    ),
    (
        "Niran Chaiyaporn",
        "TH",
        AUTO,
        "short_term",
        "2025-02-24",
        Some("2025-07-04"),
    ),
    (
        "Hamza Siddiqui",
        "PK",
        AUTO,
        "full_time",
        "2025-09-01",
        None,
    ),
];

/// Visitors from Kandy and from the Saudi dealers.
const VISITORS_LK: &[&str] = &[
    "Chamari Perera",
    "Dinesh Wijesinghe",
    "Harsha Rajapaksa",
    "Madhavi Silva",
    "Pradeep Kumara",
];
const VISITORS_SA: &[&str] = &[
    "Fahad Al-Dosari",
    "Saad Al-Shammari",
    "Majed Al-Zahrani",
    "Turki Al-Mutairi",
];

/// Fills the international records; returns how many of each.
pub async fn load(store: &Store, ctx: &Ctx<'_>) -> Result<Counts> {
    let mut c = Counts::default();
    let (auto, digital) = (ctx.schools[AUTO], ctx.schools[DIGITAL]);
    let (saudi, lk_gov, lk_edu, lk_biz) = (
        ctx.orgs[SAUDI_BASE],
        ctx.orgs[LK_GOV],
        ctx.orgs[LK_EDU],
        ctx.orgs[LK_BIZ],
    );
    let base = |name: &'static str| async move {
        ids_where(
            store,
            &skillbridge_core::modules::bases::TRAINING_BASES,
            &[("name", name.into())],
            1,
        )
        .await
        .map(|v| v.first().copied())
    };
    let saudi_base = base("沙特利雅得海外汽车技能培训基地").await?;
    let lk_base = base("斯里兰卡数字乡村实训基地").await?;

    let k = Keys {
        auto,
        digital,
        saudi,
        lk_gov,
        lk_edu,
        lk_biz,
        saudi_base,
        lk_base,
    };
    projects(store, ctx, &k, &mut c).await?;
    exchanges(store, ctx, &k, &mut c).await?;
    placements(store, ctx, &k, &mut c).await?;
    people(store, ctx, &k, &mut c).await?;
    training(store, ctx, &k, &mut c).await?;
    standards(store, &k, &mut c).await?;
    Ok(c)
}

/// The ids the parts share.
#[derive(Clone, Copy)]
pub struct Keys {
    auto: i64,
    digital: i64,
    saudi: i64,
    lk_gov: i64,
    lk_edu: i64,
    lk_biz: i64,
    saudi_base: Option<i64>,
    lk_base: Option<i64>,
}

#[allow(unused_variables)]
async fn projects(store: &Store, ctx: &Ctx<'_>, k: &Keys, c: &mut Counts) -> Result<()> {
    let Keys {
        auto,
        digital,
        saudi,
        lk_gov,
        lk_edu,
        lk_biz,
        saudi_base,
        lk_base,
    } = *k;
    // The Sri Lankan digital-village projects and the Saudi training project.
    for (name, kind, org, country, school, start, end) in [
        (
            "斯里兰卡中央省数字乡村建设项目（一期）",
            "digital_village",
            lk_gov,
            "LK",
            digital,
            "2024-03-01",
            Some("2025-12-31"),
        ),
        (
            "斯里兰卡中央省数字乡村建设项目（二期）",
            "digital_village",
            lk_gov,
            "LK",
            digital,
            "2026-01-01",
            None,
        ),
        (
            "锡兰智慧乡村示范点技术服务项目",
            "digital_village",
            lk_biz,
            "LK",
            digital,
            "2025-04-01",
            Some("2026-03-31"),
        ),
        (
            "康提数字技能人才联合培养项目",
            "curriculum",
            lk_edu,
            "LK",
            digital,
            "2025-09-01",
            None,
        ),
        (
            "沙特汽车售后技能培训合作项目",
            "training",
            saudi,
            "SA",
            auto,
            "2024-09-01",
            None,
        ),
    ] {
        mk(
            store,
            &INTL_PROJECTS,
            json!({"name": name, "kind": kind, "org_id": org, "country_code": country,
            "school_id": school, "start_date": start, "end_date": end}),
        )
        .await?;
        c.projects += 1;
    }

    Ok(())
}

#[allow(unused_variables)]
async fn exchanges(store: &Store, ctx: &Ctx<'_>, k: &Keys, c: &mut Counts) -> Result<()> {
    let (auto, digital, saudi, lk_edu) = (k.auto, k.digital, k.saudi, k.lk_edu);
    let bangkok = org_named(store, "泰国曼谷汽车职业学院").await?;
    // Exchanges out (students and staff) and in (visitors); the Thai one crosses New Year.
    let lk_students = students_of(store, ctx, DIGITAL, 6).await?;
    let auto_students = students_of(store, ctx, AUTO, 4).await?;
    let staff_of = |school: i64| async move {
        ids_where(store, &STAFF, &[("school_id", school.to_string())], 2).await
    };
    let (lk_staff, auto_staff) = (staff_of(digital).await?, staff_of(auto).await?);
    let programs = [
        (
            "2025年斯里兰卡数字乡村暑期实践团",
            "outbound",
            lk_edu,
            "LK",
            digital,
            "2025-07-10",
            "2025-08-08",
            &lk_students,
            &lk_staff[..lk_staff.len().min(1)],
            &[][..],
        ),
        (
            "2025年泰国曼谷汽车职业学院冬季师生交流",
            "outbound",
            bangkok,
            "TH",
            auto,
            "2025-12-15",
            "2026-01-14",
            &auto_students,
            &auto_staff[..],
            &[][..],
        ),
        (
            "2025年康提数字技术学院教师来校研修",
            "inbound",
            lk_edu,
            "LK",
            digital,
            "2025-10-08",
            "2025-11-05",
            &Vec::new(),
            &[][..],
            VISITORS_LK,
        ),
        (
            "2026年沙特经销商技术骨干来校研修",
            "inbound",
            saudi,
            "SA",
            auto,
            "2026-04-01",
            "2026-04-21",
            &Vec::new(),
            &[][..],
            VISITORS_SA,
        ),
    ];
    for (name, direction, org, country, school, start, end, students, staff, visitors) in programs {
        let program = mk(
            store,
            &EXCHANGE_PROGRAMS,
            json!({"name": name, "direction": direction, "org_id": org,
            "country_code": country, "school_id": school, "start_date": start, "end_date": end}),
        )
        .await?;
        c.exchanges += 1;
        let people = students
            .iter()
            .map(|s| json!({"kind": "student", "student_id": s}))
            .chain(
                staff
                    .iter()
                    .map(|s| json!({"kind": "staff", "staff_id": s})),
            )
            .chain(
                visitors
                    .iter()
                    .map(|v| json!({"kind": "visitor", "visitor_name": v})),
            );
        for mut p in people {
            p["program_id"] = json!(program);
            mk(store, &EXCHANGE_PARTICIPANTS, p).await?;
            c.participants += 1;
        }
    }

    Ok(())
}

#[allow(unused_variables)]
async fn placements(store: &Store, ctx: &Ctx<'_>, k: &Keys, c: &mut Counts) -> Result<()> {
    let Keys {
        auto,
        digital,
        saudi,
        lk_gov,
        lk_edu,
        lk_biz,
        saudi_base,
        lk_base,
    } = *k;
    let jeddah = org_named(store, "沙特阿拉伯吉达汽车服务公司").await?;
    let kl = org_named(store, "马来西亚吉隆坡数字技术学院").await?;
    // Internships and jobs abroad.
    let interns = students_of(store, ctx, AUTO, 10).await?;
    for (i, s) in interns.iter().skip(4).enumerate() {
        let (kind, post, start, end) = if i < 4 {
            (
                "internship",
                "汽车售后服务技术员（实习）",
                "2026-03-01",
                Some("2026-08-31"),
            )
        } else {
            ("employment", "新能源汽车维修技师", "2025-07-15", None)
        };
        mk(
            store,
            &OVERSEAS_PLACEMENTS,
            json!({"student_id": s, "kind": kind, "org_id": jeddah, "country_code": "SA",
            "post": post, "start_date": start, "end_date": end}),
        )
        .await?;
        c.placements += 1;
    }
    for s in students_of(store, ctx, DIGITAL, 8).await?.iter().skip(6) {
        mk(store, &OVERSEAS_PLACEMENTS, json!({"student_id": s, "kind": "internship", "org_id": kl, "country_code": "MY",
            "post": "数字内容运营助理（实习）", "start_date": "2025-09-15", "end_date": "2026-01-15"})).await?;
        c.placements += 1;
    }

    Ok(())
}

#[allow(unused_variables)]
async fn people(store: &Store, ctx: &Ctx<'_>, k: &Keys, c: &mut Counts) -> Result<()> {
    let Keys {
        auto,
        digital,
        saudi,
        lk_gov,
        lk_edu,
        lk_biz,
        saudi_base,
        lk_base,
    } = *k;
    for (name, country, org, school, expertise, start, end) in EXPERTS {
        let org = match org {
            Some(n) => Some(org_named(store, n).await?),
            None => None,
        };
        let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
        mk(store, &FOREIGN_EXPERTS, json!({"name": name, "country_code": country, "org_id": org,
            "school_id": ctx.schools[*school], "expertise": expertise, "start_date": start, "end_date": end,
            "email": email})).await?;
        c.experts += 1;
    }
    for (name, country, school, kind, start, end) in INTL_STUDENTS {
        mk(store, &INTERNATIONAL_STUDENTS, json!({"name": name, "country_code": country,
            "program_id": ctx.programs_by_school[*school][0], "kind": kind, "start_date": start, "end_date": end})).await?;
        c.students += 1;
    }

    Ok(())
}

#[allow(unused_variables)]
async fn training(store: &Store, ctx: &Ctx<'_>, k: &Keys, c: &mut Counts) -> Result<()> {
    let Keys {
        auto,
        digital,
        saudi,
        lk_gov,
        lk_edu,
        lk_biz,
        saudi_base,
        lk_base,
    } = *k;
    // The Saudi base's dealer technicians (person-days: trainees × training days, weekends
    // off), and villagers trained at the Sri Lankan base.
    for (title, base, org, country, school, kind, n, start, end, days) in [
        (
            "沙特经销商技术人员新能源汽车维修培训（第一期）",
            saudi_base,
            saudi,
            "SA",
            auto,
            "dealer_technicians",
            24,
            "2025-03-02",
            "2025-03-13",
            10,
        ),
        (
            "沙特经销商技术人员新能源汽车维修培训（第二期）",
            saudi_base,
            saudi,
            "SA",
            auto,
            "dealer_technicians",
            20,
            "2025-10-12",
            "2025-10-23",
            10,
        ),
        (
            "沙特经销商技术人员售后服务技能培训（冬季班）",
            saudi_base,
            saudi,
            "SA",
            auto,
            "dealer_technicians",
            18,
            "2025-12-21",
            "2026-01-08",
            15,
        ),
        (
            "斯里兰卡数字乡村村民数字技能培训",
            lk_base,
            lk_gov,
            "LK",
            digital,
            "other",
            60,
            "2025-08-01",
            "2025-08-10",
            8,
        ),
    ] {
        mk(store, &TRAINING_ABROAD, json!({"title": title, "base_id": base, "org_id": org, "country_code": country,
            "school_id": school, "trainee_kind": kind, "trainees": n, "start_date": start, "end_date": end,
            "person_days": n * days})).await?;
        c.training += 1;
    }
    Ok(())
}

/// The standards and courses adopted abroad.
async fn standards(store: &Store, k: &Keys, c: &mut Counts) -> Result<()> {
    let Keys {
        auto,
        digital,
        saudi,
        lk_edu,
        ..
    } = *k;
    for (title, kind, country, org, school, year) in [
        (
            "新能源汽车检测与维修技术专业教学标准",
            "professional_standard",
            "SA",
            saudi,
            auto,
            2025,
        ),
        (
            "汽车售后服务技能培训课程标准",
            "curriculum_standard",
            "SA",
            saudi,
            auto,
            2024,
        ),
        (
            "数字乡村信息技术应用",
            "course",
            "LK",
            lk_edu,
            digital,
            2025,
        ),
    ] {
        mk(
            store,
            &STANDARDS_ABROAD,
            json!({"title": title, "kind": kind, "country_code": country, "org_id": org,
            "school_id": school, "year": year}),
        )
        .await?;
        c.standards += 1;
    }
    Ok(())
}
