//! The store half of the `audit` module: the view through which the audit trail is read and its
//! chain checked, each call checked against the module's `audit` permission. Appending is not
//! here: every audited write appends inside its own transaction (`crate::audit`).

use super::accounts::allowed;
use super::{no_scope_sql, store_view, NoHooks, StoreModule};
use crate::Result;
use skillbridge_core::access::{Action, Actor};
use skillbridge_core::audit::AuditEntry;
use skillbridge_core::modules::audit::AUDIT;

pub(crate) static MODULE: StoreModule = StoreModule {
    core: &skillbridge_core::modules::audit::MODULE,
    scope_sql: no_scope_sql,
    hooks: &NoHooks,
};

store_view!(
    /// The audit trail, read through the actor's rights.
    AuditTrail,
    audit_trail
);

impl AuditTrail<'_> {
    /// The newest entries first, optionally only one action.
    pub async fn list(
        &self,
        actor: &Actor,
        action: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<AuditEntry>> {
        allowed(actor, Action::Read, AUDIT)?;
        self.0.audit_list(action, limit, offset).await
    }

    /// Verifies the whole chain: `Ok(n)` entries, or `Err(id)` at the first break.
    pub async fn verify(&self, actor: &Actor) -> Result<std::result::Result<usize, i64>> {
        allowed(actor, Action::Read, AUDIT)?;
        self.0.audit_verify().await
    }
}
