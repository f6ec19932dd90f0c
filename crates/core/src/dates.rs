//! Dates and instants, stored one way on both databases.
//!
//! - A calendar date is TEXT `YYYY-MM-DD` (ISO 8601), which sorts as text.
//! - An instant is TEXT in UTC, RFC 3339 with milliseconds and `Z`: `2026-11-29T10:46:38.123Z`.
//!   The fixed width makes text order equal time order on SQLite and PostgreSQL alike.

use time::{format_description::FormatItem, macros::format_description, Date, OffsetDateTime};

const DATE: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");
const INSTANT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

/// Parses `YYYY-MM-DD`, also `YYYY/M/D` and `YYYY.M.D` as typed in spreadsheets.
pub fn parse_date(raw: &str) -> Result<Date, &'static str> {
    let s = crate::ids::normalize_text(raw);
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    if parts.len() != 3 || parts[0].len() != 4 {
        return Err("must be a date like 2024-09-01");
    }
    let nums: Result<Vec<u32>, _> = parts.iter().map(|p| p.parse::<u32>()).collect();
    let nums = nums.map_err(|_| "must be a date like 2024-09-01")?;
    let month = u8::try_from(nums[1])
        .ok()
        .and_then(|m| time::Month::try_from(m).ok())
        .ok_or("is not a real date")?;
    Date::from_calendar_date(nums[0] as i32, month, u8::try_from(nums[2]).unwrap_or(0))
        .map_err(|_| "is not a real date")
}

/// Formats a date as stored.
pub fn format_date(d: Date) -> String {
    d.format(DATE).expect("date formats")
}

/// Formats an instant as stored (UTC, milliseconds).
pub fn format_instant(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(INSTANT)
        .expect("instant formats")
}

/// The current instant, formatted as stored.
pub fn now() -> String {
    format_instant(OffsetDateTime::now_utc())
}

/// The instant `secs` seconds from now, formatted as stored.
pub fn now_plus(secs: i64) -> String {
    instant_plus(OffsetDateTime::now_utc(), secs)
}

/// The instant `secs` seconds after `t` (negative: before), formatted as stored. The store's
/// clock (`skillbridge_store::Clock`) passes its own `now`, which tests can move.
pub fn instant_plus(t: OffsetDateTime, secs: i64) -> String {
    format_instant(t + time::Duration::seconds(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_spreadsheet_forms() {
        assert_eq!(format_date(parse_date("2024/9/1").unwrap()), "2024-09-01");
        assert_eq!(
            format_date(parse_date("２０２４-０９-０１").unwrap()),
            "2024-09-01"
        );
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("2024-13-01").is_err());
        assert!(parse_date("24-1-1").is_err());
    }

    #[test]
    fn instants_sort_as_text() {
        let a = now();
        let b = now_plus(1);
        assert!(a < b);
        assert_eq!(a.len(), 24);
        assert!(a.ends_with('Z'));
        let t = time::macros::datetime!(2026-11-29 23:59:30 UTC);
        assert_eq!(instant_plus(t, 45), "2026-11-30T00:00:15.000Z");
        assert_eq!(instant_plus(t, -30), "2026-11-29T23:59:00.000Z");
    }
}
