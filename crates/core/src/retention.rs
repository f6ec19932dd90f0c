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
