//! The yearly totals of international exchange (国际影响表): persons, person-days and countries
//! per calendar year, over exchanges, internships and jobs abroad, foreign experts, international
//! students and training delivered abroad. Pure functions of the stays; the store gathers them.
//!
//! **Counting rules.**
//! - Days are counted inclusively: a stay from 2025-03-01 to 2025-03-10 is 10 days; a stay that
//!   starts and ends on the same day is one day.
//! - A stay that crosses a year boundary gives each year the days that fall in it (31 December
//!   goes to the old year, 1 January to the new).
//! - A stay without an end date (a job abroad, a student still enrolled) runs to `as_of`
//!   (today); one that has not started by `as_of` counts nothing yet.
//! - A person (a student, staff member, expert or international student, named by a key) is
//!   counted once per year however many records they have, and their days once: overlapping
//!   stays of the same person are merged before counting.
//! - Training delivered abroad records groups (so many trainees, so many person-days), not
//!   people: its trainees are added to the persons of each year it touches, and its recorded
//!   person-days are split between years in proportion to the calendar days in each, by
//!   cumulative rounding down (the shares always add up to the recorded total: year k gets
//!   `floor(P × D≤k / D) − floor(P × D<k / D)`).
//! - A year's countries are the distinct countries of the stays with at least one day in it.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use time::{Date, Month};

/// Which record a stay comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Exchange,
    Placement,
    Expert,
    InternationalStudent,
    TrainingAbroad,
}

pub const CATEGORIES: &[Category] = &[
    Category::Exchange,
    Category::Placement,
    Category::Expert,
    Category::InternationalStudent,
    Category::TrainingAbroad,
];

impl Category {
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Category::Exchange, true) => "交流项目",
            (Category::Exchange, false) => "Exchanges",
            (Category::Placement, true) => "境外实习就业",
            (Category::Placement, false) => "Internships and jobs abroad",
            (Category::Expert, true) => "外籍专家",
            (Category::Expert, false) => "Foreign experts",
            (Category::InternationalStudent, true) => "留学生",
            (Category::InternationalStudent, false) => "International students",
            (Category::TrainingAbroad, true) => "境外培训",
            (Category::TrainingAbroad, false) => "Training abroad",
        }
    }
}

/// Who a stay is of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// One person, by a key that is the same on all their records (`student:12`, `staff:3`).
    Person(String),
    /// A group of trainees with its recorded person-days.
    Group { trainees: i64, person_days: i64 },
}

/// One stay abroad or at the college.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stay {
    pub category: Category,
    pub who: Who,
    /// ISO alpha-2; `None` when unknown.
    pub country: Option<String>,
    pub start: Date,
    /// `None`: still going on (counted to `as_of`).
    pub end: Option<Date>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Count {
    pub persons: i64,
    pub person_days: i64,
}

/// The totals of one calendar year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearTotals {
    pub year: i32,
    pub persons: i64,
    pub person_days: i64,
    /// Distinct countries, sorted.
    pub countries: Vec<String>,
    pub by_category: BTreeMap<Category, Count>,
}

fn first_day(year: i32) -> Option<Date> {
    Date::from_calendar_date(year, Month::January, 1).ok()
}

fn last_day(year: i32) -> Option<Date> {
    Date::from_calendar_date(year, Month::December, 31).ok()
}

/// Days from `a` to `b` inclusive (0 when `b` is before `a`).
pub fn inclusive_days(a: Date, b: Date) -> i64 {
    (b.to_julian_day() - a.to_julian_day() + 1).max(0) as i64
}

/// The stay's interval as counted: its end, or `as_of` when open; `None` when it has no day.
fn interval(s: &Stay, as_of: Date) -> Option<(Date, Date)> {
    let end = s.end.unwrap_or(as_of);
    (end >= s.start).then_some((s.start, end))
}

/// The part of `[a, b]` inside `year`.
fn clip(a: Date, b: Date, year: i32) -> Option<(Date, Date)> {
    let (y0, y1) = (first_day(year)?, last_day(year)?);
    let (a, b) = (a.max(y0), b.min(y1));
    (b >= a).then_some((a, b))
}

/// Days covered by a set of intervals, overlaps counted once.
fn union_days(mut v: Vec<(Date, Date)>) -> i64 {
    v.sort();
    let mut total = 0;
    let mut cur: Option<(Date, Date)> = None;
    for (a, b) in v {
        cur = match cur {
            Some((ca, cb)) if a.to_julian_day() <= cb.to_julian_day() + 1 => Some((ca, cb.max(b))),
            Some((ca, cb)) => {
                total += inclusive_days(ca, cb);
                Some((a, b))
            }
            None => Some((a, b)),
        };
    }
    total + cur.map_or(0, |(a, b)| inclusive_days(a, b))
}

/// The share of a group's `person_days` over `[a, b]` that falls in `year` (see the module
/// documentation: cumulative rounding down, so the shares add up to the total).
pub fn group_share(person_days: i64, a: Date, b: Date, year: i32) -> i64 {
    let total = inclusive_days(a, b);
    if total == 0 {
        return 0;
    }
    let through = |y: i32| match last_day(y) {
        Some(l) if l < a => 0,
        Some(l) => inclusive_days(a, l.min(b)),
        None => 0,
    };
    let (before, upto) = (through(year - 1), through(year));
    let cum = |d: i64| (person_days as i128 * d as i128 / total as i128) as i64;
    cum(upto) - cum(before)
}

fn count_of<'a>(stays: impl Iterator<Item = &'a Stay>, year: i32, as_of: Date) -> Count {
    let mut people: BTreeMap<&str, Vec<(Date, Date)>> = BTreeMap::new();
    let mut c = Count::default();
    for s in stays {
        let Some((a, b)) = interval(s, as_of) else {
            continue;
        };
        let Some(part) = clip(a, b, year) else {
            continue;
        };
        match &s.who {
            Who::Person(k) => people.entry(k.as_str()).or_default().push(part),
            Who::Group {
                trainees,
                person_days,
            } => {
                c.persons += trainees;
                c.person_days += group_share(*person_days, a, b, year);
            }
        }
    }
    c.persons += people.len() as i64;
    c.person_days += people.into_values().map(union_days).sum::<i64>();
    c
}

/// The totals of `year` over `stays`, with open stays running to `as_of`.
pub fn year_totals(stays: &[Stay], year: i32, as_of: Date) -> YearTotals {
    let all = count_of(stays.iter(), year, as_of);
    let by_category = CATEGORIES
        .iter()
        .map(|c| {
            (
                *c,
                count_of(stays.iter().filter(|s| s.category == *c), year, as_of),
            )
        })
        .collect();
    let countries: BTreeSet<String> = stays
        .iter()
        .filter(|s| interval(s, as_of).is_some_and(|(a, b)| clip(a, b, year).is_some()))
        .filter_map(|s| s.country.clone())
        .collect();
    YearTotals {
        year,
        persons: all.persons,
        person_days: all.person_days,
        countries: countries.into_iter().collect(),
        by_category,
    }
}

/// The years any stay touches, in order (for the page's year choice).
pub fn years(stays: &[Stay], as_of: Date) -> Vec<i32> {
    let mut out = BTreeSet::new();
    for s in stays {
        if let Some((a, b)) = interval(s, as_of) {
            out.extend(a.year()..=b.year());
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        crate::dates::parse_date(s).unwrap()
    }

    fn person(c: Category, k: &str, country: &str, a: &str, b: Option<&str>) -> Stay {
        Stay {
            category: c,
            who: Who::Person(k.into()),
            country: Some(country.into()),
            start: d(a),
            end: b.map(d),
        }
    }

    /// The fixture, counted by hand below.
    fn fixture() -> Vec<Stay> {
        use Category::*;
        vec![
            // Student 1: an exchange in Sri Lanka over New Year (2024-12-20..2025-01-10) and an
            // internship in Saudi Arabia in March 2025 overlapping nothing.
            person(
                Exchange,
                "student:1",
                "LK",
                "2024-12-20",
                Some("2025-01-10"),
            ),
            person(
                Placement,
                "student:1",
                "SA",
                "2025-03-01",
                Some("2025-03-31"),
            ),
            // Staff 7: two overlapping exchange records in Thailand (days counted once).
            person(Exchange, "staff:7", "TH", "2025-05-01", Some("2025-05-10")),
            person(Exchange, "staff:7", "TH", "2025-05-08", Some("2025-05-12")),
            // An expert from Germany for the whole of 2025 (a non-leap year).
            person(Expert, "expert:1", "DE", "2025-01-01", Some("2025-12-31")),
            // An international student from Pakistan still enrolled (open end).
            person(InternationalStudent, "intl:1", "PK", "2025-09-01", None),
            // Dealer technicians in Saudi Arabia: 20 trainees, 10 days from 2025-12-27 to
            // 2026-01-05, recorded as 200 person-days.
            Stay {
                category: TrainingAbroad,
                who: Who::Group {
                    trainees: 20,
                    person_days: 200,
                },
                country: Some("SA".into()),
                start: d("2025-12-27"),
                end: Some(d("2026-01-05")),
            },
        ]
    }

    #[test]
    fn inclusive_days_count_both_ends() {
        assert_eq!(inclusive_days(d("2025-03-01"), d("2025-03-10")), 10);
        assert_eq!(inclusive_days(d("2025-03-01"), d("2025-03-01")), 1);
        assert_eq!(inclusive_days(d("2025-03-02"), d("2025-03-01")), 0);
        assert_eq!(inclusive_days(d("2024-01-01"), d("2024-12-31")), 366);
    }

    #[test]
    fn year_2024_by_hand() {
        let t = year_totals(&fixture(), 2024, d("2026-06-30"));
        // Only student 1's exchange: 2024-12-20..31 = 12 days, in LK.
        assert_eq!(t.persons, 1);
        assert_eq!(t.person_days, 12);
        assert_eq!(t.countries, vec!["LK"]);
    }

    #[test]
    fn year_2025_by_hand() {
        let as_of = d("2026-06-30");
        let t = year_totals(&fixture(), 2025, as_of);
        // Persons: student 1, staff 7, expert 1, intl 1 = 4, plus 20 trainees = 24.
        assert_eq!(t.persons, 24);
        // Student 1: 10 (Jan 1..10) + 31 (March) = 41. Staff 7: May 1..12 = 12 (not 10 + 5).
        // Expert: 365. Intl student: Sep 1..Dec 31 = 30 + 31 + 30 + 31 = 122.
        // Training: 5 of its 10 days in 2025 (Dec 27..31): floor(200 × 5 / 10) = 100.
        assert_eq!(t.person_days, 41 + 12 + 365 + 122 + 100);
        assert_eq!(t.countries, vec!["DE", "LK", "PK", "SA", "TH"]);
        let ex = &t.by_category[&Category::Exchange];
        // Student 1 (10 days in 2025) and staff 7 (12 days).
        assert_eq!((ex.persons, ex.person_days), (2, 22));
        let pl = &t.by_category[&Category::Placement];
        assert_eq!((pl.persons, pl.person_days), (1, 31));
        let tr = &t.by_category[&Category::TrainingAbroad];
        assert_eq!((tr.persons, tr.person_days), (20, 100));
        // Student 1 is in two categories and counted once in the total.
        let sum: i64 = t.by_category.values().map(|c| c.persons).sum();
        assert_eq!(sum, t.persons + 1);
    }

    #[test]
    fn year_2026_by_hand() {
        let t = year_totals(&fixture(), 2026, d("2026-06-30"));
        // Intl student: 2026-01-01..06-30 (as of) = 31 + 28 + 31 + 30 + 31 + 30 = 181.
        // Training: the remaining 100 person-days (Jan 1..5), 20 persons.
        assert_eq!(t.persons, 21);
        assert_eq!(t.person_days, 181 + 100);
        assert_eq!(t.countries, vec!["PK", "SA"]);
        assert_eq!(years(&fixture(), d("2026-06-30")), vec![2024, 2025, 2026]);
    }

    #[test]
    fn a_groups_shares_add_up_to_its_recorded_total() {
        // 7 person-days over 3 days, 2 in 2025 and 1 in 2026: floor(7 × 2 / 3) = 4, then 3.
        let (a, b) = (d("2025-12-30"), d("2026-01-01"));
        assert_eq!(group_share(7, a, b, 2025), 4);
        assert_eq!(group_share(7, a, b, 2026), 3);
        assert_eq!(group_share(7, a, b, 2024), 0);
        // Over three years.
        let (a, b) = (d("2024-12-31"), d("2026-01-01"));
        let sum: i64 = (2024..=2026).map(|y| group_share(1000, a, b, y)).sum();
        assert_eq!(sum, 1000);
    }

    #[test]
    fn an_open_stay_not_yet_begun_counts_nothing() {
        let s = vec![person(
            Category::Placement,
            "student:2",
            "SG",
            "2027-01-01",
            None,
        )];
        let t = year_totals(&s, 2027, d("2026-12-31"));
        assert_eq!((t.persons, t.person_days), (0, 0));
        assert!(t.countries.is_empty());
    }
}
