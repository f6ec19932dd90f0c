//! Order classes (订单班): who may apply, how applications become an instance of the
//! hospital–resident problem, and what an allocation and its refills mean. No I/O: the store
//! gathers the facts, calls these functions, and writes what they return.
//!
//! The mechanism is student-proposing deferred acceptance ([`crate::matching::solve`]), so a
//! student can do no better than list the order classes in their true order of preference.
//!
//! Rules, in one place:
//! - **Eligibility** ([`eligibility`]): the student is enrolled, their program is one of the
//!   class's target programs, their entry year one of its cohorts, and their grade average (when
//!   the class sets a minimum) at least that minimum. A grade not known when the student applies
//!   is checked when the allocation runs: an application without a grade to a class with a
//!   minimum is then not acceptable to it.
//! - **Applying** ([`check_choices`]): a ranked list of at most [`MAX_APPLICATIONS`] distinct
//!   classes, each eligible and open (status `open`, and the day of applying within its window).
//!   Applications to classes whose window has closed are frozen: a new list must keep each at its
//!   place.
//! - **The instance** ([`build_instance`]): a student's list is their applications by their rank;
//!   a class's ranking is its explicit enterprise ranks (equal ranks tie), then the applicants
//!   without a rank by interview score, highest first (equal scores tie), then, when the class
//!   needs no interview, the applicants with neither (one tie). Ties are broken by one
//!   college-wide random order drawn from the run's recorded seed ([`crate::matching::tie_order`]).
//!   Applicants who are not eligible, or have no interview score where one is required, are left
//!   out of the class's ranking (not acceptable) and the reason is recorded. Capacity is the
//!   number of seats.
//! - **Refill** ([`refill`]): after offers are declined, the mechanism runs again on the same
//!   instance without the decliners. Removing students never makes a remaining student worse off
//!   in the student-optimal stable matching, so nobody who accepted is moved down (checked here
//!   as well as in the engine). A student whom the refill moves to a class they ranked higher
//!   gets a new offer there, and their previous offer (accepted or not) is superseded: that seat
//!   is freed for the next applicant (so a student who then declines the better offer has left
//!   the allocation: the seat they had accepted has gone to someone else). Students newly placed
//!   get new offers.

use crate::matching::{self, Instance, InstanceError, Matching, Position, Reason};
use crate::schema::{FieldError, Record};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// At most this many order classes on one student's list.
pub const MAX_APPLICATIONS: usize = 5;

/// The instance id of a student record.
pub fn sid(id: i64) -> String {
    format!("s{id}")
}

/// The instance id of an order class record.
pub fn cid(id: i64) -> String {
    format!("c{id}")
}

/// The record id behind an instance id (`s12` -> 12, `c3` -> 3).
pub fn record_id(instance_id: &str) -> Option<i64> {
    instance_id.get(1..)?.parse().ok()
}

/// Parses the cohorts of an order class: entry years separated by commas (`2024,2025`).
pub fn parse_entry_years(text: &str) -> Result<Vec<i64>, String> {
    let mut out = Vec::new();
    for part in text.split([',', '，', ' ', '、']).filter(|p| !p.is_empty()) {
        match part.parse::<i64>() {
            Ok(y) if (1990..=2100).contains(&y) => {
                if !out.contains(&y) {
                    out.push(y);
                }
            }
            _ => return Err(format!("{part:?} is not an entry year")),
        }
    }
    if out.is_empty() {
        return Err("name at least one entry year, e.g. 2024,2025".into());
    }
    Ok(out)
}

/// Rules across the fields of an order class (called from `schema::check_record`).
pub fn check_order_class(rec: &Record) -> Vec<FieldError> {
    let mut e = Vec::new();
    let text = |k: &str| rec.get(k).and_then(|v| v.as_str()).unwrap_or("");
    if !text("opens_on").is_empty()
        && !text("closes_on").is_empty()
        && text("closes_on") < text("opens_on")
    {
        e.push(FieldError::new(
            "closes_on",
            "before_start",
            "must not be before the opening date",
        ));
    }
    if let Err(m) = parse_entry_years(text("entry_years")) {
        e.push(FieldError::new("entry_years", "invalid", m));
    }
    e
}

/// What the rules need to know of an order class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassFacts {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub seats: i64,
    pub opens_on: String,
    pub closes_on: String,
    pub programs: Vec<i64>,
    pub entry_years: Vec<i64>,
    pub min_grade: Option<i64>,
    pub interview_required: bool,
}

/// What the rules need to know of a student.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentFacts {
    pub id: i64,
    pub program_id: i64,
    pub entry_year: i64,
    pub enrolled: bool,
}

/// One application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppFacts {
    pub student_id: i64,
    pub order_class_id: i64,
    pub student_rank: i64,
    pub grade_average: Option<i64>,
    pub interview_score: Option<i64>,
    pub enterprise_rank: Option<i64>,
    pub withdrawn: bool,
}

/// Why a student may not apply to (or is not acceptable to) an order class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Ineligible {
    /// The class is not taking applications (its status is not `open`).
    NotOpen { status: String },
    /// The day is outside the application window.
    WindowClosed { opens_on: String, closes_on: String },
    /// The student is not enrolled (suspended, withdrawn, graduated).
    NotEnrolled,
    /// The student's program is not among the class's target programs.
    Program,
    /// The student's entry year is not among the class's cohorts.
    Cohort { entry_years: Vec<i64> },
    /// The grade average is below the minimum, or unknown where a minimum is set.
    Grade { min: i64, have: Option<i64> },
    /// The class requires an interview and the applicant has no score.
    NoInterviewScore,
    /// More classes listed than allowed.
    TooMany { max: usize },
    /// The same class listed twice.
    Duplicate,
    /// No such order class.
    UnknownClass,
    /// An application to a class whose window has closed cannot be moved or removed.
    Frozen { rank: usize },
}

impl Ineligible {
    pub fn code(&self) -> &'static str {
        match self {
            Ineligible::NotOpen { .. } => "not_open",
            Ineligible::WindowClosed { .. } => "window_closed",
            Ineligible::NotEnrolled => "not_enrolled",
            Ineligible::Program => "program",
            Ineligible::Cohort { .. } => "cohort",
            Ineligible::Grade { .. } => "grade",
            Ineligible::NoInterviewScore => "no_interview_score",
            Ineligible::TooMany { .. } => "too_many",
            Ineligible::Duplicate => "duplicate",
            Ineligible::UnknownClass => "not_found",
            Ineligible::Frozen { .. } => "frozen",
        }
    }

    pub fn text_zh(&self) -> String {
        match self {
            Ineligible::NotOpen { .. } => "该订单班未在报名中".into(),
            Ineligible::WindowClosed {
                opens_on,
                closes_on,
            } => {
                format!("不在报名时间内（{opens_on} 至 {closes_on}）")
            }
            Ineligible::NotEnrolled => "非在读学生".into(),
            Ineligible::Program => "所在专业不在该订单班面向专业之列".into(),
            Ineligible::Cohort { entry_years } => format!(
                "该订单班面向 {} 级学生",
                entry_years
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            Ineligible::Grade { min, have: Some(h) } => {
                format!("平均成绩 {h} 低于最低要求 {min}")
            }
            Ineligible::Grade { min, have: None } => {
                format!("该订单班要求平均成绩不低于 {min}，尚无成绩记录")
            }
            Ineligible::NoInterviewScore => "该订单班需要面试，尚无面试成绩".into(),
            Ineligible::TooMany { max } => format!("最多填报 {max} 个订单班"),
            Ineligible::Duplicate => "同一订单班重复填报".into(),
            Ineligible::UnknownClass => "订单班不存在".into(),
            Ineligible::Frozen { rank } => {
                format!("该订单班报名已截止，须保留在第 {rank} 志愿")
            }
        }
    }

    pub fn text_en(&self) -> String {
        match self {
            Ineligible::NotOpen { status } => {
                format!("the order class is not taking applications (status {status})")
            }
            Ineligible::WindowClosed {
                opens_on,
                closes_on,
            } => {
                format!("outside the application window ({opens_on} to {closes_on})")
            }
            Ineligible::NotEnrolled => "the student is not enrolled".into(),
            Ineligible::Program => {
                "the student's program is not a target of the order class".into()
            }
            Ineligible::Cohort { entry_years } => format!(
                "the order class is for the cohorts {}",
                entry_years
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Ineligible::Grade { min, have: Some(h) } => {
                format!("grade average {h} is below the minimum {min}")
            }
            Ineligible::Grade { min, have: None } => {
                format!("the order class requires a grade average of at least {min}, and none is recorded")
            }
            Ineligible::NoInterviewScore => {
                "the order class requires an interview, and no score is recorded".into()
            }
            Ineligible::TooMany { max } => format!("at most {max} order classes may be listed"),
            Ineligible::Duplicate => "the same order class is listed twice".into(),
            Ineligible::UnknownClass => "no such order class".into(),
            Ineligible::Frozen { rank } => format!(
                "applications to this order class have closed; it must stay your choice {rank}"
            ),
        }
    }

    /// As a field error of the API, in both languages.
    pub fn field_error(&self, field: &str) -> FieldError {
        FieldError::new(
            field,
            self.code(),
            format!("{} / {}", self.text_zh(), self.text_en()),
        )
    }
}

/// The standing rules: enrolled, program, cohort, grade (an unknown grade passes here; see
/// [`acceptable`] for the rule at allocation time).
pub fn eligibility(
    class: &ClassFacts,
    student: &StudentFacts,
    grade: Option<i64>,
) -> Result<(), Ineligible> {
    if !student.enrolled {
        return Err(Ineligible::NotEnrolled);
    }
    if !class.programs.contains(&student.program_id) {
        return Err(Ineligible::Program);
    }
    if !class.entry_years.contains(&student.entry_year) {
        return Err(Ineligible::Cohort {
            entry_years: class.entry_years.clone(),
        });
    }
    if let (Some(min), Some(have)) = (class.min_grade, grade) {
        if have < min {
            return Err(Ineligible::Grade {
                min,
                have: Some(have),
            });
        }
    }
    Ok(())
}

/// Whether a class takes applications on `today` (`YYYY-MM-DD`).
pub fn window_open(class: &ClassFacts, today: &str) -> Result<(), Ineligible> {
    if class.status != "open" {
        return Err(Ineligible::NotOpen {
            status: class.status.clone(),
        });
    }
    if today < class.opens_on.as_str() || today > class.closes_on.as_str() {
        return Err(Ineligible::WindowClosed {
            opens_on: class.opens_on.clone(),
            closes_on: class.closes_on.clone(),
        });
    }
    Ok(())
}

/// At allocation time: eligible, with a known grade where a minimum is set and a score where an
/// interview is required.
pub fn acceptable(
    class: &ClassFacts,
    student: &StudentFacts,
    app: &AppFacts,
) -> Result<(), Ineligible> {
    eligibility(class, student, app.grade_average)?;
    if let (Some(min), None) = (class.min_grade, app.grade_average) {
        return Err(Ineligible::Grade { min, have: None });
    }
    if class.interview_required && app.interview_score.is_none() {
        return Err(Ineligible::NoInterviewScore);
    }
    Ok(())
}

/// Checks a student's new ranked list (`new[0]` is the first choice) against the rules for
/// applying on `today`. `existing` is the current list as (class id, rank); `grade` the
/// student's grade average if one is on record. Every problem is returned, naming the entry
/// (`order_class_ids[2]`).
pub fn check_choices(
    new: &[i64],
    existing: &[(i64, i64)],
    classes: &BTreeMap<i64, ClassFacts>,
    student: &StudentFacts,
    grade: Option<i64>,
    today: &str,
    max: usize,
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    let entry = |i: usize| format!("order_class_ids[{i}]");
    if new.len() > max {
        errors.push(Ineligible::TooMany { max }.field_error("order_class_ids"));
    }
    let mut seen = BTreeSet::new();
    for (i, id) in new.iter().enumerate() {
        if !seen.insert(*id) {
            errors.push(Ineligible::Duplicate.field_error(&entry(i)));
            continue;
        }
        let Some(class) = classes.get(id) else {
            errors.push(Ineligible::UnknownClass.field_error(&entry(i)));
            continue;
        };
        let frozen = existing
            .iter()
            .find(|(c, _)| c == id)
            .filter(|_| window_open(class, today).is_err());
        match frozen {
            // Kept where it was: nothing to check again.
            Some((_, rank)) if *rank == i as i64 + 1 => {}
            Some((_, rank)) => errors.push(
                Ineligible::Frozen {
                    rank: *rank as usize,
                }
                .field_error(&entry(i)),
            ),
            None => {
                if let Err(e) =
                    window_open(class, today).and_then(|_| eligibility(class, student, grade))
                {
                    errors.push(e.field_error(&entry(i)));
                }
            }
        }
    }
    for (c, rank) in existing {
        let Some(class) = classes.get(c) else {
            continue;
        };
        if window_open(class, today).is_err() && !new.contains(c) {
            errors.push(
                Ineligible::Frozen {
                    rank: *rank as usize,
                }
                .field_error("order_class_ids"),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// An applicant left out of a class's ranking, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    pub student: String,
    pub position: String,
    pub reason: Ineligible,
}

/// An instance built from the records, with the applicants left out of rankings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Built {
    pub instance: Instance,
    pub not_acceptable: Vec<Exclusion>,
}

/// Builds the matching instance of an allocation run from its order classes, the students who
/// applied and their applications (see the module documentation for the rules). Applications to
/// classes not in `classes`, and withdrawn ones, are ignored; so are applications of students
/// missing from `students`.
pub fn build_instance(
    classes: &[ClassFacts],
    students: &BTreeMap<i64, StudentFacts>,
    apps: &[AppFacts],
    seed: u64,
) -> Built {
    let by_id: BTreeMap<i64, &ClassFacts> = classes.iter().map(|c| (c.id, c)).collect();
    let live: Vec<&AppFacts> = apps
        .iter()
        .filter(|a| !a.withdrawn)
        .filter(|a| by_id.contains_key(&a.order_class_id))
        .filter(|a| students.contains_key(&a.student_id))
        .collect();
    let mut lists: BTreeMap<String, Vec<(i64, i64)>> = BTreeMap::new();
    for a in &live {
        lists
            .entry(sid(a.student_id))
            .or_default()
            .push((a.student_rank, a.order_class_id));
    }
    let students_of_instance: Vec<String> = lists.keys().cloned().collect();
    let order = matching::tie_order(seed, &students_of_instance);
    let mut not_acceptable = Vec::new();
    let mut positions = BTreeMap::new();
    for c in classes {
        let mut ranked: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        let mut scored: BTreeMap<std::cmp::Reverse<i64>, Vec<String>> = BTreeMap::new();
        let mut rest = Vec::new();
        for a in live.iter().filter(|a| a.order_class_id == c.id) {
            let s = &students[&a.student_id];
            if let Err(reason) = acceptable(c, s, a) {
                not_acceptable.push(Exclusion {
                    student: sid(a.student_id),
                    position: cid(c.id),
                    reason,
                });
                continue;
            }
            match (a.enterprise_rank, a.interview_score) {
                (Some(r), _) => ranked.entry(r).or_default().push(sid(a.student_id)),
                (None, Some(score)) => scored
                    .entry(std::cmp::Reverse(score))
                    .or_default()
                    .push(sid(a.student_id)),
                (None, None) => rest.push(sid(a.student_id)),
            }
        }
        let mut tiers: Vec<Vec<String>> = ranked.into_values().collect();
        tiers.extend(scored.into_values());
        if !rest.is_empty() {
            tiers.push(rest);
        }
        positions.insert(
            cid(c.id),
            Position {
                capacity: c.seats,
                ranking: matching::break_ties(&tiers, &order),
            },
        );
    }
    let students_map = lists
        .into_iter()
        .map(|(s, mut l)| {
            l.sort();
            (s, l.into_iter().map(|(_, c)| cid(c)).collect())
        })
        .collect();
    Built {
        instance: Instance {
            students: students_map,
            positions,
        },
        not_acceptable,
    }
}

/// One reason of an explanation, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonText {
    pub reason: Reason,
    pub zh: String,
    pub en: String,
}

/// Who an explanation is written for: the student reads it in the second person (你, you), staff
/// reviewing a run in the third (该生, the student).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    Student,
    Staff,
}

impl Voice {
    /// The voice for a viewer: the second person for a student (who sees only their own
    /// explanation), the third for everyone else.
    pub fn for_viewer(actor: &crate::access::Actor) -> Voice {
        let student = actor
            .roles
            .iter()
            .any(|r| matches!(r, crate::access::Role::Student { .. }));
        if student {
            Voice::Student
        } else {
            Voice::Staff
        }
    }
}

/// Renders one reason with class names (`names`: instance id -> name); `detail` is the precise
/// reason an applicant was not acceptable, when known. Addressed to the student (see
/// [`render_in`]).
pub fn render(
    reason: &Reason,
    names: &BTreeMap<String, String>,
    detail: Option<&Ineligible>,
) -> ReasonText {
    render_in(reason, names, detail, Voice::Student)
}

/// [`render`] in the given voice.
pub fn render_in(
    reason: &Reason,
    names: &BTreeMap<String, String>,
    detail: Option<&Ineligible>,
    voice: Voice,
) -> ReasonText {
    let name = |p: &str| names.get(p).cloned().unwrap_or_else(|| p.to_string());
    let staff = voice == Voice::Staff;
    let (zh, en) = match reason {
        Reason::NotAcceptable { position } => {
            let (dz, de) = match detail {
                Some(d) => (format!("：{}", d.text_zh()), format!(": {}", d.text_en())),
                None => (String::new(), String::new()),
            };
            let p = name(position);
            if staff {
                (
                    format!("该生未录取到「{p}」：该订单班未将该生列入录取排名{dz}"),
                    format!("The student was not placed in {p}: it did not rank the student{de}"),
                )
            } else {
                (
                    format!("未录取到「{p}」：该订单班未将你列入录取排名{dz}"),
                    format!("Not placed in {p}: it did not rank you{de}"),
                )
            }
        }
        Reason::FilledWithHigherRanked {
            position,
            capacity,
            your_rank,
            last_admitted_rank,
        } => {
            let p = name(position);
            if staff {
                (
                    format!(
                        "该生未录取到「{p}」：{capacity} 个名额已由排名更靠前的申请人占满（该生排第 {your_rank} 位，最后录取者排第 {last_admitted_rank} 位）"
                    ),
                    format!(
                        "The student was not placed in {p}: its {capacity} seats were filled with applicants it ranked higher (the student was ranked {your_rank}, the last admitted {last_admitted_rank})"
                    ),
                )
            } else {
                (
                    format!(
                        "未录取到「{p}」：{capacity} 个名额已由排名更靠前的申请人占满（你排第 {your_rank} 位，最后录取者排第 {last_admitted_rank} 位）"
                    ),
                    format!(
                        "Not placed in {p}: its {capacity} seats were filled with applicants it ranked higher (you were ranked {your_rank}, the last admitted {last_admitted_rank})"
                    ),
                )
            }
        }
        Reason::Placed { position, choice } => {
            let p = name(position);
            if staff {
                (
                    format!("该生录取到「{p}」（该生的第 {choice} 志愿）"),
                    format!("The student was placed in {p} (their choice {choice})"),
                )
            } else {
                (
                    format!("录取到「{p}」（你的第 {choice} 志愿）"),
                    format!("Placed in {p} (your choice {choice})"),
                )
            }
        }
        Reason::NoApplications if staff => (
            "该生未填报任何订单班".into(),
            "The student listed no order class".into(),
        ),
        Reason::NoApplications => ("未填报任何订单班".into(), "No order class listed".into()),
    };
    ReasonText {
        reason: reason.clone(),
        zh,
        en,
    }
}

/// Every student's explanation, rendered for the student (see [`explanations_in`]).
pub fn explanations(
    built: &Built,
    m: &Matching,
    names: &BTreeMap<String, String>,
) -> BTreeMap<String, Vec<ReasonText>> {
    explanations_in(built, m, names, Voice::Student)
}

/// Every student's explanation, rendered in `voice` (see [`render_in`]).
pub fn explanations_in(
    built: &Built,
    m: &Matching,
    names: &BTreeMap<String, String>,
    voice: Voice,
) -> BTreeMap<String, Vec<ReasonText>> {
    let details: BTreeMap<(&str, &str), &Ineligible> = built
        .not_acceptable
        .iter()
        .map(|e| ((e.student.as_str(), e.position.as_str()), &e.reason))
        .collect();
    matching::explain(&built.instance, m)
        .into_iter()
        .map(|(s, reasons)| {
            let texts = reasons
                .iter()
                .map(|r| {
                    let d = match r {
                        Reason::NotAcceptable { position } => {
                            details.get(&(s.as_str(), position.as_str())).copied()
                        }
                        _ => None,
                    };
                    render_in(r, names, d, voice)
                })
                .collect();
            (s, texts)
        })
        .collect()
}

/// The place of `position` on `student`'s list (0 = first choice), if listed.
fn place(instance: &Instance, student: &str, position: &str) -> Option<usize> {
    instance
        .students
        .get(student)?
        .iter()
        .position(|p| p == position)
}

/// The result of a refill: the instance without the decliners (which the stability check runs
/// on) and the new matching over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refilled {
    pub built: Built,
    pub matching: Matching,
}

/// Reruns the mechanism without the students in `declined`; `accepted` maps each student who
/// accepted to the class they accepted. Fails if anyone who accepted would be moved down (the
/// engine guarantees it cannot happen; this is checked again here so that a broken guarantee can
/// never be published).
pub fn refill(
    built: &Built,
    declined: &BTreeSet<String>,
    accepted: &BTreeMap<String, String>,
) -> Result<Refilled, InstanceError> {
    let m = matching::refill(&built.instance, declined, accepted)?;
    let mut instance = built.instance.clone();
    instance.students.retain(|s, _| !declined.contains(s));
    for p in instance.positions.values_mut() {
        p.ranking.retain(|s| !declined.contains(s));
    }
    let assignments: BTreeMap<String, Option<String>> = m
        .assignments
        .into_iter()
        .filter(|(s, _)| !declined.contains(s))
        .collect();
    for (s, kept) in accepted {
        let was = place(&instance, s, kept);
        let now = assignments
            .get(s)
            .cloned()
            .flatten()
            .and_then(|p| place(&instance, s, &p));
        let ok = match (was, now) {
            (Some(w), Some(n)) => n <= w,
            (None, _) => true,
            (Some(_), None) => false,
        };
        if !ok {
            return Err(InstanceError {
                entry: format!("students.{s}"),
                reason: format!("the refill would move {s} below the accepted {kept}"),
            });
        }
    }
    let not_acceptable = built
        .not_acceptable
        .iter()
        .filter(|e| !declined.contains(&e.student))
        .cloned()
        .collect();
    Ok(Refilled {
        built: Built {
            instance,
            not_acceptable,
        },
        matching: Matching { assignments },
    })
}

/// What happens to the offers when a (refill) matching is published over the live offers
/// (`current`: student -> class of their live offer, accepted or not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfferChange {
    /// Same class: the live offer stands (its status, accepted or offered, is kept).
    Keep { student: String, position: String },
    /// A new offer; `supersedes` names the class of the live offer it replaces, if any.
    New {
        student: String,
        position: String,
        supersedes: Option<String>,
    },
    /// The student is no longer placed: the live offer is superseded.
    Withdraw { student: String, position: String },
}

/// Compares the live offers with a new matching.
pub fn offer_changes(current: &BTreeMap<String, String>, new: &Matching) -> Vec<OfferChange> {
    let mut out = Vec::new();
    for (s, p) in &new.assignments {
        match (p, current.get(s)) {
            (Some(p), Some(c)) if p == c => out.push(OfferChange::Keep {
                student: s.clone(),
                position: p.clone(),
            }),
            (Some(p), c) => out.push(OfferChange::New {
                student: s.clone(),
                position: p.clone(),
                supersedes: c.cloned(),
            }),
            (None, Some(c)) => out.push(OfferChange::Withdraw {
                student: s.clone(),
                position: c.clone(),
            }),
            (None, None) => {}
        }
    }
    for (s, c) in current {
        if !new.assignments.contains_key(s) {
            out.push(OfferChange::Withdraw {
                student: s.clone(),
                position: c.clone(),
            });
        }
    }
    out
}

/// The seed of a run as stored (decimal text), back to a number.
pub fn parse_seed(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(id: i64, seats: i64, interview: bool) -> ClassFacts {
        ClassFacts {
            id,
            name: format!("订单班{id}"),
            status: "open".into(),
            seats,
            opens_on: "2026-03-01".into(),
            closes_on: "2026-03-31".into(),
            programs: vec![1, 2],
            entry_years: vec![2024],
            min_grade: None,
            interview_required: interview,
        }
    }

    fn student(id: i64) -> StudentFacts {
        StudentFacts {
            id,
            program_id: 1,
            entry_year: 2024,
            enrolled: true,
        }
    }

    fn app(s: i64, c: i64, rank: i64, score: Option<i64>) -> AppFacts {
        AppFacts {
            student_id: s,
            order_class_id: c,
            student_rank: rank,
            grade_average: Some(80),
            interview_score: score,
            enterprise_rank: None,
            withdrawn: false,
        }
    }

    #[test]
    fn entry_years_parse_and_class_rules() {
        assert_eq!(
            parse_entry_years("2024, 2025，2024").unwrap(),
            vec![2024, 2025]
        );
        assert!(parse_entry_years("").is_err());
        assert!(parse_entry_years("24").is_err());
        let rec: Record = serde_json::from_value(serde_json::json!({
            "opens_on": "2026-04-01", "closes_on": "2026-03-01", "entry_years": "x"
        }))
        .unwrap();
        let e = check_order_class(&rec);
        assert_eq!(
            e.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["closes_on", "entry_years"]
        );
    }

    #[test]
    fn eligibility_rules() {
        let mut c = class(1, 2, false);
        let s = student(7);
        assert_eq!(eligibility(&c, &s, None), Ok(()));
        c.min_grade = Some(75);
        assert_eq!(
            eligibility(&c, &s, Some(70)),
            Err(Ineligible::Grade {
                min: 75,
                have: Some(70)
            })
        );
        assert_eq!(eligibility(&c, &s, Some(75)), Ok(()));
        // Unknown grade: allowed to apply, not acceptable at allocation.
        assert_eq!(eligibility(&c, &s, None), Ok(()));
        let mut a = app(7, 1, 1, None);
        a.grade_average = None;
        assert_eq!(
            acceptable(&c, &s, &a),
            Err(Ineligible::Grade {
                min: 75,
                have: None
            })
        );
        let other_program = StudentFacts {
            program_id: 9,
            ..s.clone()
        };
        assert_eq!(
            eligibility(&c, &other_program, Some(90)),
            Err(Ineligible::Program)
        );
        let other_year = StudentFacts {
            entry_year: 2023,
            ..s.clone()
        };
        assert!(matches!(
            eligibility(&c, &other_year, Some(90)),
            Err(Ineligible::Cohort { .. })
        ));
        let gone = StudentFacts {
            enrolled: false,
            ..s
        };
        assert_eq!(
            eligibility(&c, &gone, Some(90)),
            Err(Ineligible::NotEnrolled)
        );
    }

    #[test]
    fn windows() {
        let mut c = class(1, 2, false);
        assert!(window_open(&c, "2026-03-01").is_ok());
        assert!(window_open(&c, "2026-03-31").is_ok());
        assert!(matches!(
            window_open(&c, "2026-04-01"),
            Err(Ineligible::WindowClosed { .. })
        ));
        assert!(window_open(&c, "2026-02-28").is_err());
        c.status = "draft".into();
        assert!(matches!(
            window_open(&c, "2026-03-10"),
            Err(Ineligible::NotOpen { .. })
        ));
    }

    #[test]
    fn choice_lists() {
        let mut classes: BTreeMap<i64, ClassFacts> =
            (1..=7).map(|i| (i, class(i, 2, false))).collect();
        let s = student(7);
        let today = "2026-03-10";
        assert!(check_choices(&[1, 2, 3], &[], &classes, &s, None, today, 5).is_ok());
        let e = check_choices(&[1, 2, 3, 4, 5, 6], &[], &classes, &s, None, today, 5).unwrap_err();
        assert_eq!(e[0].code, "too_many");
        let e = check_choices(&[1, 2, 1, 99], &[], &classes, &s, None, today, 5).unwrap_err();
        assert_eq!(
            e.iter()
                .map(|e| (e.field.as_str(), e.code))
                .collect::<Vec<_>>(),
            [
                ("order_class_ids[2]", "duplicate"),
                ("order_class_ids[3]", "not_found")
            ]
        );
        // Class 2 closes: it stays where it is; moving or dropping it is refused.
        classes.get_mut(&2).unwrap().closes_on = "2026-03-05".into();
        let existing = [(1, 1), (2, 2)];
        assert!(check_choices(&[3, 2, 1], &existing, &classes, &s, None, today, 5).is_ok());
        let e = check_choices(&[2, 1], &existing, &classes, &s, None, today, 5).unwrap_err();
        assert_eq!(e[0].code, "frozen");
        let e = check_choices(&[1], &existing, &classes, &s, None, today, 5).unwrap_err();
        assert_eq!(e[0].code, "frozen");
        // A closed class cannot be added.
        let e = check_choices(&[2], &[], &classes, &s, None, today, 5).unwrap_err();
        assert_eq!(e[0].code, "window_closed");
    }

    #[test]
    fn instance_from_ranks_and_scores() {
        let classes = vec![class(1, 1, true), class(2, 2, false)];
        let students: BTreeMap<i64, StudentFacts> = (10..=13).map(|i| (i, student(i))).collect();
        let mut apps = vec![
            app(10, 1, 1, Some(90)),
            app(10, 2, 2, None),
            app(11, 1, 1, Some(95)),
            app(12, 1, 2, None), // interview required, no score: not acceptable
            app(12, 2, 1, Some(60)),
            app(13, 2, 1, Some(60)),
            app(13, 9, 2, Some(99)), // a class not in the run: ignored
        ];
        apps[1].enterprise_rank = Some(1);
        let b = build_instance(&classes, &students, &apps, 42);
        assert_eq!(b.instance.students["s10"], ["c1", "c2"]);
        assert_eq!(b.instance.students["s12"], ["c2", "c1"]);
        assert_eq!(b.instance.students["s13"], ["c2"]);
        assert_eq!(b.instance.positions["c1"].ranking, ["s11", "s10"]);
        assert_eq!(b.instance.positions["c1"].capacity, 1);
        // Class 2: the explicit rank first, then the tie at 60 broken by the seed's order.
        let c2 = &b.instance.positions["c2"].ranking;
        assert_eq!(c2[0], "s10");
        let order = matching::tie_order(
            42,
            &["s10".into(), "s11".into(), "s12".into(), "s13".into()],
        );
        let pos = |s: &str| order.iter().position(|x| x == s).unwrap();
        let expect_12_first = pos("s12") < pos("s13");
        assert_eq!(c2[1] == "s12", expect_12_first);
        assert_eq!(
            b.not_acceptable,
            [Exclusion {
                student: "s12".into(),
                position: "c1".into(),
                reason: Ineligible::NoInterviewScore
            }]
        );
        // Same seed, same instance; the tie-break is part of the record.
        assert_eq!(build_instance(&classes, &students, &apps, 42), b);
        let m = matching::solve(&b.instance).unwrap();
        assert_eq!(m.assignments["s11"].as_deref(), Some("c1"));
        assert_eq!(m.assignments["s10"].as_deref(), Some("c2"));
        assert!(matching::check_stability(&b.instance, &m).is_ok());
        let names: BTreeMap<String, String> = [
            ("c1".to_string(), "新能源汽车订单班".to_string()),
            ("c2".into(), "数字媒体订单班".into()),
        ]
        .into_iter()
        .collect();
        let ex = explanations(&b, &m, &names);
        assert!(
            ex["s10"][0].zh.contains("新能源汽车订单班"),
            "{:?}",
            ex["s10"]
        );
        assert!(
            ex["s10"][0].en.contains("seats were filled"),
            "{:?}",
            ex["s10"]
        );
        assert!(ex["s10"][1].zh.contains("第 2 志愿"));
        let s12 = &ex["s12"];
        if expect_12_first {
            assert_eq!(m.assignments["s12"].as_deref(), Some("c2"));
            assert_eq!(m.assignments["s13"], None);
            assert!(s12[0].en.starts_with("Placed in 数字媒体订单班"), "{s12:?}");
        } else {
            assert_eq!(m.assignments["s13"].as_deref(), Some("c2"));
            assert_eq!(m.assignments["s12"], None);
            assert!(s12[0].en.contains("seats were filled"), "{s12:?}");
            assert!(
                s12[1]
                    .en
                    .contains("did not rank you: the order class requires an interview"),
                "{s12:?}"
            );
            assert!(s12[1].zh.contains("尚无面试成绩"), "{s12:?}");
        }
    }

    #[test]
    fn refill_keeps_accepted_students_and_fills_declined_seats() {
        let classes = vec![class(1, 1, false), class(2, 1, false)];
        let students: BTreeMap<i64, StudentFacts> = (1..=3).map(|i| (i, student(i))).collect();
        let mut apps = vec![
            app(1, 1, 1, Some(90)),
            app(2, 1, 1, Some(80)),
            app(2, 2, 2, Some(80)),
            app(3, 2, 1, Some(70)),
            app(3, 1, 2, Some(70)),
        ];
        apps.iter_mut().for_each(|a| a.grade_average = None);
        let b = build_instance(&classes, &students, &apps, 1);
        let m = matching::solve(&b.instance).unwrap();
        assert_eq!(m.assignments["s1"].as_deref(), Some("c1"));
        assert_eq!(m.assignments["s2"].as_deref(), Some("c2"));
        assert_eq!(m.assignments["s3"], None);
        // s1 declines; s2 had accepted c2 and moves up to c1, freeing c2 for s3.
        let declined: BTreeSet<String> = ["s1".to_string()].into();
        let accepted: BTreeMap<String, String> = [("s2".to_string(), "c2".to_string())].into();
        let r = refill(&b, &declined, &accepted).unwrap();
        assert!(!r.built.instance.students.contains_key("s1"));
        assert!(!r.matching.assignments.contains_key("s1"));
        assert_eq!(r.matching.assignments["s2"].as_deref(), Some("c1"));
        assert_eq!(r.matching.assignments["s3"].as_deref(), Some("c2"));
        assert!(matching::check_stability(&r.built.instance, &r.matching).is_ok());
        let current: BTreeMap<String, String> = [("s2".to_string(), "c2".to_string())].into();
        let changes = offer_changes(&current, &r.matching);
        assert_eq!(
            changes,
            [
                OfferChange::New {
                    student: "s2".into(),
                    position: "c1".into(),
                    supersedes: Some("c2".into())
                },
                OfferChange::New {
                    student: "s3".into(),
                    position: "c2".into(),
                    supersedes: None
                }
            ]
        );
    }

    #[test]
    fn ids_round_trip() {
        assert_eq!(record_id(&sid(12)), Some(12));
        assert_eq!(record_id(&cid(3)), Some(3));
        assert_eq!(record_id("x"), None);
        assert_eq!(parse_seed("18446744073709551615"), Some(u64::MAX));
    }

    #[test]
    fn explanations_address_the_student_and_describe_them_to_staff() {
        let names: BTreeMap<String, String> = [("c1".to_string(), "新能源汽车订单班".to_string())]
            .into_iter()
            .collect();
        let cases = [
            Reason::NotAcceptable {
                position: "c1".into(),
            },
            Reason::FilledWithHigherRanked {
                position: "c1".into(),
                capacity: 30,
                your_rank: 41,
                last_admitted_rank: 35,
            },
            Reason::Placed {
                position: "c1".into(),
                choice: 2,
            },
            Reason::NoApplications,
        ];
        let detail = Ineligible::NoInterviewScore;
        for r in &cases {
            let d = matches!(r, Reason::NotAcceptable { .. }).then_some(&detail);
            let you = render_in(r, &names, d, Voice::Student);
            let staff = render_in(r, &names, d, Voice::Staff);
            assert_eq!(render(r, &names, d), you, "render is the student's voice");
            // The student's own page: second person wherever a person is named.
            assert!(
                !you.zh.contains("该生") && !you.en.contains("The student"),
                "{you:?}"
            );
            // Staff: third person, never 你 or you.
            assert!(staff.zh.starts_with("该生"), "{staff:?}");
            assert!(staff.en.starts_with("The student"), "{staff:?}");
            assert!(!staff.zh.contains('你'), "{staff:?}");
            let words: Vec<&str> = staff.en.split(|c: char| !c.is_ascii_alphabetic()).collect();
            assert!(
                !words.contains(&"you") && !words.contains(&"your"),
                "{staff:?}"
            );
            assert_eq!(you.reason, staff.reason);
        }
        let filled = render_in(&cases[1], &names, None, Voice::Staff);
        assert_eq!(
            filled.zh,
            "该生未录取到「新能源汽车订单班」：30 个名额已由排名更靠前的申请人占满（该生排第 41 位，最后录取者排第 35 位）"
        );
        let you = render_in(&cases[2], &names, None, Voice::Student);
        assert_eq!(you.zh, "录取到「新能源汽车订单班」（你的第 2 志愿）");
        assert_eq!(you.en, "Placed in 新能源汽车订单班 (your choice 2)");
        let rejected = render_in(&cases[0], &names, Some(&detail), Voice::Staff);
        assert_eq!(
            rejected.en,
            format!(
                "The student was not placed in 新能源汽车订单班: it did not rank the student: {}",
                detail.text_en()
            )
        );
        assert!(rejected.zh.ends_with(&detail.text_zh()), "{rejected:?}");
        // The viewer decides: a student's account, anyone else.
        let student = crate::access::Actor {
            user_id: Some(1),
            username: "s".into(),
            roles: vec![crate::access::Role::Student { student_id: 7 }],
        };
        assert_eq!(Voice::for_viewer(&student), Voice::Student);
        assert_eq!(
            Voice::for_viewer(&crate::access::Actor::system()),
            Voice::Staff
        );
    }
}
