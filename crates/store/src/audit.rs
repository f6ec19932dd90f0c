//! Appending to and reading the audit trail. Appends happen inside the caller's transaction, so
//! a change and its audit entry commit together; the caller holds the write lock (see
//! `Store::begin_write`), so the chain head read here is still the head at commit.

use crate::records::event;
use crate::{Faults, Result, Store, StoreError};
use skillbridge_core::access::Actor;
use skillbridge_core::audit::{entry_hash, verify_chain, AuditEntry, AuditEvent, GENESIS};
use sqlx::{Any, Row};
use std::sync::atomic::Ordering;

pub(crate) async fn append(
    tx: &mut sqlx::Transaction<'_, Any>,
    faults: &Faults,
    e: AuditEvent,
) -> Result<()> {
    if faults.audit_write.load(Ordering::Relaxed) {
        return Err(StoreError::Fault("audit writer"));
    }
    let prev: String = sqlx::query("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get::<String, _>(0))
        .transpose()?
        .unwrap_or_else(|| GENESIS.to_string());
    let at = skillbridge_core::dates::now();
    let hash = entry_hash(&prev, &at, &e);
    sqlx::query(
        "INSERT INTO audit_log (at, actor, role, action, object, outcome, source, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(at)
    .bind(e.actor)
    .bind(e.role)
    .bind(e.action)
    .bind(e.object)
    .bind(e.outcome)
    .bind(e.source)
    .bind(e.detail)
    .bind(prev)
    .bind(hash)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn decode(r: &sqlx::any::AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.try_get(0)?,
        at: r.try_get(1)?,
        actor: r.try_get(2)?,
        role: r.try_get(3)?,
        action: r.try_get(4)?,
        object: r.try_get(5)?,
        outcome: r.try_get(6)?,
        source: r.try_get(7)?,
        detail: r.try_get(8)?,
        prev_hash: r.try_get(9)?,
        hash: r.try_get(10)?,
    })
}

const COLS: &str = "id, at, actor, role, action, object, outcome, source, detail, prev_hash, hash";

impl Store {
    /// Appends, on the caller's transaction, the entry for an action that `actor` carried out:
    /// the one way store code records a change, so that every entry is built the same way (the
    /// outcome is "ok": refusals are recorded by `audit`, in a transaction of their own).
    pub(crate) async fn audit_in(
        &self,
        tx: &mut sqlx::Transaction<'_, Any>,
        actor: &Actor,
        action: &str,
        object: &str,
        source: &str,
        detail: &str,
    ) -> Result<()> {
        append(
            tx,
            &self.faults,
            event(actor, action, object, source, detail),
        )
        .await
    }

    /// Appends one audit entry in its own transaction.
    pub async fn audit(&self, e: AuditEvent) -> Result<()> {
        let (_g, mut tx) = self.begin_write_pub().await?;
        append(&mut tx, &self.faults, e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest entries first, optionally only one action.
    pub async fn audit_list(
        &self,
        action: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<AuditEntry>> {
        let rows = match action {
            Some(a) => {
                sqlx::query(&format!("SELECT {COLS} FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT $2 OFFSET $3"))
                    .bind(a.to_string())
                    .bind(limit)
                    .bind(offset)
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                sqlx::query(&format!("SELECT {COLS} FROM audit_log ORDER BY id DESC LIMIT $1 OFFSET $2"))
                    .bind(limit)
                    .bind(offset)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(decode).collect()
    }

    /// Verifies the whole chain; `Ok(n)` with the number of entries, `Err(id)` at the first break.
    pub async fn audit_verify(&self) -> Result<std::result::Result<usize, i64>> {
        let rows = sqlx::query(&format!("SELECT {COLS} FROM audit_log ORDER BY id"))
            .fetch_all(&self.pool)
            .await?;
        let entries = rows.iter().map(decode).collect::<Result<Vec<_>>>()?;
        Ok(verify_chain(&entries))
    }

    /// Runs raw SQL against the database. For tests that play an attacker with database access
    /// (tampering with the audit trail); not used by the application, and compiled only with the
    /// `test-helpers` feature. Never inlined, so that the symbol check of `.ci/run` sees it in the
    /// binary that links it on purpose (`examples/helpers_probe.rs`).
    #[cfg(feature = "test-helpers")]
    #[inline(never)]
    pub async fn raw_execute_for_tests(&self, sql: &str) -> Result<u64> {
        Ok(sqlx::raw_sql(sql)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}
