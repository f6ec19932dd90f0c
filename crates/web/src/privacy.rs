//! Uniqueness clashes on personal fields, rate-limited and audited (issue 9, item 3).
//!
//! A user who may not reveal a personal field is told only that a value "cannot be used"
//! (`core::privacy::clash`, decided in the store). That still answers one question per write
//! ("is this ID number someone's?"), so such answers are counted per user: each is audited
//! (`pii_clash`: the record type and field, never the value), and after
//! `WebConfig::pii_clash_per_minute` of them in a minute the user's writes are refused with
//! `429` (audited as `pii_clash_limited`) until the minute is over. An import counts every row
//! that clashed; a file with more clashes than the user has left gets `429` and no report, so a
//! spreadsheet of guesses answers no more than single writes would.

use crate::auth::{Auth, ClientAddr, RateLimiter};
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use skillbridge_core::audit::AuditEvent;
use skillbridge_core::privacy::UNUSABLE;

/// Clashes per user in the current minute (a fixed window from the first clash).
#[derive(Default)]
pub struct ClashLimiter(RateLimiter<i64>);

impl ClashLimiter {
    /// Whether the user has used up the minute's clashes (`per_minute`).
    pub fn blocked(&self, user: i64, per_minute: u32) -> bool {
        self.0.add(user, 0) >= per_minute
    }

    /// Counts `n` clashes; true when they go over `per_minute` (the answer must be withheld).
    pub fn record(&self, user: i64, n: u32, per_minute: u32) -> bool {
        self.0.add(user, n) > per_minute
    }
}

impl AppState {
    /// Before a write that can clash on a personal field: `429` while the user has used up the
    /// minute's clashes (audited).
    pub async fn clash_gate(&self, auth: &Auth, addr: &ClientAddr, object: &str) -> ApiResult<()> {
        let Some(user) = auth.actor.user_id else {
            return Ok(());
        };
        if self.clashes.blocked(user, self.cfg.pii_clash_per_minute) {
            self.clash_audit(
                auth,
                addr,
                "pii_clash_limited",
                object,
                "refused before the write",
            )
            .await;
            return Err(ApiError::RateLimited);
        }
        Ok(())
    }

    /// After a write or an import: counts the clashes that said only `unusable` (`n`, on the
    /// fields named), audits them, and answers `429` instead of the result once they go over the
    /// minute's limit.
    pub async fn clash_count(
        &self,
        auth: &Auth,
        addr: &ClientAddr,
        object: &str,
        n: usize,
        fields: &[&str],
    ) -> ApiResult<()> {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        let Some(user) = auth.actor.user_id.filter(|_| n > 0) else {
            return Ok(());
        };
        let mut names: Vec<&str> = fields.to_vec();
        names.sort_unstable();
        names.dedup();
        let detail = format!("user {user}; {n} clashes on {}", names.join(","));
        self.clash_audit(auth, addr, "pii_clash", object, &detail)
            .await;
        if self.clashes.record(user, n, self.cfg.pii_clash_per_minute) {
            self.clash_audit(auth, addr, "pii_clash_limited", object, &detail)
                .await;
            return Err(ApiError::RateLimited);
        }
        Ok(())
    }

    async fn clash_audit(
        &self,
        auth: &Auth,
        addr: &ClientAddr,
        action: &str,
        object: &str,
        detail: &str,
    ) {
        self.audit_quiet(AuditEvent {
            actor: skillbridge_core::audit::actor_name(&auth.actor),
            role: auth.actor.role_names(),
            action: action.into(),
            object: object.into(),
            outcome: "refused".into(),
            source: addr.0.to_string(),
            detail: detail.into(),
        })
        .await;
    }
}

/// The fields of an error list that clashed with only `unusable` said.
pub fn unusable_fields(errors: &[skillbridge_core::schema::FieldError]) -> Vec<&str> {
    errors
        .iter()
        .filter(|e| e.code == UNUSABLE)
        .map(|e| e.field.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clashes_are_counted_per_user_and_block_at_the_limit() {
        let l = ClashLimiter::default();
        assert!(!l.blocked(1, 3));
        assert!(!l.record(1, 2, 3));
        assert!(!l.blocked(1, 3));
        assert!(!l.record(1, 1, 3));
        assert!(l.blocked(1, 3));
        assert!(!l.blocked(2, 3));
        // A batch that goes over the limit is withheld.
        assert!(l.record(2, 4, 3));
    }
}
