//! Bookings of training bases: the rules, with no I/O.
//!
//! - **Intervals** are half-open, `[start, end)`, in seconds since the Unix epoch (UTC): a booking
//!   ending at 10:00 and one starting at 10:00 do not overlap. The end must be after the start, and
//!   a booking lasts at most [`MAX_BOOKING_SECS`] (24 hours): longer use is booked day by day, so
//!   that a forgotten end date cannot block a base for a term.
//! - **Conflicts** ([`find_conflict`]), among *active* bookings of one base:
//!   - a booking of a piece of equipment conflicts with another booking of the same equipment or
//!     with a booking of the whole base;
//!   - a booking of the whole base conflicts with every booking at the base;
//!   - a booking of workstations conflicts with a whole-base booking, and with the workstation
//!     bookings when, at some instant of its interval, the workstations booked together with it
//!     would exceed the base's workstations. The peak is computed by a sweep over the interval,
//!     not by adding pairwise overlaps (two bookings that each overlap the new one but not each
//!     other never count together).
//!
//!   The refusal names the conflicting booking: its id, who booked it and when.
//! - **Utilisation** ([`utilisation`]) of a base over a term, against its opening hours
//!   ([`OpeningHours`], by default 08:00–22:00 China time, Monday to Friday).
//! - **iCalendar** ([`ical`]): an RFC 5545 feed of bookings.
//!
//! China time is UTC+8 all year (no daylight saving), so local times are fixed offsets.

use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, Weekday};

/// The longest booking: one day.
pub const MAX_BOOKING_SECS: i64 = 24 * 3600;

/// China Standard Time, used to show times and for opening hours.
pub const CHINA: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => panic!("offset"),
};

/// What a booking holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The whole base.
    Base,
    /// A number of workstations.
    Workstations(i64),
    /// One piece of equipment (its id).
    Equipment(i64),
}

/// A booking as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// 0 for a booking not yet stored.
    pub id: i64,
    pub target: Target,
    pub start: i64,
    pub end: i64,
    /// Who booked it, as shown in a refusal: a class, a course, a teacher.
    pub who: String,
}

/// Why a booking was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The bookings it conflicts with (at the peak, for workstations), lowest id first.
    pub with: Vec<Slot>,
    /// For workstations: how many were already booked at the peak, and how many the base has.
    pub workstations: Option<(i64, i64)>,
}

impl Conflict {
    /// The message of the refusal in Chinese, naming the conflicting bookings.
    pub fn message_zh(&self) -> String {
        let named = self.named(true);
        match self.workstations {
            Some((booked, total)) => {
                format!("工位不足：高峰时已被预约 {booked} 个（共 {total} 个），冲突预约：{named}")
            }
            None => format!("与已有预约冲突：{named}"),
        }
    }

    /// The message of the refusal in English, naming the conflicting bookings.
    pub fn message_en(&self) -> String {
        let named = self.named(false);
        match self.workstations {
            Some((booked, total)) => format!(
                "not enough workstations: {booked} of {total} already booked at the peak, by booking {named}"
            ),
            None => format!("conflicts with booking {named}"),
        }
    }

    fn named(&self, zh: bool) -> String {
        let (open, close, sep) = if zh {
            ("（", "）", "；")
        } else {
            (" (", ")", "; ")
        };
        self.with
            .iter()
            .map(|s| {
                // By who and when, as people name a booking; never by its id.
                format!("{}{open}{}{close}", s.who, span_text(s.start, s.end))
            })
            .collect::<Vec<_>>()
            .join(sep)
    }
}

/// `2026-03-02 08:00–10:00` in China time (the end with its date when it is another day).
pub fn span_text(start: i64, end: i64) -> String {
    let (a, b) = (local(start), local(end));
    let fmt = |t: OffsetDateTime| format!("{:02}:{:02}", t.hour(), t.minute());
    if a.date() == b.date() {
        format!("{} {}–{}", a.date(), fmt(a), fmt(b))
    } else {
        format!("{} {}–{} {}", a.date(), fmt(a), b.date(), fmt(b))
    }
}

fn local(t: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(t)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(CHINA)
}

/// Checks a booking's interval: end after start, at most [`MAX_BOOKING_SECS`].
pub fn check_interval(start: i64, end: i64) -> Result<(), &'static str> {
    if end <= start {
        return Err("must be after the start");
    }
    if end - start > MAX_BOOKING_SECS {
        return Err("a booking lasts at most 24 hours; book longer use day by day");
    }
    Ok(())
}

fn overlaps(a: &Slot, b: &Slot) -> bool {
    a.start < b.end && b.start < a.end
}

/// The first conflict of `new` with the `existing` active bookings of the same base (the new
/// booking itself, by id, is ignored: an update is checked against the others). `capacity` is the
/// base's number of workstations. `None` when the booking may be made.
pub fn find_conflict(new: &Slot, existing: &[Slot], capacity: i64) -> Option<Conflict> {
    let mut others: Vec<&Slot> = existing
        .iter()
        .filter(|s| (new.id == 0 || s.id != new.id) && overlaps(new, s))
        .collect();
    others.sort_by_key(|s| (s.start, s.id));
    let direct: Vec<Slot> = others
        .iter()
        .filter(|s| match (new.target, s.target) {
            (Target::Base, _) | (_, Target::Base) => true,
            (Target::Equipment(a), Target::Equipment(b)) => a == b,
            _ => false,
        })
        .map(|s| (*s).clone())
        .collect();
    if !direct.is_empty() {
        return Some(Conflict {
            with: direct,
            workstations: None,
        });
    }
    let Target::Workstations(n) = new.target else {
        return None;
    };
    if n > capacity {
        return Some(Conflict {
            with: Vec::new(),
            workstations: Some((0, capacity)),
        });
    }
    let ws: Vec<(&Slot, i64)> = others
        .iter()
        .filter_map(|s| match s.target {
            Target::Workstations(k) => Some((*s, k)),
            _ => None,
        })
        .collect();
    let (peak, at) = peak(&ws, new.start, new.end);
    if peak + n > capacity {
        let mut with: Vec<Slot> = ws
            .iter()
            .filter(|(s, _)| s.start <= at && at < s.end)
            .map(|(s, _)| (*s).clone())
            .collect();
        with.sort_by_key(|s| s.id);
        return Some(Conflict {
            with,
            workstations: Some((peak, capacity)),
        });
    }
    None
}

/// The most workstations booked at one instant of `[from, to)`, and the first instant at which
/// that peak is reached. Half-open: a booking ending at `t` no longer counts at `t`.
pub fn peak(bookings: &[(&Slot, i64)], from: i64, to: i64) -> (i64, i64) {
    let mut events: Vec<(i64, i64)> = Vec::with_capacity(bookings.len() * 2);
    for (s, n) in bookings {
        let (a, b) = (s.start.max(from), s.end.min(to));
        if a < b {
            events.push((a, *n));
            events.push((b, -*n));
        }
    }
    // At the same instant, ends (negative) before starts.
    events.sort_by_key(|&(t, d)| (t, d));
    let (mut cur, mut best, mut at) = (0i64, 0i64, from);
    for (t, d) in events {
        cur += d;
        if cur > best {
            best = cur;
            at = t;
        }
    }
    (best, at)
}

/// The workstations free throughout `[from, to)`: the base's `capacity` less the peak of the
/// workstation bookings among `active` (its active bookings) over the interval; none while a
/// whole-base booking overlaps it. Equipment bookings take no workstation.
pub fn free_workstations(active: &[Slot], capacity: i64, from: i64, to: i64) -> i64 {
    let probe = Slot {
        id: 0,
        target: Target::Base,
        start: from,
        end: to,
        who: String::new(),
    };
    if active
        .iter()
        .any(|s| s.target == Target::Base && overlaps(&probe, s))
    {
        return 0;
    }
    let ws: Vec<(&Slot, i64)> = active
        .iter()
        .filter_map(|s| match s.target {
            Target::Workstations(k) => Some((s, k)),
            _ => None,
        })
        .collect();
    (capacity - peak(&ws, from, to).0).max(0)
}

/// When a base is open: daily from `from` to `to` (China time), on weekdays only or every day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpeningHours {
    /// Minutes after midnight.
    pub from_min: u32,
    pub to_min: u32,
    pub weekends: bool,
}

impl Default for OpeningHours {
    /// 08:00–22:00, Monday to Friday: a college's teaching day including evening classes.
    fn default() -> Self {
        OpeningHours {
            from_min: 8 * 60,
            to_min: 22 * 60,
            weekends: false,
        }
    }
}

impl OpeningHours {
    /// Parses `HH:MM` times; `to` must be after `from`.
    pub fn parse(from: &str, to: &str, weekends: bool) -> Result<OpeningHours, &'static str> {
        let hm = |s: &str| -> Option<u32> {
            let (h, m) = s.trim().split_once(':')?;
            let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
            (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
        };
        let (a, b) = (
            hm(from).ok_or("must be a time like 08:00")?,
            hm(to).ok_or("must be a time like 22:00")?,
        );
        if b <= a {
            return Err("closing time must be after opening time");
        }
        Ok(OpeningHours {
            from_min: a,
            to_min: b,
            weekends,
        })
    }

    /// The opening windows (UTC seconds) of the days `first..=last` (local dates).
    pub fn windows(&self, first: Date, last: Date) -> Vec<(i64, i64)> {
        let mut out = Vec::new();
        let mut d = first;
        while d <= last {
            let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
            if self.weekends || !weekend {
                let midnight = PrimitiveDateTime::new(d, Time::MIDNIGHT)
                    .assume_offset(CHINA)
                    .unix_timestamp();
                out.push((
                    midnight + i64::from(self.from_min) * 60,
                    midnight + i64::from(self.to_min) * 60,
                ));
            }
            match d.next_day() {
                Some(n) => d = n,
                None => break,
            }
        }
        out
    }
}

/// How much a base was used over a term.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Utilisation {
    /// Opening hours in the term.
    pub available_hours: f64,
    /// Hours during which at least one active booking held the base (or part of it), within
    /// opening hours.
    pub occupied_hours: f64,
    /// Workstation-hours booked within opening hours: a whole-base booking counts every
    /// workstation, an equipment booking none.
    pub workstation_hours: f64,
    /// `workstations × available_hours`.
    pub workstation_hours_available: f64,
    /// `occupied_hours / available_hours`, 0 when the base is never open.
    pub occupancy: f64,
    /// `workstation_hours / workstation_hours_available`, 0 for a base without workstations.
    pub workstation_rate: f64,
    pub bookings: usize,
}

fn clipped(a: i64, b: i64, windows: &[(i64, i64)]) -> i64 {
    windows
        .iter()
        .map(|&(w0, w1)| (b.min(w1) - a.max(w0)).max(0))
        .sum()
}

/// Utilisation of a base with `workstations` over the term `first..=last` (local dates), from its
/// active bookings. Only time within opening hours counts, on both sides of the ratio.
pub fn utilisation(
    bookings: &[Slot],
    workstations: i64,
    first: Date,
    last: Date,
    hours: &OpeningHours,
) -> Utilisation {
    let windows = hours.windows(first, last);
    let available: i64 = windows.iter().map(|(a, b)| b - a).sum();
    let (lo, hi) = (local_midnight(first), local_midnight(add_days(last, 1)));
    let mut ws_secs: i64 = 0;
    let mut intervals: Vec<(i64, i64)> = Vec::new();
    let mut count = 0;
    for s in bookings.iter().filter(|s| s.start < hi && lo < s.end) {
        count += 1;
        let secs = clipped(s.start, s.end, &windows);
        ws_secs += secs
            * match s.target {
                Target::Base => workstations,
                Target::Workstations(n) => n,
                Target::Equipment(_) => 0,
            };
        intervals.push((s.start, s.end));
    }
    // The union of the booked intervals, then clipped to the opening windows.
    intervals.sort_unstable();
    let mut occupied: i64 = 0;
    let mut cur: Option<(i64, i64)> = None;
    for (a, b) in intervals {
        match cur {
            Some((c0, c1)) if a <= c1 => cur = Some((c0, c1.max(b))),
            Some((c0, c1)) => {
                occupied += clipped(c0, c1, &windows);
                cur = Some((a, b));
            }
            None => cur = Some((a, b)),
        }
    }
    if let Some((c0, c1)) = cur {
        occupied += clipped(c0, c1, &windows);
    }
    let h = |s: i64| s as f64 / 3600.0;
    let ratio = |a: i64, b: i64| if b > 0 { a as f64 / b as f64 } else { 0.0 };
    Utilisation {
        available_hours: h(available),
        occupied_hours: h(occupied),
        workstation_hours: h(ws_secs),
        workstation_hours_available: h(available * workstations.max(0)),
        occupancy: ratio(occupied, available),
        workstation_rate: ratio(ws_secs, available * workstations.max(0)),
        bookings: count,
    }
}

/// Parses an instant as stored (`2026-03-02T00:00:00.000Z`) or as typed: RFC 3339 with an offset,
/// or `YYYY-MM-DDTHH:MM[:SS]` / `YYYY-MM-DD HH:MM[:SS]` without one, read as China time.
/// Returns seconds since the epoch (sub-seconds are dropped: bookings are to the minute or second).
pub fn parse_instant(raw: &str) -> Result<i64, &'static str> {
    let t = raw.trim().replace(' ', "T");
    const BAD: &str = "must be a date and time like 2026-03-02T08:00 (China time) or RFC 3339";
    if let Ok(v) = OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339) {
        return Ok(v.unix_timestamp());
    }
    let (d, rest) = t.split_once('T').ok_or(BAD)?;
    let date = crate::dates::parse_date(d).map_err(|_| BAD)?;
    let parts: Vec<&str> = rest.split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.len() != 2) {
        return Err(BAD);
    }
    let n: Vec<u8> = parts
        .iter()
        .map(|p| p.parse::<u8>())
        .collect::<Result<_, _>>()
        .map_err(|_| BAD)?;
    let time = Time::from_hms(n[0], n[1], n.get(2).copied().unwrap_or(0)).map_err(|_| BAD)?;
    Ok(PrimitiveDateTime::new(date, time)
        .assume_offset(CHINA)
        .unix_timestamp())
}

/// An instant as stored (UTC, milliseconds).
pub fn format_instant(secs: i64) -> String {
    crate::dates::format_instant(
        OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH),
    )
}

/// The local date (China time) of an instant.
pub fn local_date(secs: i64) -> Date {
    local(secs).date()
}

/// The instant of local midnight at the start of `d`.
pub fn local_midnight(d: Date) -> i64 {
    PrimitiveDateTime::new(d, Time::MIDNIGHT)
        .assume_offset(CHINA)
        .unix_timestamp()
}

/// Adds whole days to a date.
pub fn add_days(d: Date, days: i64) -> Date {
    d + Duration::days(days)
}

/// One event of an iCalendar feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    /// Globally unique: `booking-12@skillbridge`.
    pub uid: String,
    pub start: i64,
    pub end: i64,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub cancelled: bool,
}

/// Escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines.
pub fn ics_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line (RFC 5545 3.1): lines longer than 75 octets are split, never inside a
/// UTF-8 character, and each continuation starts with a space; every line ends with CRLF.
pub fn ics_fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0usize;
    let mut limit = 75usize;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > limit {
            out.push_str("\r\n ");
            used = 1;
            limit = 75;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

fn ics_time(secs: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// An iCalendar (RFC 5545) document: one VCALENDAR named `name`, a VEVENT per event, times in
/// UTC, `stamp` as every event's DTSTAMP.
pub fn ical(name: &str, events: &[IcsEvent], stamp: i64) -> String {
    let mut out = String::new();
    let mut line = |s: String| out.push_str(&ics_fold(&s));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//SkillBridge//Training base bookings//ZH".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", ics_escape(name)));
    for e in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", ics_escape(&e.uid)));
        line(format!("DTSTAMP:{}", ics_time(stamp)));
        line(format!("DTSTART:{}", ics_time(e.start)));
        line(format!("DTEND:{}", ics_time(e.end)));
        line(format!("SUMMARY:{}", ics_escape(&e.summary)));
        if !e.location.is_empty() {
            line(format!("LOCATION:{}", ics_escape(&e.location)));
        }
        if !e.description.is_empty() {
            line(format!("DESCRIPTION:{}", ics_escape(&e.description)));
        }
        line(format!(
            "STATUS:{}",
            if e.cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
        ));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const H: i64 = 3600;
    /// 2026-03-02 (a Monday) 00:00 China time.
    fn day0() -> i64 {
        local_midnight(date!(2026 - 03 - 02))
    }
    fn slot(id: i64, target: Target, from_h: i64, to_h: i64) -> Slot {
        Slot {
            id,
            target,
            start: day0() + from_h * H,
            end: day0() + to_h * H,
            who: format!("班级{id}"),
        }
    }

    #[test]
    fn free_workstations_is_capacity_less_the_peak() {
        let at = |h: i64| day0() + h * H;
        let active = vec![
            slot(1, Target::Workstations(10), 8, 10),
            slot(2, Target::Workstations(15), 9, 11),
            slot(3, Target::Workstations(5), 12, 14),
            slot(4, Target::Equipment(7), 8, 18),
        ];
        // 08–10: 10, then 25 from 09:00: the peak counts.
        assert_eq!(free_workstations(&active, 40, at(8), at(10)), 15);
        assert_eq!(free_workstations(&active, 40, at(10), at(11)), 25);
        // Half-open: 11:00–12:00 touches both neighbours and overlaps neither.
        assert_eq!(free_workstations(&active, 40, at(11), at(12)), 40);
        assert_eq!(free_workstations(&active, 40, at(7), at(15)), 15);
        // Never below zero (a base whose capacity was lowered later).
        assert_eq!(free_workstations(&active, 20, at(9), at(10)), 0);
        // A whole-base booking leaves nothing free while it lasts.
        let mut with_base = active.clone();
        with_base.push(slot(5, Target::Base, 16, 18));
        assert_eq!(free_workstations(&with_base, 40, at(17), at(19)), 0);
        assert_eq!(free_workstations(&with_base, 40, at(18), at(19)), 40);
        // Agrees with the conflict check: n is bookable exactly when n <= free.
        for (from, to) in [(7, 9), (8, 12), (9, 10), (12, 13), (6, 20)] {
            let free = free_workstations(&active, 40, at(from), at(to));
            for n in [free, free + 1] {
                if n < 1 {
                    continue;
                }
                let new = slot(0, Target::Workstations(n), from, to);
                assert_eq!(
                    find_conflict(&new, &active, 40).is_none(),
                    n <= free,
                    "{from}-{to} n={n} free={free}"
                );
            }
        }
    }

    #[test]
    fn intervals_are_half_open_and_bounded() {
        assert!(check_interval(10, 10).is_err());
        assert!(check_interval(10, 5).is_err());
        assert!(check_interval(0, MAX_BOOKING_SECS).is_ok());
        assert!(check_interval(0, MAX_BOOKING_SECS + 1).is_err());
        let a = slot(1, Target::Equipment(7), 8, 10);
        let b = slot(0, Target::Equipment(7), 10, 12);
        assert_eq!(
            find_conflict(&b, std::slice::from_ref(&a), 40),
            None,
            "touching is fine"
        );
        let c = slot(0, Target::Equipment(7), 9, 11);
        let got = find_conflict(&c, std::slice::from_ref(&a), 40).unwrap();
        assert_eq!(got.with, vec![a]);
    }

    #[test]
    fn equipment_and_whole_base_rules() {
        let eq7 = slot(1, Target::Equipment(7), 8, 10);
        let ws = slot(2, Target::Workstations(10), 8, 10);
        // Other equipment and workstation bookings do not block a piece of equipment.
        assert_eq!(
            find_conflict(
                &slot(0, Target::Equipment(8), 8, 10),
                &[eq7.clone(), ws.clone()],
                40
            ),
            None
        );
        // The same equipment does.
        assert!(find_conflict(
            &slot(0, Target::Equipment(7), 9, 9 + 1),
            std::slice::from_ref(&eq7),
            40
        )
        .is_some());
        // A whole-base booking conflicts with everything at the base, both ways.
        let base = slot(3, Target::Base, 14, 16);
        let c = find_conflict(
            &slot(0, Target::Base, 9, 15),
            &[eq7.clone(), ws.clone(), base.clone()],
            40,
        )
        .unwrap();
        assert_eq!(
            c.with.iter().map(|s| s.id).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        assert_eq!(
            find_conflict(
                &slot(0, Target::Equipment(9), 15, 17),
                std::slice::from_ref(&base),
                40
            )
            .unwrap()
            .with,
            vec![base.clone()]
        );
        assert_eq!(
            find_conflict(
                &slot(0, Target::Workstations(1), 15, 17),
                std::slice::from_ref(&base),
                40
            )
            .unwrap()
            .with,
            vec![base]
        );
        // An update is checked against the others, not against itself.
        assert_eq!(
            find_conflict(&slot(1, Target::Equipment(7), 9, 11), &[eq7], 40),
            None
        );
    }

    #[test]
    fn workstations_use_the_peak_not_pairwise_sums() {
        // Capacity 40. A: 08–10 25 ws; B: 10–12 25 ws (no overlap with A). A new booking of
        // 15 ws 09–11 overlaps both, but never both at once: peak 25 + 15 = 40 fits.
        let a = slot(1, Target::Workstations(25), 8, 10);
        let b = slot(2, Target::Workstations(25), 10, 12);
        let new = slot(0, Target::Workstations(15), 9, 11);
        assert_eq!(find_conflict(&new, &[a.clone(), b.clone()], 40), None);
        // 16 does not fit, and the refusal names the booking at the peak.
        let new = slot(0, Target::Workstations(16), 9, 11);
        let c = find_conflict(&new, &[a.clone(), b.clone()], 40).unwrap();
        assert_eq!(c.workstations, Some((25, 40)));
        assert_eq!(c.with, vec![a.clone()]);
        assert!(c.message_zh().starts_with("工位不足"), "{}", c.message_zh());
        assert!(!c.message_zh().contains('#'), "{}", c.message_zh());
        assert!(
            c.message_en().starts_with("not enough"),
            "{}",
            c.message_en()
        );
        assert!(!c.message_en().contains('#'), "{}", c.message_en());
        assert!(c.message_en().contains(&a.who), "{}", c.message_en());
        // Three overlapping at once: 10 + 10 + 10 at 09:30–10:00.
        let x = slot(3, Target::Workstations(10), 8, 11);
        let y = slot(4, Target::Workstations(10), 9, 10);
        let z = slot(5, Target::Workstations(10), 9, 12);
        let new = slot(0, Target::Workstations(11), 7, 13);
        let c = find_conflict(&new, &[x.clone(), y.clone(), z.clone()], 40).unwrap();
        assert_eq!(c.workstations, Some((30, 40)));
        assert_eq!(
            c.with.iter().map(|s| s.id).collect::<Vec<_>>(),
            vec![3, 4, 5]
        );
        assert_eq!(
            find_conflict(&slot(0, Target::Workstations(10), 7, 13), &[x, y, z], 40),
            None
        );
        // More than the base has at all.
        let c = find_conflict(&slot(0, Target::Workstations(41), 7, 8), &[], 40).unwrap();
        assert_eq!(c.workstations, Some((0, 40)));
        // Equipment bookings do not take workstations.
        let e = slot(6, Target::Equipment(1), 7, 13);
        assert_eq!(
            find_conflict(&slot(0, Target::Workstations(40), 7, 13), &[e], 40),
            None
        );
    }

    #[test]
    fn peak_sweep_matches_a_brute_force_count() {
        // A deterministic pseudo-random set of bookings; the sweep's peak must equal the maximum
        // over every minute of the count of bookings covering that minute.
        let mut seed: u64 = 0x2026_0302;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for _ in 0..200 {
            let n = 1 + next(8) as usize;
            let slots: Vec<Slot> = (0..n)
                .map(|i| {
                    let a = next(600) as i64;
                    let len = 1 + next(240) as i64;
                    Slot {
                        id: i as i64 + 1,
                        target: Target::Workstations(1 + next(9) as i64),
                        start: a * 60,
                        end: (a + len) * 60,
                        who: String::new(),
                    }
                })
                .collect();
            let (from, to) = (next(300) as i64 * 60, (300 + next(600)) as i64 * 60);
            let pairs: Vec<(&Slot, i64)> = slots
                .iter()
                .map(|s| match s.target {
                    Target::Workstations(k) => (s, k),
                    _ => unreachable!(),
                })
                .collect();
            let (p, at) = peak(&pairs, from, to);
            let brute = (from / 60..to / 60)
                .map(|m| {
                    pairs
                        .iter()
                        .filter(|(s, _)| s.start <= m * 60 && m * 60 < s.end)
                        .map(|(_, k)| k)
                        .sum::<i64>()
                })
                .max()
                .unwrap_or(0);
            assert_eq!(p, brute);
            if p > 0 {
                let at_count: i64 = pairs
                    .iter()
                    .filter(|(s, _)| s.start <= at && at < s.end)
                    .map(|(_, k)| k)
                    .sum();
                assert_eq!(at_count, p);
            }
        }
    }

    #[test]
    fn utilisation_over_a_week() {
        // One week, Monday 2026-03-02 to Sunday 2026-03-08, default hours: 5 days × 14 h = 70 h.
        let hours = OpeningHours::default();
        let (first, last) = (date!(2026 - 03 - 02), date!(2026 - 03 - 08));
        let u = utilisation(&[], 40, first, last, &hours);
        assert_eq!(u.available_hours, 70.0);
        assert_eq!(u.workstation_hours_available, 2800.0);
        assert_eq!(u.occupancy, 0.0);
        let bookings = vec![
            // Monday 08–10, 20 ws: 40 ws-h.
            slot(1, Target::Workstations(20), 8, 10),
            // Monday 09–11, whole base: 80 ws-h; occupied 08–11 = 3 h with the first.
            slot(2, Target::Base, 9, 11),
            // Monday 07–09 equipment: only 08–09 counts, 0 ws-h, within the occupied span.
            slot(3, Target::Equipment(5), 7, 9),
            // Monday 21–23, 10 ws: 21–22 counts, 10 ws-h, 1 h occupied.
            slot(4, Target::Workstations(10), 21, 23),
            // Saturday 10–12: the base is closed on weekends by default.
            slot(5, Target::Base, 5 * 24 + 10, 5 * 24 + 12),
        ];
        let u = utilisation(&bookings, 40, first, last, &hours);
        assert_eq!(u.occupied_hours, 4.0);
        assert_eq!(u.workstation_hours, 130.0);
        assert!((u.occupancy - 4.0 / 70.0).abs() < 1e-12);
        assert!((u.workstation_rate - 130.0 / 2800.0).abs() < 1e-12);
        assert_eq!(u.bookings, 5);
        // Open every day 08–22: the Saturday booking counts too (2 h, 80 ws-h).
        let all = OpeningHours::parse("08:00", "22:00", true).unwrap();
        let u = utilisation(&bookings, 40, first, last, &all);
        assert_eq!(u.available_hours, 98.0);
        assert_eq!(u.occupied_hours, 6.0);
        assert_eq!(u.workstation_hours, 210.0);
        // A base without workstations: the rate is 0, occupancy still counts.
        let u = utilisation(&bookings, 0, first, last, &hours);
        assert_eq!(u.workstation_rate, 0.0);
        assert_eq!(u.occupied_hours, 4.0);
        assert!(OpeningHours::parse("22:00", "08:00", false).is_err());
        assert!(OpeningHours::parse("8", "22:00", false).is_err());
    }

    #[test]
    fn instants_parse_as_china_time_without_an_offset() {
        let a = parse_instant("2026-03-02T08:00").unwrap();
        assert_eq!(a, day0() + 8 * H);
        assert_eq!(parse_instant("2026-03-02 08:00:00").unwrap(), a);
        assert_eq!(parse_instant("2026-03-02T00:00:00Z").unwrap(), a);
        assert_eq!(parse_instant("2026-03-02T00:00:00.000Z").unwrap(), a);
        assert_eq!(parse_instant("2026-03-02T08:00:00+08:00").unwrap(), a);
        assert_eq!(format_instant(a), "2026-03-02T00:00:00.000Z");
        assert!(parse_instant("2026-03-02").is_err());
        assert!(parse_instant("2026-02-30T08:00").is_err());
        assert!(parse_instant("2026-03-02T25:00").is_err());
        assert_eq!(span_text(a, a + 2 * H), "2026-03-02 08:00–10:00");
    }

    #[test]
    fn ical_escapes_folds_and_uses_crlf() {
        assert_eq!(ics_escape("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
        let start = day0() + 8 * H;
        let ev = IcsEvent {
            uid: "booking-1@skillbridge".into(),
            start,
            end: start + 2 * H,
            summary: "新能源汽车动力电池拆装与检测实训（理实一体化），第3周；汽车2401班".into(),
            location: "汽车实训中心 A 区, 重庆".into(),
            description: "用途：课程实训\n负责人：李老师".into(),
            cancelled: false,
        };
        let doc = ical("汽车实训中心", std::slice::from_ref(&ev), start);
        assert!(doc.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(doc.ends_with("END:VCALENDAR\r\n"));
        assert!(doc.contains("DTSTART:20260302T000000Z\r\n"));
        assert!(doc.contains("DTEND:20260302T020000Z\r\n"));
        assert!(doc.contains("DTSTAMP:20260302T000000Z\r\n"));
        assert!(doc.contains("UID:booking-1@skillbridge\r\n"));
        assert!(doc.contains("LOCATION:汽车实训中心 A 区\\, 重庆\r\n"));
        // No bare LF: every LF is preceded by CR.
        assert!(!doc.replace("\r\n", "").contains('\n'));
        for l in doc.split("\r\n") {
            assert!(l.len() <= 75, "line of {} octets: {l}", l.len());
        }
        // The folded SUMMARY unfolds to the escaped text, and every piece is valid UTF-8 (the
        // split fell between characters: `split` on a &str would have panicked otherwise).
        let unfolded = doc.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{}\r\n", ics_escape(&ev.summary))));
        assert!(unfolded.contains("DESCRIPTION:用途：课程实训\\n负责人：李老师\r\n"));
        let summary_lines = doc
            .split("\r\n")
            .skip_while(|l| !l.starts_with("SUMMARY:"))
            .take_while(|l| l.starts_with("SUMMARY:") || l.starts_with(' '))
            .count();
        assert!(summary_lines >= 2, "the long Chinese summary was folded");
    }

    #[test]
    fn folding_boundaries() {
        // Exactly 75 octets: not folded. 76: folded after 75.
        let s75 = "A".repeat(75);
        assert_eq!(ics_fold(&s75), format!("{s75}\r\n"));
        let s76 = "A".repeat(76);
        assert_eq!(ics_fold(&s76), format!("{}\r\n A\r\n", "A".repeat(75)));
        // 3-octet characters: 25 fit in 75 octets; with "S:" first, 24 fit (2 + 72 = 74).
        let zh = format!("S:{}", "中".repeat(30));
        let folded = ics_fold(&zh);
        let lines: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert_eq!(lines[0], format!("S:{}", "中".repeat(24)));
        assert_eq!(lines[1], format!(" {}", "中".repeat(6)));
        // A continuation line holds the space plus at most 74 octets.
        let long = "中".repeat(60);
        for l in ics_fold(&long).split("\r\n") {
            assert!(l.len() <= 75);
        }
        assert_eq!(ics_fold(&long).replace("\r\n ", ""), format!("{long}\r\n"));
    }
}
