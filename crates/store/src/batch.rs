//! Batch work on lists (issue 10 §6): one call sets a field on every selected row, or creates a
//! record for each (`core::batch` says which fields and records). Each row goes through what a
//! single change goes through (write scope, validation with the record type's `check`,
//! references in scope, the module's write hooks and locks), inside **one** write transaction,
//! each row under its own savepoint so that one refusal does not hide the others' problems.
//!
//! **All or nothing**, as an import: if every row passes, the batch commits with **one** audit
//! entry (`batch_update` or `batch_create`, its detail listing each outcome with its ids); if
//! any row is refused, nothing is written, the good rows are reported `not_applied`, the
//! refused ones with their reason, and one audit entry with outcome `refused` records the
//! attempt. A row out of the user's write scope is reported (`not_found` when the user may not
//! read it either, `not_permitted` when they may), never skipped. An office that selected 40
//! rows learns which 2 stop the batch and sends it again without them; it never has to find
//! out which 38 went in.

use crate::records::{event, scopes, update_changed, vague_race, MAX_SELECTION};
use crate::{Result, Store, StoreError};
use serde::Serialize;
use serde_json::{Map, Value};
use skillbridge_core::access::{actor_scopes, Action, Actor, RowScope};
use skillbridge_core::batch::{self, Outcome};
use skillbridge_core::schema::{self, FieldError, ResourceDef};
use std::collections::HashMap;

/// What became of one selected row.
#[derive(Debug, Clone, Serialize)]
pub struct RowResult {
    /// The selected row.
    pub id: i64,
    /// `applied`, `unchanged`, `refused` or `not_applied` (`core::batch::Outcome`).
    pub outcome: &'static str,
    /// Why it was refused: `not_found`, `not_permitted`, `invalid` (see `fields`) or a
    /// conflict's code (`booking_conflict`, `duplicate`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// A conflict's message in each language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_zh: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_en: Option<String>,
    /// The field errors of an `invalid` row.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// The record created for this row (`link`, when applied).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<i64>,
}

/// The answer to a batch: whether it was applied, and a result per selected row, in the order
/// the rows were selected.
#[derive(Debug, Clone, Serialize)]
pub struct BatchReport {
    pub applied: bool,
    pub rows: Vec<RowResult>,
}

impl RowResult {
    fn new(id: i64, outcome: Outcome) -> Self {
        RowResult {
            id,
            outcome: outcome.as_str(),
            code: None,
            message_zh: None,
            message_en: None,
            fields: Vec::new(),
            created: None,
        }
    }

    fn refused(id: i64, e: StoreError) -> Self {
        let mut r = RowResult::new(id, Outcome::Refused);
        match e {
            StoreError::NotFound => r.code = Some("not_found".into()),
            StoreError::Denied => r.code = Some("not_permitted".into()),
            StoreError::Invalid(errs) => {
                r.code = Some("invalid".into());
                r.fields = errs;
            }
            StoreError::PersonalQuery(e) => {
                r.code = Some("invalid".into());
                r.fields = vec![e];
            }
            StoreError::Conflict { code, zh, en } => {
                r.code = Some(code.into());
                r.message_zh = Some(zh);
                r.message_en = Some(en);
            }
            other => r.code = Some(other.to_string()),
        }
        r
    }
}

/// A store error that belongs to one row (reported with it) rather than to the whole batch
/// (a database failure, a fault: the batch fails).
fn row_error(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::NotFound
            | StoreError::Denied
            | StoreError::Invalid(_)
            | StoreError::Conflict { .. }
            | StoreError::PersonalQuery(_)
    )
}

/// The selected ids, each once, in the order given: at least one, at most [`MAX_SELECTION`].
fn selection(ids: &[i64]) -> Result<Vec<i64>> {
    let mut seen = std::collections::HashSet::new();
    let ids: Vec<i64> = ids.iter().copied().filter(|i| seen.insert(*i)).collect();
    if ids.is_empty() {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "ids",
            "required",
            "select at least one row",
        )]));
    }
    if ids.len() > MAX_SELECTION {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "ids",
            "too_many",
            format!("select at most {MAX_SELECTION} rows"),
        )]));
    }
    Ok(ids)
}

async fn exec(tx: &mut crate::modules::Tx, sql: &str) -> Result<()> {
    sqlx::query(sql).execute(&mut **tx).await?;
    Ok(())
}

impl Store {
    /// The ids of the rows a list query selects (its filters and search, within the user's
    /// read scope): "all N filtered rows" of a list, for a batch. More than [`MAX_SELECTION`]
    /// is refused (`too_many`), never cut short.
    pub async fn select_ids(
        &self,
        actor: &Actor,
        def: &ResourceDef,
        q: &crate::ListQuery,
    ) -> Result<Vec<i64>> {
        // Read in pages of the list's largest page, in id order.
        const PAGE: i64 = 500;
        let mut ids = Vec::new();
        loop {
            let page = self
                .list(
                    actor,
                    def,
                    &crate::ListQuery {
                        limit: PAGE,
                        offset: ids.len() as i64,
                        sort: Some("id".into()),
                        ..q.clone()
                    },
                )
                .await?;
            if page.total > MAX_SELECTION as i64 {
                return Err(StoreError::Invalid(vec![FieldError::new(
                    "ids",
                    "too_many",
                    format!("select at most {MAX_SELECTION} rows"),
                )]));
            }
            let n = page.items.len();
            ids.extend(
                page.items
                    .iter()
                    .filter_map(|r| r.get("id").and_then(Value::as_i64)),
            );
            if n < PAGE as usize || ids.len() as i64 >= page.total {
                return Ok(ids);
            }
        }
    }

    /// Sets `field` to `value` on every selected row of `def`: all or nothing, a result per
    /// row, one audit entry (see the module's documentation).
    #[tracing::instrument(skip(self, actor, value), fields(resource = def.name))]
    pub async fn batch_set(
        &self,
        actor: &Actor,
        def: &ResourceDef,
        ids: &[i64],
        field: &str,
        value: &Value,
        source: &str,
    ) -> Result<BatchReport> {
        let f = batch::settable(def, field).map_err(|e| StoreError::Invalid(vec![e]))?;
        let write = scopes(actor, Action::Update, def)?;
        let ids = selection(ids)?;
        // The value is checked once, at the edge, before any row is looked at.
        let parsed = schema::parse_value(f, value).map_err(|mut e| {
            e.field = "value".into();
            StoreError::Invalid(vec![e])
        })?;
        let mut patch = Map::new();
        patch.insert(f.name.to_string(), value.clone());
        Self::check_writable(actor, Action::Update, def, &patch)?;
        let read = actor_scopes(actor, Action::Read, def.name).unwrap_or_default();
        let hooks = crate::modules::hooks(def);
        let mut keys = Vec::new();
        let mut early = HashMap::new();
        for &id in &ids {
            match hooks.update_locks(self, def, id, &patch).await {
                Ok(k) => keys.extend(k),
                Err(e) if row_error(&e) => {
                    early.insert(id, e);
                }
                Err(e) => return Err(e),
            }
        }
        keys.sort_unstable();
        keys.dedup();
        let (guard, mut tx) = self.begin_write().await?;
        hooks.lock(self, &mut tx, &keys).await?;
        let mut rows = Vec::with_capacity(ids.len());
        for &id in &ids {
            if let Some(e) = early.remove(&id) {
                rows.push(RowResult::refused(id, e));
                continue;
            }
            exec(&mut tx, "SAVEPOINT batch_row").await?;
            let r = self
                .set_row(&mut tx, actor, def, id, &patch, (&write, &read), &keys)
                .await;
            rows.push(self.settle_row(&mut tx, id, r).await?);
        }
        let shown = match &parsed {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let op = format!("set {}={shown}", f.name);
        self.finish_batch(guard, tx, actor, def, "batch_update", &op, rows, source)
            .await
    }

    /// Creates, for every selected row of `def`, a record of `target` holding `values` and a
    /// reference to the row (`core::batch::links`): a mentor assignment for each selected
    /// student. All or nothing, a result per row, one audit entry.
    #[tracing::instrument(skip(self, actor, values), fields(resource = def.name))]
    pub async fn batch_link(
        &self,
        actor: &Actor,
        def: &ResourceDef,
        ids: &[i64],
        target: &str,
        values: &Map<String, Value>,
        source: &str,
    ) -> Result<BatchReport> {
        let (tdef, link) = batch::links(def)
            .into_iter()
            .find(|(t, _)| t.name == target)
            .ok_or_else(|| {
                StoreError::Invalid(vec![FieldError::new(
                    "target",
                    "not_batch",
                    "these records cannot be created in batch",
                )])
            })?;
        let write = scopes(actor, Action::Create, tdef)?;
        let ids = selection(ids)?;
        if values.contains_key(link.name) {
            return Err(StoreError::Invalid(vec![FieldError::new(
                link.name,
                "not_batch",
                "set by the selection",
            )]));
        }
        Self::check_writable(actor, Action::Create, tdef, values)?;
        // The values are checked once, at the edge, with the link filled by the first row.
        let mut probe = values.clone();
        probe.insert(link.name.to_string(), Value::from(ids[0]));
        schema::validate(tdef, &probe, None).map_err(StoreError::Invalid)?;
        let hooks = crate::modules::hooks(tdef);
        let (guard, mut tx) = self.begin_write().await?;
        let mut rows = Vec::with_capacity(ids.len());
        for &id in &ids {
            exec(&mut tx, "SAVEPOINT batch_row").await?;
            let mut input = values.clone();
            input.insert(link.name.to_string(), Value::from(id));
            let r = self
                .create_row(&mut tx, actor, tdef, &input, &write, hooks)
                .await
                .map_err(|e| match e {
                    // The selected row itself out of the user's reach: as for a change.
                    StoreError::Invalid(errs)
                        if errs
                            .iter()
                            .any(|e| e.field == link.name && e.code == "not_found") =>
                    {
                        StoreError::NotFound
                    }
                    other => other,
                });
            let created = r.as_ref().ok().copied();
            let mut row = self.settle_row(&mut tx, id, r.map(|_| true)).await?;
            if row.outcome == Outcome::Applied.as_str() {
                row.created = created;
            }
            rows.push(row);
        }
        let op = format!("create {} for {}", tdef.name, link.name);
        self.finish_batch(guard, tx, actor, def, "batch_create", &op, rows, source)
            .await
    }

    /// Ends a row's savepoint: kept when the row passed, rolled back when it was refused.
    async fn settle_row(
        &self,
        tx: &mut crate::modules::Tx,
        id: i64,
        r: Result<bool>,
    ) -> Result<RowResult> {
        match r {
            Ok(changed) => {
                exec(tx, "RELEASE SAVEPOINT batch_row").await?;
                Ok(RowResult::new(
                    id,
                    match changed {
                        true => Outcome::Applied,
                        false => Outcome::Unchanged,
                    },
                ))
            }
            Err(e) if row_error(&e) => {
                exec(tx, "ROLLBACK TO SAVEPOINT batch_row").await?;
                exec(tx, "RELEASE SAVEPOINT batch_row").await?;
                Ok(RowResult::refused(id, e))
            }
            Err(e) => Err(e),
        }
    }

    /// One row of [`Store::batch_set`], as [`Store::update`] does it (without its own
    /// transaction and audit entry): `Ok(true)` when changed, `Ok(false)` when already so.
    #[allow(clippy::too_many_arguments)]
    async fn set_row(
        &self,
        tx: &mut crate::modules::Tx,
        actor: &Actor,
        def: &ResourceDef,
        id: i64,
        patch: &Map<String, Value>,
        (write, read): (&[RowScope], &[RowScope]),
        keys: &[i64],
    ) -> Result<bool> {
        let Some(old) = self.fetch_scoped(&mut **tx, def, id, write).await? else {
            let readable =
                !read.is_empty() && self.fetch_scoped(&mut **tx, def, id, read).await?.is_some();
            return Err(match readable {
                true => StoreError::Denied,
                false => StoreError::NotFound,
            });
        };
        let rec = schema::validate(def, patch, Some(&old)).map_err(StoreError::Invalid)?;
        self.check_against_db(tx, actor, def, &rec, Some((id, &old)))
            .await?;
        let hooks = crate::modules::hooks(def);
        hooks
            .before_write(self, tx, def, &rec, Some(id), keys)
            .await?;
        let (changed, update) = update_changed(def, &rec, &old, id);
        let Some(s) = update else {
            return Ok(false);
        };
        s.query()
            .execute(&mut **tx)
            .await
            .map_err(|e| vague_race(actor, def, crate::map_db_err(e)))?;
        if changed.iter().any(|f| f.pii != schema::Pii::None) {
            // The checkpoint waits for this transaction's commit (it needs the writer lock).
            self.personal_data_removed();
        }
        if self
            .fetch_scoped(&mut **tx, def, id, write)
            .await?
            .is_none()
        {
            return Err(StoreError::Denied);
        }
        Ok(true)
    }

    /// One record of [`Store::batch_link`], as [`Store::create`] does it (without its own
    /// transaction and audit entry); its id.
    async fn create_row(
        &self,
        tx: &mut crate::modules::Tx,
        actor: &Actor,
        def: &ResourceDef,
        input: &Map<String, Value>,
        write: &[RowScope],
        hooks: &'static dyn crate::modules::WriteHooks,
    ) -> Result<i64> {
        let rec = schema::validate(def, input, None).map_err(StoreError::Invalid)?;
        let locked = hooks.create_locks(def, &rec);
        hooks.lock(self, tx, &locked).await?;
        self.check_against_db(tx, actor, def, &rec, None).await?;
        hooks
            .before_write(self, tx, def, &rec, None, &locked)
            .await?;
        let id = Self::insert_row(tx, def, &rec)
            .await
            .map_err(|e| vague_race(actor, def, e))?;
        if self
            .fetch_scoped(&mut **tx, def, id, write)
            .await?
            .is_none()
        {
            return Err(StoreError::Denied);
        }
        Ok(id)
    }

    /// Commits a batch whose rows all passed, with its audit entry; otherwise rolls it back,
    /// marks the good rows `not_applied`, and records the refused attempt.
    #[allow(clippy::too_many_arguments)]
    async fn finish_batch(
        &self,
        guard: tokio::sync::OwnedMutexGuard<()>,
        mut tx: crate::modules::Tx,
        actor: &Actor,
        def: &ResourceDef,
        action: &str,
        op: &str,
        mut rows: Vec<RowResult>,
        source: &str,
    ) -> Result<BatchReport> {
        let refused = rows.iter().any(|r| r.outcome == Outcome::Refused.as_str());
        if refused {
            for r in &mut rows {
                if r.outcome == Outcome::Applied.as_str() {
                    r.outcome = Outcome::NotApplied.as_str();
                }
            }
        }
        let outcome = |s: &str| match s {
            "applied" => Outcome::Applied,
            "unchanged" => Outcome::Unchanged,
            "refused" => Outcome::Refused,
            _ => Outcome::NotApplied,
        };
        let listed: Vec<(i64, Outcome, Option<&str>)> = rows
            .iter()
            .map(|r| (r.id, outcome(r.outcome), r.code.as_deref()))
            .collect();
        let detail = batch::summary(op, &listed);
        if refused {
            tx.rollback().await?;
            drop(guard);
            let mut e = event(actor, action, def.name, source, &detail);
            e.outcome = "refused".into();
            self.audit(e).await?;
        } else {
            self.audit_in(&mut tx, actor, action, def.name, source, &detail)
                .await?;
            tx.commit().await?;
            drop(guard);
        }
        Ok(BatchReport {
            applied: !refused,
            rows,
        })
    }
}
