//! How long each kind of personal data is kept (issue 11, items 3 and 4): the retention rules that
//! the privacy registry names for each personal field, and the periods that the retention job
//! applies. Pure: the job that applies them lives in the store and the command line.

/// The retention rule of one kind of personal data, as the privacy registry states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retention {
    /// Kept while the record exists and removed with it (deletion is secure: nothing is left in
    /// the database file or its WAL).
    WhileRecordExists,
    /// Kept while the person studies; anonymised [`RetentionPolicy::graduate_years`] after the
    /// student's graduation (their status became `graduated`).
    AnonymiseAfterGraduation,
    /// Kept while the session lives: it ends at the idle timeout or the absolute lifetime and is
    /// then removed.
    SessionLifetime,
    /// Kept in the database at least [`RetentionPolicy::audit_days`] (never fewer than
    /// [`MIN_AUDIT_DAYS`]), then archived to a verifiable file.
    AuditThenArchive,
}

/// The Cybersecurity Law (Art. 21) asks for network logs to be kept at least six months.
pub const MIN_AUDIT_DAYS: u32 = 180;

/// The configured periods of the retention job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// Years after graduation after which a graduate's personal fields are anonymised.
    pub graduate_years: u32,
    /// Days an audit entry stays in the database before it is archived (at least
    /// [`MIN_AUDIT_DAYS`]).
    pub audit_days: u32,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy {
            graduate_years: 5,
            audit_days: MIN_AUDIT_DAYS,
        }
    }
}

impl RetentionPolicy {
    /// The policy with these periods, or why not: fewer than [`MIN_AUDIT_DAYS`] days of audit
    /// trail would break the Cybersecurity Law's six months, and zero years would anonymise a
    /// graduate on the day they graduate.
    pub fn new(graduate_years: u32, audit_days: u32) -> Result<RetentionPolicy, String> {
        if audit_days < MIN_AUDIT_DAYS {
            return Err(format!(
                "retention_audit_days: {audit_days} is below the minimum of {MIN_AUDIT_DAYS} days (Cybersecurity Law Art. 21: network logs are kept at least six months)"
            ));
        }
        if graduate_years == 0 {
            return Err(
                "retention_graduate_years: must be at least 1 (graduates' records are needed for certificates and follow-up in the first year)".into(),
            );
        }
        Ok(RetentionPolicy {
            graduate_years,
            audit_days,
        })
    }

    /// The instant before which audit entries are archived, `now` minus the audit period.
    pub fn audit_cutoff(&self, now: time::OffsetDateTime) -> String {
        crate::dates::instant_plus(now, -(i64::from(self.audit_days) * 86_400))
    }

    /// Whether a graduate who graduated on `graduated_on` (`YYYY-MM-DD`) is due for
    /// anonymisation on `today`: [`RetentionPolicy::graduate_years`] whole years have passed
    /// (a graduation on 29 February counts from 28 February in a common year).
    pub fn graduate_due(&self, graduated_on: &str, today: time::Date) -> bool {
        let Ok(d) = crate::dates::parse_date(graduated_on) else {
            return false;
        };
        let year = d.year() + self.graduate_years as i32;
        let due = time::Date::from_calendar_date(year, d.month(), d.day())
            .or_else(|_| time::Date::from_calendar_date(year, d.month(), d.day() - 1));
        due.is_ok_and(|due| today >= due)
    }
}

/// The day a student graduated: the effective date of their applied graduation (学籍异动
/// `graduate`, `status_changes.effective_date`) when there is one; otherwise, for a student
/// recorded as graduated without the procedure (imported so), the nominal end of their program:
/// 1 July of the entry year plus the program's length in years.
pub fn graduation_date(applied: Option<&str>, entry_year: i64, duration_years: i64) -> String {
    match applied {
        Some(d) => d.to_string(),
        None => format!("{:04}-07-01", entry_year + duration_years),
    }
}

/// The value a required personal field takes when its record is anonymised, where the column
/// cannot be empty (a resident ID number is required and unique): a marker that names no
/// person, unique through the record's own id. Optional personal fields become empty instead.
/// It is never a valid value of the field's kind, so an anonymised record cannot be mistaken
/// for a real one or edited back into one without a real value.
pub fn anonymised_marker(record_id: i64) -> String {
    format!("anonymised-{record_id}")
}

/// What one run of the retention job did (or, on a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RetentionReport {
    /// Sessions past their absolute end or idle timeout, removed.
    pub sessions_removed: u64,
    /// Audit entries older than the period, archived and removed from the database.
    pub audit_archived: u64,
    /// The archive file written (none on a dry run or when nothing was due).
    pub archive_file: Option<String>,
    /// Graduates whose personal fields were anonymised.
    pub graduates_anonymised: u64,
    /// Whether this was a dry run (nothing changed).
    pub dry_run: bool,
}

impl RetentionReport {
    /// One line for the audit entry and the log: counts only, never a personal value.
    pub fn summary(&self) -> String {
        format!(
            "sessions_removed={} audit_archived={} graduates_anonymised={}{}",
            self.sessions_removed,
            self.audit_archived,
            self.graduates_anonymised,
            if self.dry_run { " (dry run)" } else { "" }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn the_audit_period_cannot_go_below_six_months() {
        let e = RetentionPolicy::new(5, 179).unwrap_err();
        assert!(
            e.contains("retention_audit_days") && e.contains("180"),
            "{e}"
        );
        assert!(RetentionPolicy::new(0, 180).is_err());
        assert_eq!(
            RetentionPolicy::new(5, 180).unwrap(),
            RetentionPolicy::default()
        );
        assert_eq!(RetentionPolicy::new(3, 365).unwrap().audit_days, 365);
    }

    #[test]
    fn the_audit_cutoff_is_the_period_before_now() {
        let p = RetentionPolicy::default();
        assert_eq!(
            p.audit_cutoff(datetime!(2026-12-07 10:00 UTC)),
            "2026-06-10T10:00:00.000Z"
        );
    }

    #[test]
    fn a_graduate_is_due_after_whole_years() {
        let p = RetentionPolicy::new(5, 180).unwrap();
        assert!(!p.graduate_due("2021-07-01", date!(2026 - 06 - 30)));
        assert!(p.graduate_due("2021-07-01", date!(2026 - 07 - 01)));
        assert!(p.graduate_due("2020-02-29", date!(2025 - 02 - 28)));
        assert!(!p.graduate_due("2020-02-29", date!(2025 - 02 - 27)));
        assert!(!p.graduate_due("not a date", date!(2099 - 01 - 01)));
    }

    #[test]
    fn graduation_is_the_applied_date_else_the_programs_end() {
        assert_eq!(graduation_date(Some("2024-06-28"), 2021, 3), "2024-06-28");
        assert_eq!(graduation_date(None, 2021, 3), "2024-07-01");
        assert_eq!(graduation_date(None, 2020, 5), "2025-07-01");
    }

    #[test]
    fn the_marker_is_not_an_id_number() {
        let m = anonymised_marker(42);
        assert!(crate::ids::parse_id_number(&m).is_err());
        assert_ne!(m, anonymised_marker(43));
    }
}
