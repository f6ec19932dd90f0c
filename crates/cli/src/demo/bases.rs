//! The demo college's training bases, their equipment register and one term of bookings, as pure
//! functions of the plan (and so of the seed). Bases do not scale with `--students`: the same six
//! bases and about 330 pieces of equipment at any size; bookings follow the current classes.
//!
//! Bookings are conflict-free by construction, and the store checks them again on insert
//! (`bulk_insert` runs the conflict rules on bookings): each weekly course holds one cell of a
//! (weekday, period) grid per base; one-off whole-base bookings (skill-contest training, enterprise
//! training) fall on Saturdays, when no course is timetabled; one-off equipment bookings are in
//! the evening, one per piece of equipment and day.

use super::gen::{row, Plan, Row};
use super::rng::{self, Rng};
use serde_json::Value;
use std::collections::HashSet;

const S_BASES: u64 = 7;

/// One base of the demo.
struct BaseDef {
    name: &'static str,
    kind: &'static str,
    /// Index into `data::SCHOOLS`.
    school: usize,
    partner: Partner,
    country: Option<&'static str>,
    address: &'static str,
    investment_yuan: i64,
    area_m2: i64,
    workstations: i64,
    /// Equipment: (name, model prefix, lowest and highest value in yuan), and how many.
    catalogue: &'static [(&'static str, &'static str, i64, i64)],
    equipment: usize,
    courses: &'static [&'static str],
}

#[derive(Clone, Copy)]
enum Partner {
    None,
    Carmaker,
    IntlSales,
    Media,
    LkEdu,
}

const AUTO: &[(&str, &str, i64, i64)] = &[
    ("汽车举升机", "QJY-4.0", 18_000, 45_000),
    ("四轮定位仪", "V3D-860", 120_000, 260_000),
    ("汽车故障诊断仪", "X-431 PRO5", 18_000, 36_000),
    ("发动机拆装实训台", "FD-1.5T", 35_000, 80_000),
    ("自动变速器解剖台", "AT-6", 28_000, 60_000),
    ("汽车电器综合实训台", "DQ-2000", 25_000, 55_000),
    ("尾气分析仪", "FGA-4100", 30_000, 68_000),
    ("轮胎动平衡机", "CB-95", 9_000, 22_000),
    ("整车教学实训车", "YC-S3", 90_000, 160_000),
    ("钣金修复工位", "BJ-300", 40_000, 90_000),
    ("汽车喷涂烤漆房", "KQ-7000", 150_000, 320_000),
];
const NEV: &[(&str, &str, i64, i64)] = &[
    ("动力电池拆装实训台", "BT-500", 120_000, 260_000),
    ("电机控制器实训台", "MCU-300", 60_000, 140_000),
    ("高压安全防护套装", "HV-1000", 3_000, 8_000),
    ("绝缘电阻测试仪", "MIT-420", 8_000, 16_000),
    ("充电桩实训装置", "DC-60kW", 45_000, 110_000),
    ("电池管理系统实训台", "BMS-16S", 50_000, 120_000),
    ("新能源整车实训车", "YC-EV5", 150_000, 280_000),
    ("电池包气密性检测仪", "AT-2000", 40_000, 95_000),
    ("智能网联汽车测试平台", "ICV-L2", 300_000, 650_000),
];
const MEDIA: &[(&str, &str, i64, i64)] = &[
    ("4K摄像机", "PXW-Z280", 45_000, 68_000),
    ("非线性编辑工作站", "Z8-G4", 25_000, 52_000),
    ("演播室灯光系统", "LED-3200", 60_000, 150_000),
    ("导播切换台", "TriCaster-2", 80_000, 180_000),
    ("虚拟演播室系统", "VS-4K", 200_000, 480_000),
    ("无人机航拍套装", "M30T", 60_000, 98_000),
    ("调音台", "QL5", 55_000, 90_000),
    ("图形工作站", "P520", 15_000, 32_000),
];
const MAKE: &[(&str, &str, i64, i64)] = &[
    ("工业机器人实训工作站", "IRB-1200", 180_000, 350_000),
    ("数控车床", "CK6150", 120_000, 260_000),
    ("加工中心", "VMC850", 280_000, 520_000),
    ("PLC控制实训台", "S7-1500", 25_000, 60_000),
    ("3D打印机", "UP-300", 12_000, 35_000),
    ("三坐标测量机", "CMM-574", 350_000, 680_000),
    ("激光切割机", "LC-3015", 200_000, 420_000),
];
const DIGI: &[(&str, &str, i64, i64)] = &[
    ("图形工作站", "P520", 15_000, 32_000),
    ("物联网实训箱", "IoT-X1", 6_000, 15_000),
    ("无人机植保套装", "T40", 45_000, 80_000),
    ("便携式投影仪", "CB-FH52", 5_000, 9_000),
    ("服务器", "R750", 60_000, 120_000),
];

static BASES: &[BaseDef] = &[
    BaseDef {
        name: "汽车实训中心",
        kind: "campus",
        school: 0,
        partner: Partner::Carmaker,
        country: None,
        address: "重庆市沙坪坝区大学城东路20号 实训楼A区",
        investment_yuan: 38_000_000,
        area_m2: 12_000,
        workstations: 120,
        catalogue: AUTO,
        equipment: 110,
        courses: &[
            "汽车发动机构造与维修",
            "汽车底盘构造与维修",
            "汽车电气设备检修",
            "汽车故障诊断技术",
            "汽车钣金与涂装",
        ],
    },
    BaseDef {
        name: "渝驰新能源汽车厂中校实训基地",
        kind: "factory_in_school",
        school: 1,
        partner: Partner::Carmaker,
        country: None,
        address: "重庆市两江新区鱼复工业园 渝驰汽车新能源工厂3号厂房",
        investment_yuan: 26_000_000,
        area_m2: 8_000,
        workstations: 60,
        catalogue: NEV,
        equipment: 70,
        courses: &[
            "动力电池技术",
            "驱动电机及控制技术",
            "新能源汽车高压安全",
            "智能网联汽车技术",
        ],
    },
    BaseDef {
        name: "巴渝数字传媒实训基地",
        kind: "school_in_factory",
        school: 5,
        partner: Partner::Media,
        country: None,
        address: "重庆市沙坪坝区大学城东路20号 传媒楼",
        investment_yuan: 15_000_000,
        area_m2: 5_000,
        workstations: 80,
        catalogue: MEDIA,
        equipment: 60,
        courses: &[
            "融媒体内容制作",
            "影视后期剪辑",
            "演播室节目制作",
            "新媒体运营",
        ],
    },
    BaseDef {
        name: "智能制造实训中心",
        kind: "campus",
        school: 2,
        partner: Partner::None,
        country: None,
        address: "重庆市沙坪坝区大学城东路20号 实训楼B区",
        investment_yuan: 22_000_000,
        area_m2: 9_000,
        workstations: 90,
        catalogue: MAKE,
        equipment: 50,
        courses: &["数控加工技术", "工业机器人编程", "PLC应用技术", "精密测量"],
    },
    BaseDef {
        name: "沙特利雅得海外汽车技能培训基地",
        kind: "overseas",
        school: 0,
        partner: Partner::IntlSales,
        country: Some("SA"),
        address: "Riyadh, Kingdom of Saudi Arabia 沙特阿拉伯利雅得",
        investment_yuan: 6_000_000,
        area_m2: 2_000,
        workstations: 24,
        catalogue: AUTO,
        equipment: 25,
        courses: &["汽车售后服务技能培训", "新能源汽车维修培训"],
    },
    BaseDef {
        name: "斯里兰卡数字乡村实训基地",
        kind: "overseas",
        school: 4,
        partner: Partner::LkEdu,
        country: Some("LK"),
        address: "Kandy, Sri Lanka 斯里兰卡康提",
        investment_yuan: 1_500_000,
        area_m2: 600,
        workstations: 20,
        catalogue: DIGI,
        equipment: 15,
        courses: &["数字乡村技能培训"],
    },
];

/// The bookings fall in the autumn term of 2026–2027 (2026-09-01 to 2027-01-17), current on the
/// demo's today (2026-11-29).
const TERM_START: (i32, u32, u32) = (2026, 9, 7); // first Monday of teaching
const TERM_WEEKS: i64 = 18;
/// Teaching periods, China time: (start, end) in minutes after midnight.
const PERIODS: [(i64, i64); 5] = [
    (8 * 60, 9 * 60 + 40),
    (10 * 60, 11 * 60 + 40),
    (14 * 60, 15 * 60 + 40),
    (16 * 60, 17 * 60 + 40),
    (19 * 60, 20 * 60 + 40),
];

fn partner_id(p: Partner, plan: &Plan, org_ids: &[i64]) -> Value {
    let a = &plan.anchors;
    match p {
        Partner::None => Value::Null,
        Partner::Carmaker => org_ids[a.carmaker].into(),
        Partner::IntlSales => org_ids[a.intl_sales].into(),
        Partner::Media => org_ids[a.media].into(),
        Partner::LkEdu => org_ids[a.lk_edu].into(),
    }
}

pub fn base_rows(plan: &Plan, school_ids: &[i64], org_ids: &[i64]) -> Vec<Row> {
    BASES
        .iter()
        .map(|b| {
            row([
                ("name", b.name.into()),
                ("kind", b.kind.into()),
                ("school_id", school_ids[b.school].into()),
                ("partner_org_id", partner_id(b.partner, plan, org_ids)),
                (
                    "country_code",
                    b.country.map(Value::from).unwrap_or(Value::Null),
                ),
                ("address", b.address.into()),
                ("investment_fen", (b.investment_yuan * 100).into()),
                ("area_m2", b.area_m2.into()),
                ("workstations", b.workstations.into()),
                ("status", "active".into()),
            ])
        })
        .collect()
}

/// Each base serves the programs of its school.
pub fn base_program_rows(plan: &Plan, base_ids: &[i64], program_ids: &[i64]) -> Vec<Row> {
    let mut out = Vec::new();
    for (b, def) in BASES.iter().enumerate() {
        for (p, prog) in plan.programs.iter().enumerate() {
            if prog.def.school == def.school {
                out.push(row([
                    ("base_id", base_ids[b].into()),
                    ("program_id", program_ids[p].into()),
                ]));
            }
        }
    }
    out
}

pub fn equipment_rows(plan: &Plan, base_ids: &[i64]) -> Vec<Row> {
    let mut rng = Rng::new(plan.seed, S_BASES);
    let mut out = Vec::new();
    for (b, def) in BASES.iter().enumerate() {
        for i in 0..def.equipment {
            let (name, model, lo, hi) = *rng.pick(def.catalogue);
            let year = 2016 + rng.below(11) as i32;
            let bought =
                rng::days_from_civil(year, 1 + rng.below(12) as u32, 1) + rng.below(28) as i64;
            let value_yuan = rng.range(lo, hi) / 100 * 100;
            let status = match rng.weighted(&[86, 5, 6, 3]) {
                0 => "in_service",
                1 => "repair",
                2 => "idle",
                _ => "scrapped",
            };
            let floor = 1 + i / 30;
            out.push(row([
                (
                    "asset_no",
                    format!("ZC{year}-{:02}{:04}", b + 1, i + 1).into(),
                ),
                ("name", name.into()),
                ("model", format!("{model}-{}", 1 + rng.below(3)).into()),
                ("value_fen", (value_yuan * 100).into()),
                ("purchase_date", rng::date(bought).into()),
                ("status", status.into()),
                (
                    "location",
                    format!("{}{floor}楼{}{:02}室", def.name, floor, 1 + (i % 30) / 3).into(),
                ),
                ("base_id", base_ids[b].into()),
            ]));
        }
    }
    out
}

fn at(day: i64, minutes: i64) -> String {
    let (y, m, d) = rng::civil_from_days(day);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}",
        minutes / 60,
        minutes % 60
    )
}

/// One term of bookings: weekly courses of the current classes of each base's school, and
/// one-off bookings. `equipment` is the rows given to [`equipment_rows`]'s insert, with ids.
pub fn booking_rows(
    plan: &Plan,
    base_ids: &[i64],
    equipment: &[(i64, Row)],
    class_ids: &[i64],
    staff_ids: &[i64],
) -> Vec<Row> {
    let mut rng = Rng::new(plan.seed, S_BASES + 100);
    let (y, m, d) = TERM_START;
    let monday = rng::days_from_civil(y, m, d);
    let mut out = Vec::new();
    for (b, def) in BASES.iter().enumerate() {
        let base = Term {
            plan,
            def,
            base_id: base_ids[b],
            monday,
            staff_ids,
        };
        base.weekly_class_bookings(&mut rng, class_ids, &mut out);
        base.saturday_bookings(&mut rng, &mut out);
        base.evening_equipment_bookings(&mut rng, equipment, &mut out);
    }
    out
}

/// One base over the term that the demo books.
struct Term<'a> {
    plan: &'a Plan,
    def: &'a BaseDef,
    base_id: i64,
    /// The term's first Monday, as a day number.
    monday: i64,
    staff_ids: &'a [i64],
}

impl Term<'_> {
    /// Each current class (entry years 2024–2026) of the base's school gets one cell of the
    /// weekly timetable for the term; at most one class per cell. Overseas bases hold short
    /// trainings, not the college's timetable.
    fn weekly_class_bookings(&self, rng: &mut Rng, class_ids: &[i64], out: &mut Vec<Row>) {
        let (plan, def) = (self.plan, self.def);
        let classes: Vec<usize> = plan
            .classes
            .iter()
            .enumerate()
            .filter(|(_, c)| plan.programs[c.program].def.school == def.school && c.year >= 2024)
            .map(|(i, _)| i)
            .collect();
        let mut free: Vec<(i64, usize)> = if def.kind == "overseas" {
            Vec::new()
        } else {
            (0..5).flat_map(|wd| (0..4).map(move |p| (wd, p))).collect()
        };
        for &ci in &classes {
            if free.is_empty() {
                break;
            }
            let (wd, p) = free.swap_remove(rng.below(free.len()));
            let c = &plan.classes[ci];
            let course = *rng.pick(def.courses);
            // A class works as a group of about 30–45 (small demo colleges have small classes).
            let ws = (c.size as i64).clamp(30, 45).min(def.workstations);
            let first_week = rng.below(2) as i64;
            for w in first_week..TERM_WEEKS {
                let day = self.monday + w * 7 + wd;
                out.push(row([
                    ("base_id", self.base_id.into()),
                    ("kind", "workstations".into()),
                    ("workstations", ws.into()),
                    ("course_name", course.into()),
                    ("class_id", class_ids[ci].into()),
                    ("staff_id", self.staff_ids[c.adviser].into()),
                    ("start_at", at(day, PERIODS[p].0).into()),
                    ("end_at", at(day, PERIODS[p].1).into()),
                    ("purpose", "课程实训（每周）".into()),
                    ("status", "active".into()),
                ]));
            }
        }
    }

    /// One-off whole-base bookings on Saturdays.
    fn saturday_bookings(&self, rng: &mut Rng, out: &mut Vec<Row>) {
        let def = self.def;
        let overseas = def.kind == "overseas";
        let teachers = &self.plan.teachers_by_school[def.school];
        let n_whole = if overseas { 6 } else { 4 };
        let mut saturdays: Vec<i64> = (0..TERM_WEEKS).collect();
        for k in 0..n_whole {
            let w = saturdays.swap_remove(rng.below(saturdays.len()));
            let day = self.monday + w * 7 + 5;
            let (purpose, course) = if overseas {
                ("海外员工技能培训", *rng.pick(def.courses))
            } else if k % 2 == 0 {
                ("职业院校技能大赛集训", "技能大赛集训")
            } else {
                ("合作企业员工培训", "企业员工培训")
            };
            let t = *rng.pick(teachers);
            out.push(row([
                ("base_id", self.base_id.into()),
                ("kind", "base".into()),
                ("course_name", course.into()),
                ("staff_id", self.staff_ids[t].into()),
                ("start_at", at(day, 8 * 60 + 30).into()),
                ("end_at", at(day, 17 * 60 + 30).into()),
                ("purpose", purpose.into()),
                ("status", "active".into()),
            ]));
        }
    }

    /// One-off equipment bookings on weekday evenings (after 20:45, when no course runs), one
    /// per piece of equipment and day.
    fn evening_equipment_bookings(
        &self,
        rng: &mut Rng,
        equipment: &[(i64, Row)],
        out: &mut Vec<Row>,
    ) {
        let teachers = &self.plan.teachers_by_school[self.def.school];
        let usable: Vec<i64> = equipment
            .iter()
            .filter(|(_, r)| {
                r["base_id"] == self.base_id
                    && matches!(r["status"].as_str(), Some("in_service" | "idle"))
            })
            .map(|(id, _)| *id)
            .collect();
        let mut taken: HashSet<(i64, i64)> = HashSet::new();
        for _ in 0..(usable.len() / 2).min(30) {
            let eq = *rng.pick(&usable);
            let day = self.monday + rng.below(TERM_WEEKS as usize) as i64 * 7 + rng.below(5) as i64;
            if !taken.insert((eq, day)) {
                continue;
            }
            let t = *rng.pick(teachers);
            out.push(row([
                ("base_id", self.base_id.into()),
                ("kind", "equipment".into()),
                ("equipment_id", eq.into()),
                ("staff_id", self.staff_ids[t].into()),
                ("start_at", at(day, 20 * 60 + 45).into()),
                ("end_at", at(day, 22 * 60).into()),
                ("purpose", "教师科研与教学准备".into()),
                ("status", "active".into()),
            ]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use skillbridge_core::modules::bases::booking::{find_conflict, parse_instant, Slot, Target};
    use skillbridge_core::modules::bases::{BOOKINGS, TRAINING_BASES};

    fn ids(n: usize, from: i64) -> Vec<i64> {
        (0..n as i64).map(|i| from + i).collect()
    }

    /// The bookings are valid records and free of conflicts, checked with the same rules as the
    /// store, and the same seed gives the same rows.
    #[test]
    fn bookings_are_valid_conflict_free_and_deterministic() {
        let plan = Plan::new(2_000, 2026).unwrap();
        let base_ids = ids(BASES.len(), 1);
        let schools = ids(8, 1);
        let orgs = ids(plan.orgs.len(), 1);
        for r in base_rows(&plan, &schools, &orgs) {
            skillbridge_core::schema::validate(&TRAINING_BASES, &r, None).unwrap();
        }
        let eq_rows = equipment_rows(&plan, &base_ids);
        assert!((300..=400).contains(&eq_rows.len()), "{}", eq_rows.len());
        let assets: HashSet<&str> = eq_rows
            .iter()
            .map(|r| r["asset_no"].as_str().unwrap())
            .collect();
        assert_eq!(assets.len(), eq_rows.len(), "asset numbers are unique");
        let eq: Vec<(i64, Row)> = eq_rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i as i64 + 1, r))
            .collect();
        let classes = ids(plan.classes.len(), 1);
        let staff = ids(plan.staff.len(), 1);
        let rows = booking_rows(&plan, &base_ids, &eq, &classes, &staff);
        assert!(rows.len() > 300, "{}", rows.len());
        assert_eq!(rows, booking_rows(&plan, &base_ids, &eq, &classes, &staff));
        let mut by_base: std::collections::HashMap<i64, Vec<Slot>> = Default::default();
        for (i, r) in rows.iter().enumerate() {
            let rec = skillbridge_core::schema::validate(&BOOKINGS, r, None)
                .unwrap_or_else(|e| panic!("row {i}: {e:?}"));
            let target = match rec["kind"].as_str().unwrap() {
                "workstations" => Target::Workstations(rec["workstations"].as_i64().unwrap()),
                "equipment" => Target::Equipment(rec["equipment_id"].as_i64().unwrap()),
                _ => Target::Base,
            };
            let base = rec["base_id"].as_i64().unwrap();
            let cap = BASES[(base - 1) as usize].workstations;
            let slot = Slot {
                id: i as i64 + 1,
                target,
                start: parse_instant(rec["start_at"].as_str().unwrap()).unwrap(),
                end: parse_instant(rec["end_at"].as_str().unwrap()).unwrap(),
                who: String::new(),
            };
            let list = by_base.entry(base).or_default();
            assert_eq!(find_conflict(&slot, list, cap), None, "row {i}");
            list.push(slot);
        }
        // Every kind of booking is there.
        for k in ["workstations", "base", "equipment"] {
            assert!(rows.iter().any(|r| r["kind"] == k), "{k}");
        }
    }
}
