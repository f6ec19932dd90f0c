//! The demo college as pure functions of (number of students, seed): no I/O, no clock.
//!
//! [`Plan::new`] lays out everything small (schools, programs, years, terms, staff, classes,
//! partner organisations, agreements, contacts). Students are produced lazily by
//! [`StudentGen`], one class after another, so a million of them never sit in memory; each
//! carries its mentor assignments. Rows refer to earlier records by their position in the
//! plan's lists, and become database rows once the caller passes the ids the store returned.
//!
//! Values that must be unique (ID numbers, phones, organisation codes, numbers) come from
//! counters passed through keyed permutations ([`Perm`]), so uniqueness holds by construction
//! and nothing has to be remembered.

use super::data::{self, ProgramDef, SchoolDef};
use super::rng::{self, mix, Perm, Rng};
use serde_json::{Map, Value};
use skillbridge_core::access::{ContactRole, Office};
use skillbridge_core::ids;
use skillbridge_core::modules::college::TITLES;
use std::collections::{HashMap, HashSet};

pub type Row = Map<String, Value>;

/// A record from (field, value) pairs; null values are left out.
pub(super) fn row<const N: usize>(pairs: [(&str, Value); N]) -> Row {
    pairs
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

fn opt<T: Into<Value>>(v: Option<T>) -> Value {
    v.map(Into::into).unwrap_or(Value::Null)
}

fn id_of(ids: &[i64], i: usize) -> Value {
    Value::from(ids[i])
}

// Independent random streams, one per part of the plan, so that changing one part does not
// shift the others.
const S_STAFF: u64 = 1;
const S_CLASSES: u64 = 2;
const S_ORGS: u64 = 3;
const S_AGREEMENTS: u64 = 4;
const S_CONTACTS: u64 = 5;
const S_STUDENTS: u64 = 6;
const K_PHONES: u64 = 0x0050_484f_4e45;
const K_ORGCODES: u64 = 0x4f52_4743;
const K_IDS: u64 = 0x4944_0000;

/// The largest number of students the numbering supports (five-digit sequence per school and
/// cohort, phone index ranges).
pub const MAX_STUDENTS: usize = 2_000_000;
pub const MIN_STUDENTS: usize = 1_000;
/// Phone index ranges: students use 0..MAX_STUDENTS, then staff, then contacts.
const PHONE_STAFF: u64 = 2_000_000;
const PHONE_CONTACTS: u64 = 2_100_000;
const PHONE_PREFIXES: [&str; 32] = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "176", "177", "180", "181", "182", "183", "184",
    "185", "186", "187", "188", "189", "199",
];
/// Share of students from Chongqing (the rest from Sichuan's counties in the economic circle).
const CQ_SHARE: f64 = 0.8;
const MAX_CLASS: usize = 45;

pub fn today() -> i64 {
    let (y, m, d) = data::TODAY;
    rng::days_from_civil(y, m, d)
}

fn ymd(y: i32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// A county where students come from: its code and the address prefix (`重庆市沙坪坝区`).
#[derive(Debug, Clone)]
pub struct County {
    pub code: String,
    pub place: String,
}

#[derive(Debug, Clone)]
pub struct Program {
    pub def: &'static ProgramDef,
    pub code: String,
    pub name: &'static str,
}

#[derive(Debug, Clone)]
pub struct Staff {
    pub staff_no: String,
    pub name: String,
    pub gender: &'static str,
    pub title: &'static str,
    pub dual: bool,
    pub school: Option<usize>,
    pub office: Option<&'static str>,
    pub phone: String,
    pub email: String,
}

#[derive(Debug, Clone)]
pub struct Class {
    pub name: String,
    pub program: usize,
    pub cohort: usize,
    pub year: u16,
    pub adviser: usize,
    pub size: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Org {
    pub kind: &'static str,
    pub name: String,
    pub name_en: Option<String>,
    pub credit_code: Option<String>,
    pub industry: Option<&'static str>,
    pub region: Option<String>,
    pub country: Option<&'static str>,
    pub size: Option<&'static str>,
    pub ownership: Option<&'static str>,
    pub headcount: Option<i64>,
    pub address: Option<String>,
    /// The e-mail domain of its Chinese contacts.
    pub domain: Option<String>,
    /// The contact person of a foreign partner.
    pub foreign_contact: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Agreement {
    pub no: String,
    pub org: usize,
    pub kind: &'static str,
    pub title: String,
    pub start: String,
    pub end: Option<String>,
    pub status: &'static str,
    pub amount_fen: Option<i64>,
    pub documents: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Contact {
    pub org: usize,
    pub name: String,
    pub kind: &'static str,
    pub position: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// An agreement before numbering: org, kind, title, start and end day, amount in yuan, and a
/// status that overrides the one the dates give.
type Draft = (
    usize,
    &'static str,
    String,
    i64,
    i64,
    Option<i64>,
    Option<&'static str>,
);

/// Positions of the anchor partners in [`Plan::orgs`].
#[derive(Debug, Clone, Copy)]
pub struct Anchors {
    pub carmaker: usize,
    pub intl_sales: usize,
    pub media: usize,
    pub lk_edu: usize,
}

/// The whole demo college except its students.
pub struct Plan {
    pub seed: u64,
    pub cohort_sizes: [usize; 8],
    pub programs: Vec<Program>,
    pub staff: Vec<Staff>,
    pub teachers_by_school: Vec<Vec<usize>>,
    pub classes: Vec<Class>,
    pub orgs: Vec<Org>,
    pub anchors: Anchors,
    pub agreements: Vec<Agreement>,
    pub contacts: Vec<Contact>,
    pub carmaker_mentors: Vec<usize>,
    pub carmaker_hr: usize,
    pub media_contact: usize,
    /// Enterprise mentors (contact positions) who take students of each school.
    pub mentor_pools: Vec<Vec<usize>>,
    cq: Vec<County>,
    sc: Vec<County>,
    birth_start: [i64; 8],
    birth_days: [u64; 8],
    id_perms: Vec<Perm>,
    phone_perm: Perm,
}

impl Plan {
    pub fn new(students: usize, seed: u64) -> Result<Plan, String> {
        if !(MIN_STUDENTS..=MAX_STUDENTS).contains(&students) {
            return Err(format!(
                "--students must be between {MIN_STUDENTS} and {MAX_STUDENTS}"
            ));
        }
        let programs = programs()?;
        let (cq, sc) = counties();
        let phone_perm = Perm::new(
            PHONE_PREFIXES.len() as u64 * 100_000_000,
            mix(seed, K_PHONES),
        );
        let mut birth_start = [0i64; 8];
        let mut birth_days = [0u64; 8];
        let mut id_perms = Vec::new();
        for (c, y) in data::COHORTS.iter().enumerate() {
            let y = i32::from(*y);
            // Born in the school year that ends 18 years before entry: 18 on entering college.
            birth_start[c] = rng::days_from_civil(y - 19, 9, 1);
            birth_days[c] = (rng::days_from_civil(y - 18, 9, 1) - birth_start[c]) as u64;
            for (g, counties) in [&cq, &sc].into_iter().enumerate() {
                for male in 0..2u64 {
                    let n = counties.len() as u64 * birth_days[c] * 500;
                    let key = mix(seed, K_IDS + (c as u64) * 4 + (g as u64) * 2 + male);
                    id_perms.push(Perm::new(n, key));
                }
            }
        }
        let mut plan = Plan {
            seed,
            cohort_sizes: cohort_sizes(students),
            programs,
            staff: Vec::new(),
            teachers_by_school: Vec::new(),
            classes: Vec::new(),
            orgs: Vec::new(),
            anchors: Anchors {
                carmaker: data::CARMAKER,
                intl_sales: data::INTL_SALES,
                media: data::MEDIA,
                lk_edu: data::LK_EDU,
            },
            agreements: Vec::new(),
            contacts: Vec::new(),
            carmaker_mentors: Vec::new(),
            carmaker_hr: 0,
            media_contact: 0,
            mentor_pools: Vec::new(),
            cq,
            sc,
            birth_start,
            birth_days,
            id_perms,
            phone_perm,
        };
        plan.gen_staff();
        plan.gen_classes();
        plan.gen_orgs();
        plan.gen_agreements();
        plan.gen_contacts();
        Ok(plan)
    }

    /// A unique mobile number for index `k` (students, then staff, then contacts).
    pub fn phone(&self, k: u64) -> String {
        let slot = self.phone_perm.apply(k);
        format!(
            "{}{:08}",
            PHONE_PREFIXES[(slot / 100_000_000) as usize],
            slot % 100_000_000
        )
    }

    fn credit_code(&self, prefix: &str, region: &str, org_index: usize) -> String {
        let n = Perm::new(100_000_000, mix(self.seed, K_ORGCODES)).apply(org_index as u64);
        let body = format!("{n:08}");
        let org_code = format!("{body}{}", org_code_check(&body));
        ids::make_credit_code(&format!("{prefix}{region}{org_code}"))
    }

    // ----- the institution ------------------------------------------------------------------

    pub fn school_rows(&self) -> Vec<Row> {
        data::SCHOOLS
            .iter()
            .map(|s| {
                row([
                    ("code", s.code.into()),
                    ("name", s.name.into()),
                    ("name_en", s.name_en.into()),
                ])
            })
            .collect()
    }

    pub fn program_rows(&self, school_ids: &[i64]) -> Vec<Row> {
        self.programs
            .iter()
            .map(|p| {
                row([
                    ("code", p.code.clone().into()),
                    ("major_code", p.def.major.into()),
                    ("name", p.name.into()),
                    ("school_id", id_of(school_ids, p.def.school)),
                    ("duration_years", 3.into()),
                ])
            })
            .collect()
    }

    /// Academic years 2019-2020 … 2026-2027.
    pub fn academic_year_rows(&self) -> Vec<Row> {
        (2019..=2026)
            .map(|y| {
                row([
                    ("name", format!("{y}-{}", y + 1).into()),
                    ("start_date", ymd(y, 9, 1).into()),
                    ("end_date", ymd(y + 1, 8, 31).into()),
                ])
            })
            .collect()
    }

    /// Two terms per academic year, `2025-2026-1` and `2025-2026-2`.
    pub fn term_rows(&self, year_ids: &[i64]) -> Vec<Row> {
        let mut out = Vec::new();
        for (i, y) in (2019..=2026).enumerate() {
            let name = format!("{y}-{}", y + 1);
            // Autumn term from September to mid-January, spring term from late February to July.
            let spring = rng::days_from_civil(y + 1, 2, 20);
            let spring_start = spring + (7 - (spring + 3).rem_euclid(7)) % 7; // the next Monday
            for (seq, start, end) in [
                (1, ymd(y, 9, 1), ymd(y + 1, 1, 17)),
                (2, rng::date(spring_start), ymd(y + 1, 7, 10)),
            ] {
                out.push(row([
                    ("academic_year_id", id_of(year_ids, i)),
                    ("name", format!("{name}-{seq}").into()),
                    ("seq", seq.into()),
                    ("start_date", start.into()),
                    ("end_date", end.into()),
                ]));
            }
        }
        out
    }

    /// The college's staff: each office's, then per school its office staff and its teachers
    /// (as many as the school's share of students gives, at least 30).
    fn gen_staff(&mut self) {
        let mut hire = Hiring {
            rng: Rng::new(self.seed, S_STAFF),
            per_year: HashMap::new(),
            emails: HashMap::new(),
        };
        let mut staff = Vec::new();
        for (office, n) in data::OFFICES {
            for _ in 0..*n {
                staff.push(hire.person(0.5, None, Some(office), false));
            }
        }
        let mut teachers_by_school = Vec::new();
        for (s, count) in teacher_counts().iter().enumerate() {
            let male_share = {
                let ps: Vec<&ProgramDef> =
                    data::PROGRAMS.iter().filter(|p| p.school == s).collect();
                0.5 + (ps.iter().map(|p| p.male).sum::<f64>() / ps.len() as f64 - 0.5) * 0.6
            };
            for _ in 0..data::SCHOOL_OFFICE_STAFF {
                staff.push(hire.person(0.4, Some(s), Some(data::SCHOOL_OFFICE), false));
            }
            let mut list = Vec::new();
            for _ in 0..(*count).max(30) {
                list.push(staff.len());
                staff.push(hire.person(male_share, Some(s), None, true));
            }
            teachers_by_school.push(list);
        }
        // The first member of the leadership office is the college's president.
        staff[0].title = title("professor");
        for (i, s) in staff.iter_mut().enumerate() {
            s.phone = self.phone(PHONE_STAFF + i as u64);
        }
        self.staff = staff;
        self.teachers_by_school = teachers_by_school;
    }

    pub fn staff_rows(&self, school_ids: &[i64]) -> Vec<Row> {
        self.staff
            .iter()
            .map(|s| {
                row([
                    ("staff_no", s.staff_no.clone().into()),
                    ("name", s.name.clone().into()),
                    ("gender", s.gender.into()),
                    ("title", s.title.into()),
                    ("dual_qualified", s.dual.into()),
                    ("school_id", opt(s.school.map(|i| school_ids[i]))),
                    ("office", opt(s.office)),
                    ("phone", s.phone.clone().into()),
                    ("email", s.email.clone().into()),
                ])
            })
            .collect()
    }

    fn gen_classes(&mut self) {
        let mut rng = Rng::new(self.seed, S_CLASSES);
        let mut next: Vec<usize> = self
            .teachers_by_school
            .iter()
            .map(|t| rng.below(t.len()))
            .collect();
        let mut classes = Vec::new();
        for (c, year) in data::COHORTS.iter().enumerate() {
            let t = f64::from(year - 2019) / 7.0;
            let weights: Vec<f64> = self
                .programs
                .iter()
                .map(|p| {
                    if *year >= p.def.since {
                        p.def.weight * (1.0 + (p.def.trend - 1.0) * t)
                    } else {
                        0.0
                    }
                })
                .collect();
            let total: f64 = weights.iter().sum();
            let shares: Vec<f64> = weights.iter().map(|w| w / total).collect();
            for (pi, n) in apportion(self.cohort_sizes[c], &shares)
                .into_iter()
                .enumerate()
            {
                if n == 0 {
                    continue;
                }
                let k = n.div_ceil(MAX_CLASS);
                let school = self.programs[pi].def.school;
                for j in 0..k {
                    let teachers = &self.teachers_by_school[school];
                    let adviser = teachers[next[school] % teachers.len()];
                    next[school] += 1;
                    classes.push(Class {
                        name: format!(
                            "{}{:02}{:02}",
                            self.programs[pi].def.short,
                            year % 100,
                            j + 1
                        ),
                        program: pi,
                        cohort: c,
                        year: *year,
                        adviser,
                        size: n / k + usize::from(j < n % k),
                    });
                }
            }
        }
        self.classes = classes;
    }

    pub fn class_rows(&self, program_ids: &[i64], staff_ids: &[i64]) -> Vec<Row> {
        self.classes
            .iter()
            .map(|c| {
                row([
                    ("name", c.name.clone().into()),
                    ("program_id", id_of(program_ids, c.program)),
                    ("entry_year", c.year.into()),
                    ("adviser_id", id_of(staff_ids, c.adviser)),
                ])
            })
            .collect()
    }

    // ----- partners -------------------------------------------------------------------------

    /// Up to 300 partner organisations, in this order: the anchors, the other foreign partners,
    /// government bodies, schools and universities, then invented enterprises; each Chinese one
    /// with its credit code.
    fn gen_orgs(&mut self) {
        let mut rng = Rng::new(self.seed, S_ORGS);
        let mut orgs: Vec<Org> = Vec::new();
        push_hand_written_partners(&mut orgs);
        push_government(&mut rng, &mut orgs);
        self.push_schools(&mut rng, &mut orgs);
        self.push_enterprises(&mut rng, &mut orgs, 300);
        self.assign_credit_codes(&mut orgs);
        self.orgs = orgs;
    }

    /// Vocational schools of Chongqing's districts and Sichuan's cities, universities, and six
    /// private training schools. Public schools are 事业单位 (credit codes 12…), private
    /// training schools 民办非企业单位 (52…).
    fn push_schools(&self, rng: &mut Rng, orgs: &mut Vec<Org>) {
        for (code, d, py, _) in data::CQ_DISTRICTS.iter().skip(1).take(12) {
            let addr = format!("重庆市{d}{}{}号", rng.pick(data::ROADS), rng.range(1, 300));
            orgs.push(school(
                format!("重庆市{d}职业教育中心"),
                format!("{py} Vocational Education Centre, Chongqing"),
                code.to_string(),
                addr,
            ));
        }
        for (code, city, py, _) in data::SC_CITIES.iter().take(4) {
            let county = self.county_of_city(rng, code);
            let addr = format!(
                "{}{}{}号",
                county.place,
                rng.pick(data::ROADS),
                rng.range(1, 300)
            );
            let short = city.trim_end_matches('市');
            orgs.push(school(
                format!("{short}汽车职业技术学校"),
                format!("{py} Automotive Vocational School"),
                county.code,
                addr,
            ));
        }
        for (name, en, region, place) in data::UNIVERSITIES {
            let (region, place) = if region.is_empty() {
                let c = self.county_of_city(rng, "510100");
                (c.code, c.place)
            } else {
                (region.to_string(), place.to_string())
            };
            let addr = format!("{place}{}{}号", rng.pick(data::ROADS), rng.range(1, 300));
            orgs.push(school((*name).into(), (*en).into(), region, addr));
        }
        let first_private = orgs.len();
        while orgs.len() < first_private + 6 {
            let (b, bpy) = brand(rng);
            let name = format!("重庆{b}职业技能培训学校");
            if orgs.iter().any(|o| o.name == name) {
                continue;
            }
            let (code, d, _, _) = data::CQ_DISTRICTS[rng.weighted(&district_weights())];
            let addr = format!("重庆市{d}{}{}号", rng.pick(data::ROADS), rng.range(1, 300));
            let mut o = school(
                name,
                format!("Chongqing {bpy} Vocational Skills Training School"),
                code.into(),
                addr,
            );
            o.ownership = Some("private");
            orgs.push(o);
        }
    }

    /// Invented enterprises in Chongqing and Sichuan until there are `total` partners, each
    /// with a name no other partner has.
    fn push_enterprises(&self, rng: &mut Rng, orgs: &mut Vec<Org>, total: usize) {
        let mut names: HashSet<String> = orgs.iter().map(|o| o.name.clone()).collect();
        let ind_weights: Vec<u32> = data::INDUSTRY_WORDS.iter().map(|w| w.1).collect();
        while orgs.len() < total {
            if let Some(o) = self.enterprise(rng, &ind_weights, &mut names) {
                orgs.push(o);
            }
        }
    }

    /// One invented enterprise, or `None` when its name is taken (the draws are spent all the
    /// same, which keeps the stream as it was).
    fn enterprise(
        &self,
        rng: &mut Rng,
        ind_weights: &[u32],
        names: &mut HashSet<String>,
    ) -> Option<Org> {
        let (division, _, words) = data::INDUSTRY_WORDS[rng.weighted(ind_weights)];
        let (word, word_en, slug) = *rng.pick(words);
        let (b, bpy) = brand(rng);
        let (prefix, prefix_en, region, place) = self.enterprise_place(rng);
        let size = ["large", "medium", "small", "micro"][rng.weighted(&[12, 28, 48, 12])];
        let headcount = match size {
            "large" => rng.range(1000, 20_000),
            "medium" => rng.range(300, 999),
            "small" => rng.range(20, 299),
            _ => rng.range(5, 19),
        };
        let (suffix, suffix_en) = match (size, rng.below(10)) {
            ("large", 0..=4) => ("集团有限公司", "Group Co., Ltd."),
            ("large", _) => ("股份有限公司", "Co., Ltd."),
            (_, 0) => ("股份有限公司", "Co., Ltd."),
            _ => ("有限公司", "Co., Ltd."),
        };
        let name = format!("{prefix}{b}{word}{suffix}");
        if !names.insert(name.clone()) {
            return None;
        }
        let ownership = [
            "private",
            "state",
            "joint",
            "foreign",
            "collective",
            "other",
        ][rng.weighted(&[58, 14, 10, 8, 3, 7])];
        let address = if rng.chance(0.4) {
            format!(
                "{place}{b}工业园{}路{}号",
                rng.pick(data::ROADS)
                    .trim_end_matches('路')
                    .trim_end_matches("大道")
                    .trim_end_matches('街'),
                rng.range(1, 99)
            )
        } else {
            format!("{place}{}{}号", rng.pick(data::ROADS), rng.range(1, 888))
        };
        Some(Org {
            kind: "enterprise",
            name,
            name_en: Some(format!("{prefix_en} {bpy} {word_en} {suffix_en}")),
            credit_code: None,
            industry: Some(division),
            region: Some(region),
            country: None,
            size: Some(size),
            ownership: Some(ownership),
            headcount: Some(headcount),
            address: Some(address),
            domain: Some(format!("{}-{slug}.com.cn", bpy.to_lowercase())),
            foreign_contact: None,
        })
    }

    /// Where an enterprise is: the name prefix in Chinese and English, the region code and the
    /// address prefix; seven in ten in Chongqing.
    fn enterprise_place(&self, rng: &mut Rng) -> (String, &'static str, String, String) {
        if rng.chance(0.7) {
            let (code, d, _, _) = data::CQ_DISTRICTS[rng.weighted(&district_weights())];
            (
                "重庆".to_string(),
                "Chongqing",
                code.to_string(),
                format!("重庆市{d}"),
            )
        } else {
            let w: Vec<u32> = data::SC_CITIES.iter().map(|c| c.3).collect();
            let (code, city, py, _) = data::SC_CITIES[rng.weighted(&w)];
            let county = self.county_of_city(rng, code);
            (
                city.trim_end_matches('市').to_string(),
                py,
                county.code,
                county.place,
            )
        }
    }

    /// Credit codes: enterprises 91…, public bodies 11…, public schools 12…, private 52….
    fn assign_credit_codes(&self, orgs: &mut [Org]) {
        for (i, org) in orgs.iter_mut().enumerate() {
            let prefix = match (org.kind, org.ownership) {
                ("enterprise", _) => "91",
                ("government", _) => "11",
                ("school", Some("private")) => "52",
                ("school", _) => "12",
                _ => continue,
            };
            let region = org.region.clone().unwrap_or_default();
            org.credit_code = Some(self.credit_code(prefix, &region, i));
            if org.kind == "school" {
                org.ownership = None;
            }
        }
    }

    fn county_of_city(&self, rng: &mut Rng, city_code: &str) -> County {
        let prefix = &city_code[..4];
        let list: Vec<&County> = self
            .sc
            .iter()
            .filter(|c| c.code.starts_with(prefix))
            .collect();
        (*rng.pick(&list)).clone()
    }

    pub fn org_rows(&self) -> Vec<Row> {
        self.orgs
            .iter()
            .map(|o| {
                row([
                    ("kind", o.kind.into()),
                    ("name", o.name.clone().into()),
                    ("name_en", opt(o.name_en.clone())),
                    ("credit_code", opt(o.credit_code.clone())),
                    ("industry_code", opt(o.industry)),
                    ("region_code", opt(o.region.clone())),
                    ("country_code", opt(o.country)),
                    ("size", opt(o.size)),
                    ("ownership", opt(o.ownership)),
                    ("headcount", opt(o.headcount)),
                    ("address", opt(o.address.clone())),
                ])
            })
            .collect()
    }

    /// Agreements: the anchors' from the data file, a few drawn for every other partner, then
    /// numbered in order of signing.
    fn gen_agreements(&mut self) {
        let mut rng = Rng::new(self.seed, S_AGREEMENTS);
        let today = today();
        let mut list = self.anchor_agreements();
        let first_other = data::ANCHOR_PARTNERS.len() + data::ANCHOR_FOREIGN.len();
        for (i, o) in self.orgs.iter().enumerate().skip(first_other) {
            let n = match o.kind {
                "enterprise" => [0, 1, 1, 2][rng.below(4)],
                "school" => usize::from(rng.chance(0.6)),
                "government" => usize::from(rng.chance(0.4)),
                _ => usize::from(rng.chance(0.7)),
            };
            for _ in 0..n {
                list.push(drawn_agreement(&mut rng, i, o, today));
            }
        }
        self.agreements = number_agreements(&list, today);
    }

    /// The anchors' agreements of `data::ANCHOR_AGREEMENTS`, a row per cohort where it says so.
    fn anchor_agreements(&self) -> Vec<Draft> {
        let d = rng::days_from_civil;
        let mut list: Vec<Draft> = Vec::new();
        for a in data::ANCHOR_AGREEMENTS {
            let org = &self.orgs[a.partner].name;
            let cohorts: Vec<i32> = if a.cohorts {
                data::COHORTS.iter().map(|y| i32::from(*y)).collect()
            } else {
                vec![0]
            };
            for y in cohorts {
                let title = a.title.replace("{org}", org).replace("{y}", &y.to_string());
                list.push((
                    a.partner,
                    a.kind,
                    title,
                    d(y + a.start.0, a.start.1, a.start.2),
                    d(y + a.end.0, a.end.1, a.end.2),
                    a.amount,
                    a.status,
                ));
            }
        }
        list
    }

    pub fn agreement_rows(&self, org_ids: &[i64]) -> Vec<Row> {
        self.agreements
            .iter()
            .map(|a| {
                row([
                    ("agreement_no", a.no.clone().into()),
                    ("org_id", id_of(org_ids, a.org)),
                    ("kind", a.kind.into()),
                    ("title", a.title.clone().into()),
                    ("start_date", a.start.clone().into()),
                    ("end_date", opt(a.end.clone())),
                    ("status", a.status.into()),
                    ("amount_fen", opt(a.amount_fen)),
                    ("documents", opt(a.documents.clone())),
                ])
            })
            .collect()
    }

    /// Contact people of every partner: the anchors' by hand (the carmaker's mentors enough
    /// for about 40 mentees each), the others drawn by kind; and per school, the enterprise
    /// mentors who take its students.
    fn gen_contacts(&mut self) {
        let mut book = ContactBook {
            rng: Rng::new(self.seed, S_CONTACTS),
            contacts: Vec::new(),
            used_local: HashMap::new(),
        };
        let a = self.anchors;
        let car_mentors = (self.auto_current() / 40).clamp(20, 2_000);
        let mut car_mentor_list = Vec::new();
        let mut pools: Vec<Vec<usize>> = vec![Vec::new(); data::SCHOOLS.len()];
        let mut carmaker_hr = 0;
        let mut media_contact = 0;
        for (i, o) in self.orgs.iter().enumerate() {
            if i == a.carmaker {
                (carmaker_hr, car_mentor_list) = book.carmaker(i, o, car_mentors);
            } else if i == a.intl_sales {
                pools[7].extend(book.intl_sales(i, o));
            } else if i == a.media {
                let (contact, mentors) = book.media(i, o);
                media_contact = contact;
                pools[5].extend(mentors);
            } else {
                book.ordinary(i, o, &mut pools);
            }
        }
        let mut contacts = book.contacts;
        for (k, c) in contacts.iter_mut().enumerate() {
            if c.phone.is_some() {
                c.phone = Some(self.phone(PHONE_CONTACTS + k as u64));
            }
        }
        for pool in pools.iter_mut() {
            if pool.is_empty() {
                pool.extend(car_mentor_list.iter().take(5));
            }
        }
        self.contacts = contacts;
        self.carmaker_mentors = car_mentor_list;
        self.carmaker_hr = carmaker_hr;
        self.media_contact = media_contact;
        self.mentor_pools = pools;
    }

    pub fn contact_rows(&self, org_ids: &[i64]) -> Vec<Row> {
        self.contacts
            .iter()
            .map(|c| {
                row([
                    ("org_id", id_of(org_ids, c.org)),
                    ("name", c.name.clone().into()),
                    ("kind", c.kind.into()),
                    ("position", c.position.clone().into()),
                    ("phone", opt(c.phone.clone())),
                    ("email", opt(c.email.clone())),
                ])
            })
            .collect()
    }

    // ----- students -------------------------------------------------------------------------

    /// The students, lazily, class after class.
    pub fn students(&self) -> StudentGen<'_> {
        StudentGen {
            plan: self,
            rng: Rng::new(self.seed, S_STUDENTS),
            class: 0,
            seat: 0,
            index: 0,
            id_counters: vec![0; data::COHORTS.len() * 4],
            no_counters: vec![0; data::COHORTS.len() * data::SCHOOLS.len()],
            picked: false,
        }
    }

    /// How many students are in current cohorts of the automotive schools.
    pub fn auto_current(&self) -> usize {
        self.classes
            .iter()
            .filter(|c| c.year >= data::FIRST_CURRENT && self.school_of(c).automotive)
            .map(|c| c.size)
            .sum()
    }

    fn school_of(&self, c: &Class) -> &'static SchoolDef {
        &data::SCHOOLS[self.programs[c.program].def.school]
    }

    // ----- accounts -------------------------------------------------------------------------

    /// The demo accounts, given the student chosen while generating (see [`StudentSpec::pick`]).
    pub fn accounts(&self, pick: &Pick) -> Vec<Account> {
        let first_of = |office: &str| {
            self.staff
                .iter()
                .find(|s| s.office == Some(office) && s.school.is_none())
                .map(|s| s.name.clone())
                .unwrap_or_default()
        };
        let staff = |username, office, zh: &str| Account {
            username,
            display_name: first_of(zh),
            role: RoleSpec::Staff {
                office,
                school: None,
            },
            scope: format!("{zh}, college-wide 全院"),
        };
        let qc = self
            .staff
            .iter()
            .find(|s| s.school == Some(0) && s.office.is_some())
            .map(|s| s.name.clone())
            .unwrap_or_default();
        let class = &self.classes[pick.class];
        let car = &self.orgs[self.anchors.carmaker].name;
        vec![
            Account {
                username: "leader",
                display_name: format!("{}（院长）", self.staff[0].name),
                role: RoleSpec::Leader,
                scope: "college-wide, read-only 全院只读".into(),
            },
            staff("jwc", Office::AcademicAffairs, "教务处"),
            staff("xsc", Office::StudentAffairs, "学生处"),
            staff("zsjy", Office::Employment, "招生就业处"),
            staff("xqhz", Office::Cooperation, "校企合作处"),
            staff("gjjl", Office::International, "国际交流处"),
            Account {
                username: "qc.jwc",
                display_name: qc,
                role: RoleSpec::Staff {
                    office: Office::AcademicAffairs,
                    school: Some(0),
                },
                scope: format!("academic affairs of {} only", data::SCHOOLS[0].name),
            },
            Account {
                username: "teacher",
                display_name: self.staff[class.adviser].name.clone(),
                role: RoleSpec::Teacher {
                    staff: class.adviser,
                },
                scope: format!(
                    "class adviser of {}, teacher mentor of {}",
                    class.name, pick.name
                ),
            },
            Account {
                username: "mentor",
                display_name: self.contacts[pick.enterprise_mentor].name.clone(),
                role: RoleSpec::Enterprise {
                    org: self.anchors.carmaker,
                    contact: pick.enterprise_mentor,
                    relation: ContactRole::Mentor,
                },
                scope: format!("enterprise mentor at {car}, mentees incl. {}", pick.name),
            },
            Account {
                username: "hr",
                display_name: self.contacts[self.carmaker_hr].name.clone(),
                role: RoleSpec::Enterprise {
                    org: self.anchors.carmaker,
                    contact: self.carmaker_hr,
                    relation: ContactRole::Hr,
                },
                scope: format!("HR at {car}"),
            },
            Account {
                username: "media",
                display_name: self.contacts[self.media_contact].name.clone(),
                role: RoleSpec::Enterprise {
                    org: self.anchors.media,
                    contact: self.media_contact,
                    relation: ContactRole::Contact,
                },
                scope: format!("contact at {}", self.orgs[self.anchors.media].name),
            },
            Account {
                username: "student",
                display_name: pick.name.clone(),
                role: RoleSpec::Student,
                scope: format!(
                    "{} {} ({}), both mentors",
                    pick.student_no, pick.name, class.name
                ),
            },
        ]
    }
}

/// A demo account: its role refers to plan positions, turned into ids by the caller.
#[derive(Debug, Clone)]
pub struct Account {
    pub username: &'static str,
    pub display_name: String,
    pub role: RoleSpec,
    pub scope: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleSpec {
    Leader,
    Staff {
        office: Office,
        school: Option<usize>,
    },
    Teacher {
        staff: usize,
    },
    Enterprise {
        org: usize,
        contact: usize,
        relation: ContactRole,
    },
    /// The student picked while generating.
    Student,
}

/// The student who gets the `student` account.
#[derive(Debug, Clone)]
pub struct Pick {
    pub student_no: String,
    pub name: String,
    pub class: usize,
    pub enterprise_mentor: usize,
}

/// One generated student with their mentors.
#[derive(Debug, Clone, PartialEq)]
pub struct StudentSpec {
    pub index: usize,
    pub student_no: String,
    pub name: String,
    pub gender: &'static str,
    pub id_number: String,
    pub phone: String,
    pub home_region: String,
    pub address: String,
    pub program: usize,
    pub class: usize,
    pub year: u16,
    /// The status the student has in the end.
    pub status: &'static str,
    pub teacher_mentor: Option<usize>,
    pub enterprise_mentor: Option<usize>,
    /// Whether this student gets the `student` demo account.
    pub pick: bool,
}

impl StudentSpec {
    pub fn row(&self, program_ids: &[i64], class_ids: &[i64]) -> Row {
        row([
            ("student_no", self.student_no.clone().into()),
            ("name", self.name.clone().into()),
            ("gender", self.gender.into()),
            ("id_number", self.id_number.clone().into()),
            ("phone", self.phone.clone().into()),
            ("home_region", self.home_region.clone().into()),
            ("address", self.address.clone().into()),
            ("program_id", id_of(program_ids, self.program)),
            ("class_id", id_of(class_ids, self.class)),
            ("entry_year", self.year.into()),
            ("status", self.status.into()),
        ])
    }

    /// Teacher mentors from 20 September of the entry year; enterprise mentors from the second
    /// spring (or mid-October for first-year students of the automotive schools).
    pub fn mentor_rows(&self, student_id: i64, staff_ids: &[i64], contact_ids: &[i64]) -> Vec<Row> {
        let y = i32::from(self.year);
        let mut out = Vec::new();
        if let Some(t) = self.teacher_mentor {
            out.push(row([
                ("student_id", student_id.into()),
                ("kind", "teacher".into()),
                ("staff_id", id_of(staff_ids, t)),
                ("start_date", ymd(y, 9, 20).into()),
            ]));
        }
        if let Some(c) = self.enterprise_mentor {
            let start = if rng::days_from_civil(y + 1, 3, 1) <= today() {
                ymd(y + 1, 3, 1)
            } else {
                ymd(y, 10, 15)
            };
            out.push(row([
                ("student_id", student_id.into()),
                ("kind", "enterprise".into()),
                ("contact_id", id_of(contact_ids, c)),
                ("start_date", start.into()),
            ]));
        }
        out
    }
}

/// Generates the students in a fixed order: cohort, program, class, seat.
pub struct StudentGen<'a> {
    plan: &'a Plan,
    rng: Rng,
    class: usize,
    seat: usize,
    index: usize,
    id_counters: Vec<u64>,
    no_counters: Vec<u32>,
    picked: bool,
}

impl Iterator for StudentGen<'_> {
    type Item = StudentSpec;

    fn next(&mut self) -> Option<StudentSpec> {
        let plan = self.plan;
        while self.class < plan.classes.len() && self.seat >= plan.classes[self.class].size {
            self.class += 1;
            self.seat = 0;
        }
        let class = plan.classes.get(self.class)?;
        let (ci, seat, index) = (self.class, self.seat, self.index);
        self.seat += 1;
        self.index += 1;
        let rng = &mut self.rng;
        let program = &plan.programs[class.program];
        let school_idx = program.def.school;
        let school = &data::SCHOOLS[school_idx];
        let c = class.cohort;
        let current = class.year >= data::FIRST_CURRENT;

        let male = rng.chance(program.def.male);
        let (name, _) = person(rng, male);
        let group = usize::from(!rng.chance(CQ_SHARE));
        let counties = if group == 0 { &plan.cq } else { &plan.sc };
        let slot_key = c * 4 + group * 2 + usize::from(male);
        let slot = plan.id_perms[slot_key].apply(self.id_counters[slot_key]);
        self.id_counters[slot_key] += 1;
        let q = slot % 500;
        let rest = slot / 500;
        let day = rest % plan.birth_days[c];
        let county = &counties[(rest / plan.birth_days[c]) as usize];
        let birth = rng::date_compact(plan.birth_start[c] + day as i64);
        let id_number = ids::make_id_number(&county.code, &birth, (q * 2 + u64::from(male)) as u32);
        let address = address(rng, &county.place);
        let status = if current {
            let u = rng.unit();
            if u < 0.01 {
                "suspended"
            } else if u < 0.015 {
                "withdrawn"
            } else {
                "enrolled"
            }
        } else {
            "graduated"
        };
        let no_key = c * data::SCHOOLS.len() + school_idx;
        self.no_counters[no_key] += 1;
        let student_no = format!(
            "{}{}{:05}",
            class.year, school.code, self.no_counters[no_key]
        );

        let teachers = &plan.teachers_by_school[school_idx];
        let (mut teacher_mentor, mut enterprise_mentor) = (None, None);
        if current && status != "withdrawn" {
            if school.automotive {
                teacher_mentor = Some(if seat < 10 {
                    class.adviser
                } else {
                    teachers[(ci * 7 + seat / 10) % teachers.len()]
                });
                let m = &plan.carmaker_mentors;
                enterprise_mentor = Some(m[(ci * 3 + seat / 10) % m.len()]);
            } else if rng.chance(0.3) {
                teacher_mentor = Some(teachers[rng.below(teachers.len())]);
                let pool = &plan.mentor_pools[school_idx];
                enterprise_mentor = Some(pool[rng.below(pool.len())]);
            }
        }
        let pick = !self.picked
            && program.def.major == data::STUDENT_ACCOUNT_MAJOR
            && class.year == data::STUDENT_ACCOUNT_COHORT
            && status == "enrolled"
            && seat < 10
            && teacher_mentor.is_some()
            && enterprise_mentor.is_some();
        self.picked |= pick;
        Some(StudentSpec {
            index,
            student_no,
            name,
            gender: if male { "1" } else { "2" },
            id_number,
            phone: plan.phone(index as u64),
            home_region: county.code.clone(),
            address,
            program: class.program,
            class: ci,
            year: class.year,
            status,
            teacher_mentor,
            enterprise_mentor,
            pick,
        })
    }
}

// ----- helpers ------------------------------------------------------------------------------

/// The national catalogue's programs chosen for the demo, with local codes `0101`, `0102`, ….
fn programs() -> Result<Vec<Program>, String> {
    let mut per_school = vec![0; data::SCHOOLS.len()];
    data::PROGRAMS
        .iter()
        .map(|def| {
            per_school[def.school] += 1;
            Ok(Program {
                def,
                code: format!(
                    "{}{:02}",
                    data::SCHOOLS[def.school].code,
                    per_school[def.school]
                ),
                name: data::major_name(def.major)
                    .ok_or_else(|| format!("major {} is not in the catalogue", def.major))?,
            })
        })
        .collect()
}

/// Chongqing's counties, and Sichuan's counties inside the economic circle, with address
/// prefixes, from the shipped GB/T 2260 table.
fn counties() -> (Vec<County>, Vec<County>) {
    let regions = skillbridge_core::reference::regions();
    let get = |r: &Row, k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let names: HashMap<String, String> = regions
        .iter()
        .map(|r| (get(r, "code"), get(r, "name")))
        .collect();
    let mut cq = Vec::new();
    let mut sc = Vec::new();
    for r in &regions {
        if get(r, "level") != "county" {
            continue;
        }
        let code = get(r, "code");
        let name = get(r, "name");
        if code.starts_with("50") {
            cq.push(County {
                place: format!("重庆市{name}"),
                code,
            });
        } else if code.starts_with("51") && get(r, "in_circle") == "in" {
            let city = names
                .get(&get(r, "parent_code"))
                .cloned()
                .unwrap_or_default();
            sc.push(County {
                place: format!("四川省{city}{name}"),
                code,
            });
        }
    }
    (cq, sc)
}

/// The hand-written partners of `data`: the anchors first (see [`Anchors`]), then the other
/// foreign partners.
fn push_hand_written_partners(orgs: &mut Vec<Org>) {
    for p in data::ANCHOR_PARTNERS {
        orgs.push(Org {
            kind: p.kind,
            name: p.name.into(),
            name_en: Some(p.name_en.into()),
            credit_code: None,
            industry: Some(p.industry),
            region: Some(p.region.into()),
            country: None,
            size: Some(p.size),
            ownership: Some(p.ownership),
            headcount: Some(p.headcount),
            address: Some(p.address.into()),
            domain: Some(p.domain.into()),
            foreign_contact: None,
        });
    }
    for (name, en, country, ind, city, contact) in data::ANCHOR_FOREIGN.iter().chain(data::FOREIGN)
    {
        orgs.push(Org {
            kind: "foreign",
            name: (*name).into(),
            name_en: Some((*en).into()),
            industry: Some(*ind),
            country: Some(*country),
            address: Some((*city).into()),
            foreign_contact: Some(*contact),
            ..Org::default()
        });
    }
}

/// Government bodies: Chongqing's municipal ones, thirteen district bureaus, and Sichuan's.
fn push_government(rng: &mut Rng, orgs: &mut Vec<Org>) {
    for (name, en) in data::CQ_GOVERNMENT {
        let addr = format!(
            "重庆市渝北区{}{}号",
            rng.pick(data::ROADS),
            rng.range(1, 300)
        );
        orgs.push(government((*name).into(), (*en).into(), "500000", addr));
    }
    for (i, (code, d, py, _)) in data::CQ_DISTRICTS.iter().take(13).enumerate() {
        let (zh, en) = if i < 10 {
            (
                "人力资源和社会保障局",
                "Bureau of Human Resources and Social Security",
            )
        } else {
            (
                "经济和信息化委员会",
                "Commission of Economy and Information Technology",
            )
        };
        let addr = format!("重庆市{d}{}{}号", rng.pick(data::ROADS), rng.range(1, 300));
        orgs.push(government(
            format!("重庆市{d}{zh}"),
            format!("{en} of {py} District, Chongqing"),
            code,
            addr,
        ));
    }
    for (name, en, region, city) in data::SC_GOVERNMENT {
        let addr = format!(
            "四川省{city}{}{}号",
            rng.pick(data::ROADS),
            rng.range(1, 300)
        );
        orgs.push(government((*name).into(), (*en).into(), region, addr));
    }
}

fn government(name: String, en: String, region: &str, addr: String) -> Org {
    Org {
        kind: "government",
        name,
        name_en: Some(en),
        industry: Some("92"),
        region: Some(region.into()),
        address: Some(addr),
        ..Org::default()
    }
}

fn school(name: String, en: String, region: String, addr: String) -> Org {
    Org {
        kind: "school",
        name,
        name_en: Some(en),
        industry: Some("83"),
        region: Some(region),
        address: Some(addr),
        ownership: None,
        ..Org::default()
    }
}

/// One agreement drawn for a partner that is not an anchor: its kind by the partner's kind,
/// a start between 2019 and 2026 (a draft: early 2027), a length by kind, and an amount.
fn drawn_agreement(rng: &mut Rng, i: usize, o: &Org, today: i64) -> Draft {
    let d = rng::days_from_civil;
    let kind = match o.kind {
        "enterprise" => [
            "internship",
            "framework",
            "order_class",
            "training_base",
            "apprenticeship",
            "rnd",
            "other",
        ][rng.weighted(&[30, 20, 12, 12, 8, 10, 3])],
        "school" if o.ownership == Some("private") => "other",
        "school" | "government" => "framework",
        _ => ["overseas", "framework"][rng.weighted(&[3, 1])],
    };
    let draft = rng.chance(0.03);
    let start = if draft {
        d(2027, 1 + rng.below(3) as u32, 1)
    } else {
        d(
            2019 + rng.below(8) as i32,
            1 + rng.below(12) as u32,
            1 + rng.below(28) as u32,
        )
    };
    let years = match kind {
        "order_class" => 3,
        "framework" | "training_base" => rng.range(3, 5),
        _ => rng.range(1, 3),
    };
    let (sy, sm, sd) = rng::civil_from_days(start);
    let end = d(sy + years as i32, sm, sd.min(28)) - 1;
    let title = agreement_title(o, kind, sy);
    let amount = match kind {
        "order_class" => Some(rng.range(10, 80) * 10_000),
        "training_base" => Some(rng.range(20, 300) * 10_000),
        "apprenticeship" => Some(rng.range(10, 50) * 10_000),
        "rnd" => Some(rng.range(5, 200) * 10_000),
        "overseas" => Some(rng.range(10, 150) * 10_000),
        "other" => Some(rng.range(2, 30) * 10_000),
        _ => None,
    };
    let forced = if draft {
        Some("draft")
    } else if start <= today && rng.chance(0.03) {
        Some("terminated")
    } else {
        None
    };
    (i, kind, title, start, end, amount, forced)
}

/// The title of a drawn agreement of `kind` with `o`, signed in year `y`.
fn agreement_title(o: &Org, kind: &str, y: i32) -> String {
    let name = &o.name;
    match kind {
        "framework" if o.kind == "school" && name.contains("职业教育中心") => {
            format!("{name}中高职贯通培养合作协议")
        }
        "framework" if o.kind == "school" => format!("{name}专升本联合培养合作协议"),
        "framework" if o.kind == "government" => format!("{name}校地合作框架协议"),
        "framework" => format!("{name}合作框架协议"),
        "internship" => format!("{name}岗位实习协议"),
        "order_class" => format!("{name}订单班培养协议（{y}级）"),
        "training_base" => format!("{name}校外实训基地共建协议"),
        "apprenticeship" => format!("{name}现代学徒制合作协议"),
        "rnd" => format!("{name}技术研发合作协议"),
        "overseas" => format!("{name}国际合作办学协议"),
        _ if o.kind == "school" => format!("{name}职业技能培训合作协议"),
        _ => format!("{name}员工培训服务协议"),
    }
}

/// Numbers agreements in order of signing, per year (XQ-2024-001), and gives each the status
/// its dates give on `today` unless it has one of its own.
fn number_agreements(list: &[Draft], today: i64) -> Vec<Agreement> {
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.sort_by_key(|i| (list[*i].3, *i));
    let mut per_year: HashMap<i32, u32> = HashMap::new();
    let mut out = Vec::new();
    for i in order {
        let (org, kind, title, start, end, amount, forced) = list[i].clone();
        let (y, _, _) = rng::civil_from_days(start);
        let seq = per_year.entry(y).or_insert(0);
        *seq += 1;
        let no = format!("XQ-{y}-{:03}", *seq);
        let status = forced.unwrap_or(if start > today {
            "draft"
        } else if end < today {
            "expired"
        } else {
            "active"
        });
        out.push(Agreement {
            documents: (status != "draft").then(|| format!("{no}.pdf")),
            no,
            org,
            kind,
            title,
            start: rng::date(start),
            end: Some(rng::date(end)),
            status,
            amount_fen: amount.map(|y| y * 100),
        });
    }
    out
}

/// Teachers per school, following the schools' share of students.
fn teacher_counts() -> Vec<usize> {
    let mut weight = vec![0.0f64; data::SCHOOLS.len()];
    for p in data::PROGRAMS {
        weight[p.school] += p.weight;
    }
    let total: f64 = weight.iter().sum();
    apportion(
        data::TEACHERS,
        &weight.iter().map(|w| w / total).collect::<Vec<_>>(),
    )
}

/// A staff title by its code in the staff record's list of titles (`TITLES`).
fn title(code: &str) -> &'static str {
    TITLES
        .codes()
        .find(|t| *t == code)
        .expect("a code of TITLES")
}

/// Draws staff members one after another: staff numbers count per year of hiring, and a
/// repeated e-mail name gets a number.
struct Hiring {
    rng: Rng,
    per_year: HashMap<i64, u32>,
    emails: HashMap<String, u32>,
}

impl Hiring {
    fn person(
        &mut self,
        male_share: f64,
        school: Option<usize>,
        office: Option<&'static str>,
        teacher: bool,
    ) -> Staff {
        let rng = &mut self.rng;
        let male = rng.chance(male_share);
        let (name, pinyin) = person(rng, male);
        let hired = 2025 - rng.skewed(30) as i64;
        let seq = self.per_year.entry(hired).or_insert(0);
        *seq += 1;
        let staff_no = format!("{hired}{:03}", *seq);
        let n = self.emails.entry(pinyin.clone()).or_insert(0);
        *n += 1;
        let email = if *n == 1 {
            format!("{pinyin}@{}", data::MAIL_DOMAIN)
        } else {
            format!("{pinyin}{n}@{}", data::MAIL_DOMAIN)
        };
        let (title, dual) = if teacher {
            // Recent hires are lecturers, assistants or engineers; the others spread over all.
            let t = if hired >= 2022 {
                ["lecturer", "assistant", "engineer"][rng.weighted(&[3, 5, 2])]
            } else {
                TITLES.labels[rng.weighted(&[6, 22, 42, 14, 8, 6, 2])].code
            };
            (title(t), rng.chance(0.6))
        } else {
            let t = ["none", "lecturer", "assistant", "associate_professor"]
                [rng.weighted(&[50, 25, 15, 10])];
            (title(t), rng.chance(0.1))
        };
        Staff {
            staff_no,
            name,
            gender: if male { "1" } else { "2" },
            title,
            dual,
            school,
            office,
            phone: String::new(),
            email,
        }
    }
}

const MENTOR_POSITIONS: [&str; 8] = [
    "高级工程师",
    "技术主管",
    "车间主任",
    "工艺工程师",
    "质量工程师",
    "售后技术经理",
    "首席技师",
    "生产班组长",
];

/// Draws the contact people of the partners one after another; a repeated e-mail name at one
/// partner gets a number.
struct ContactBook {
    rng: Rng,
    contacts: Vec<Contact>,
    used_local: HashMap<(usize, String), u32>,
}

impl ContactBook {
    /// Adds a contact of `o` (position `org` in the plan) and returns its position. A foreign
    /// partner's is its hand-written contact person, without phone or e-mail.
    fn add(&mut self, org: usize, o: &Org, kind: &'static str, position: &str) -> usize {
        let (name, phone, email) = if let Some(n) = o.foreign_contact {
            (n.to_string(), None, None)
        } else {
            let male = self.rng.chance(if kind == "mentor" { 0.75 } else { 0.5 });
            let (name, pinyin) = person(&mut self.rng, male);
            let email = o.domain.as_ref().map(|dom| {
                let n = self.used_local.entry((org, pinyin.clone())).or_insert(0);
                *n += 1;
                if *n == 1 {
                    format!("{pinyin}@{dom}")
                } else {
                    format!("{pinyin}{n}@{dom}")
                }
            });
            (name, Some(String::new()), email)
        };
        self.contacts.push(Contact {
            org,
            name,
            kind,
            position: position.into(),
            phone,
            email,
        });
        self.contacts.len() - 1
    }

    /// The carmaker's contacts; returns its recruiting HR contact and its mentors.
    fn carmaker(&mut self, i: usize, o: &Org, mentors: usize) -> (usize, Vec<usize>) {
        self.add(i, o, "contact", "校企合作部部长");
        self.add(i, o, "contact", "渝驰汽车产业学院企业方副院长");
        let hr = self.add(i, o, "hr", "人力资源部招聘经理");
        self.add(i, o, "hr", "人力资源部培训主管");
        let list = (0..mentors)
            .map(|k| self.add(i, o, "mentor", MENTOR_POSITIONS[k % MENTOR_POSITIONS.len()]))
            .collect();
        (hr, list)
    }

    /// The carmaker's international sales arm; returns its mentors (who take the students of
    /// the School of International Education).
    fn intl_sales(&mut self, i: usize, o: &Org) -> Vec<usize> {
        self.add(i, o, "contact", "海外市场部经理");
        self.add(i, o, "hr", "人力资源主管");
        (0..3)
            .map(|_| self.add(i, o, "mentor", "海外售后技术经理"))
            .collect()
    }

    /// The media group; returns its main contact and its mentors (who take the students of the
    /// School of Digital Media).
    fn media(&mut self, i: usize, o: &Org) -> (usize, Vec<usize>) {
        let contact = self.add(i, o, "contact", "数字经济产业学院企业方院长");
        self.add(i, o, "hr", "人力资源部经理");
        let mentors = [
            "高级编辑",
            "视频制作主管",
            "新媒体运营总监",
            "直播运营经理",
            "动画导演",
            "融媒体技术主管",
            "摄影师",
            "短视频编导",
        ]
        .map(|pos| self.add(i, o, "mentor", pos));
        (contact, mentors.to_vec())
    }

    /// Any other partner: a contact by its kind; an enterprise also often an HR contact, and
    /// one or two mentors for the schools whose industries it is in.
    fn ordinary(&mut self, i: usize, o: &Org, pools: &mut [Vec<usize>]) {
        let rng = &mut self.rng;
        let pos = match o.kind {
            "foreign" => "International Cooperation Officer",
            "government" => ["科长", "副科长", "四级主任科员"][rng.below(3)],
            "school" => ["招生就业处处长", "教务处副处长", "校企合作办公室主任"][rng.below(3)],
            _ => ["总经理助理", "校企合作专员", "行政经理", "培训中心主任"][rng.below(4)],
        };
        self.add(i, o, "contact", pos);
        if matches!(o.kind, "foreign" | "government" | "school") {
            return;
        }
        if self.rng.chance(0.7) {
            let pos = ["人力资源经理", "招聘主管", "人力资源专员"][self.rng.below(3)];
            self.add(i, o, "hr", pos);
        }
        let schools: Vec<usize> = data::SCHOOLS
            .iter()
            .enumerate()
            .filter(|(_, s)| o.industry.is_some_and(|ind| s.industries.contains(&ind)))
            .map(|(s, _)| s)
            .collect();
        let n = if schools.is_empty() {
            0
        } else {
            self.rng.range(1, 3) as usize
        };
        for _ in 0..n {
            let pos = MENTOR_POSITIONS[self.rng.below(MENTOR_POSITIONS.len())];
            let c = self.add(i, o, "mentor", pos);
            for s in &schools {
                pools[*s].push(c);
            }
        }
    }
}

fn district_weights() -> Vec<u32> {
    data::CQ_DISTRICTS.iter().map(|d| d.3).collect()
}

/// Splits `total` by `shares` (summing to 1) with the largest-remainder method.
pub fn apportion(total: usize, shares: &[f64]) -> Vec<usize> {
    let quotas: Vec<f64> = shares.iter().map(|s| s * total as f64).collect();
    let mut out: Vec<usize> = quotas.iter().map(|q| q.floor() as usize).collect();
    let mut rest = total - out.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|a, b| {
        let ra = quotas[*a] - quotas[*a].floor();
        let rb = quotas[*b] - quotas[*b].floor();
        rb.total_cmp(&ra).then(a.cmp(b))
    });
    for i in order {
        if rest == 0 {
            break;
        }
        if shares[i] > 0.0 {
            out[i] += 1;
            rest -= 1;
        }
    }
    out
}

/// Eight equal cohorts; the remainder goes to the newest ones.
pub fn cohort_sizes(n: usize) -> [usize; 8] {
    let mut out = [n / 8; 8];
    for i in 0..n % 8 {
        out[7 - i] += 1;
    }
    out
}

/// A Chinese name and its pinyin (for e-mail addresses).
pub fn person(rng: &mut Rng, male: bool) -> (String, String) {
    let (sn, sp) = data::SURNAMES[rng.skewed(data::SURNAMES.len())];
    let chars = if male {
        data::MALE_CHARS
    } else {
        data::FEMALE_CHARS
    };
    if rng.chance(0.25) {
        let (g, gp) = rng.pick(chars);
        return (format!("{sn}{g}"), format!("{sp}{gp}"));
    }
    let (a, ap) = if rng.chance(0.4) {
        *rng.pick(data::SHARED_CHARS)
    } else {
        *rng.pick(chars)
    };
    let mut b = rng.pick(chars);
    while b.0 == a {
        b = rng.pick(chars);
    }
    (format!("{sn}{a}{}", b.0), format!("{sp}{ap}{}", b.1))
}

/// An invented two-character brand and its pinyin, capitalised: (`嘉瑞`, `Jiarui`).
fn brand(rng: &mut Rng) -> (String, String) {
    let a = rng.pick(data::BRAND_CHARS);
    let mut b = rng.pick(data::BRAND_CHARS);
    while b.0 == a.0 {
        b = rng.pick(data::BRAND_CHARS);
    }
    let py = format!("{}{}", a.1, b.1);
    let mut cap = py[..1].to_ascii_uppercase();
    cap.push_str(&py[1..]);
    (format!("{}{}", a.0, b.0), cap)
}

/// A home address in a county: a flat in town or a house in a village.
fn address(rng: &mut Rng, place: &str) -> String {
    if rng.chance(0.6) {
        format!(
            "{place}{}{}号{}栋{}单元{}{:02}",
            rng.pick(data::ROADS),
            rng.range(1, 399),
            rng.range(1, 30),
            rng.range(1, 4),
            rng.range(1, 32),
            rng.range(1, 6)
        )
    } else {
        format!(
            "{place}{}镇{}村{}组{}号",
            rng.pick(data::TOWNS),
            rng.pick(data::VILLAGES),
            rng.range(1, 12),
            rng.range(1, 99)
        )
    }
}

/// The GB 11714 check character of an eight-digit organisation code.
fn org_code_check(body: &str) -> char {
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        c => char::from_digit(c, 10).unwrap_or('0'),
    }
}
