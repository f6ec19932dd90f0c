//! The store half of the `audit` module: the view through which the audit trail is read and its
//! chain checked, each call checked against the module's `audit` permission. Appending is not
//! here: every audited write appends inside its own transaction (`crate::audit`).

use super::accounts::allowed;
use super::{no_scope_sql, store_view, NoHooks, StoreModule};
use crate::Result;
use skillbridge_core::access::{Action, Actor};
use skillbridge_core::audit::{AuditEntry, ChainBreak, ChainReport, Checkpoint};
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

    /// Verifies the whole chain under the audit key and against `checkpoints` (each must be
    /// signed with the key and name an entry that still has its hash).
    pub async fn verify(
        &self,
        actor: &Actor,
        checkpoints: &[Checkpoint],
    ) -> Result<std::result::Result<ChainReport, ChainBreak>> {
        allowed(actor, Action::Read, AUDIT)?;
        self.0.audit_verify(checkpoints).await
    }

    /// A checkpoint of the newest entry, signed with the audit key, to be kept elsewhere.
    pub async fn checkpoint(&self, actor: &Actor) -> Result<Checkpoint> {
        allowed(actor, Action::Read, AUDIT)?;
        self.0.audit_checkpoint().await
    }

    /// The labels of the records the entries' objects name (`students/163`, `students/163.phone`
    /// -> the student's name), for showing the object readably to those who may read the trail;
    /// read now, never stored in it. Objects that name no record (`users/leader`, `audit`) have
    /// none.
    pub async fn object_labels(
        &self,
        actor: &Actor,
        objects: &[&str],
    ) -> Result<std::collections::HashMap<String, String>> {
        allowed(actor, Action::Read, AUDIT)?;
        let mut by_type: std::collections::BTreeMap<&str, Vec<i64>> = Default::default();
        for o in objects {
            if let Some((r, id)) = skillbridge_core::audit::object_record(o) {
                by_type.entry(r).or_default().push(id);
            }
        }
        let mut out = std::collections::HashMap::new();
        for (r, mut ids) in by_type {
            let Some(def) = skillbridge_core::schema::resource(r) else {
                continue;
            };
            ids.sort_unstable();
            ids.dedup();
            for (id, label) in self.0.record_labels(def, &ids).await? {
                out.insert(format!("{r}/{id}"), label);
            }
        }
        Ok(out)
    }

    /// The display names of accounts by id, for showing `user:17` readably to those who may
    /// read the trail (the names are read when the trail is shown, never stored in it).
    pub async fn actor_names(
        &self,
        actor: &Actor,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, String>> {
        allowed(actor, Action::Read, AUDIT)?;
        self.0.display_names(ids).await
    }
}
