//! Appending to and reading the audit trail, and the audit key.
//!
//! Appends happen inside the caller's transaction, so a change and its audit entry commit
//! together; the caller holds the write lock (see `Store::begin_write`), so the chain head read
//! here is still the head at commit. Every new entry is keyed with the audit key
//! (`core::audit::entry_mac`); the key lives outside the database, in a key file (created on
//! first start, mode 0600) or given by the configuration. Refusals do not come here one by one:
//! they go through the queue in `pending.rs`, which writes them in batches.

use crate::records::event;
use crate::{Faults, Result, Store, StoreError};
use skillbridge_core::access::Actor;
use skillbridge_core::audit::{
    entry_mac, username_tag, verify_chain, AuditEntry, AuditEvent, AuditKey, ChainBreak,
    ChainReport, Checkpoint, GENESIS, KEYED_PREFIX, REKEY_ACTION,
};
use sqlx::{Any, Row};
use std::path::Path;
use std::sync::atomic::Ordering;

/// Reads the audit key from `path`, or creates it there (32 random bytes as hex, the file
/// readable and writable by its owner only) when the file does not exist. Returns the key and
/// whether it was created now. A file that exists but does not hold a key is an error, never
/// replaced: replacing it would orphan the chain.
pub fn load_or_create_key(path: &Path) -> Result<(AuditKey, bool)> {
    let what = |e: &dyn std::fmt::Display| {
        StoreError::Config(format!("audit key file {}: {e}", path.display()))
    };
    match std::fs::read_to_string(path) {
        Ok(text) => return Ok((AuditKey::from_hex(&text).map_err(|e| what(&e))?, false)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(what(&e)),
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| what(&e))?;
    }
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| what(&e))?;
    let key = AuditKey::from_bytes(bytes);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    use std::io::Write;
    match opts.open(path) {
        Ok(mut f) => {
            f.write_all(format!("{}\n", key.to_hex()).as_bytes())
                .and_then(|_| f.sync_all())
                .map_err(|e| what(&e))?;
            tracing::warn!(path = %path.display(), "created the audit key: keep a copy apart from the database (without it the trail cannot be verified)");
            Ok((key, true))
        }
        // Another process created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(path).map_err(|e| what(&e))?;
            Ok((AuditKey::from_hex(&text).map_err(|e| what(&e))?, false))
        }
        Err(e) => Err(what(&e)),
    }
}

pub(crate) async fn append(
    tx: &mut sqlx::Transaction<'_, Any>,
    faults: &Faults,
    key: &AuditKey,
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
    let hash = entry_mac(key, &prev, &at, &e);
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

pub(crate) fn decode(r: &sqlx::any::AnyRow) -> Result<AuditEntry> {
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

pub(crate) const COLS: &str =
    "id, at, actor, role, action, object, outcome, source, detail, prev_hash, hash";

impl Store {
    /// Appends, on the caller's transaction, the entry for an action that `actor` carried out:
    /// the one way store code records a change, so that every entry is built the same way (the
    /// outcome is "ok": refusals are recorded by `refuse`, through the queue).
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
            &self.audit_key,
            event(actor, action, object, source, detail),
        )
        .await
    }

    /// Appends one audit entry in its own transaction.
    pub async fn audit(&self, e: AuditEvent) -> Result<()> {
        let (_g, mut tx) = self.begin_write_pub().await?;
        append(&mut tx, &self.faults, &self.audit_key, e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Appends entries in one transaction (the refusal queue's batches).
    pub(crate) async fn append_in(
        &self,
        tx: &mut sqlx::Transaction<'_, Any>,
        entries: Vec<AuditEvent>,
    ) -> Result<()> {
        for e in entries {
            append(tx, &self.faults, &self.audit_key, e).await?;
        }
        Ok(())
    }

    /// What the trail records for a sign-in attempt with a username that has no account: a
    /// keyed tag of it, never the text (`core::audit::username_tag`).
    pub fn username_tag(&self, username: &str) -> String {
        username_tag(&self.audit_key, username)
    }

    /// At open: a trail whose newest entry is unkeyed is put under the key when `rekey` says
    /// so (`rekey_legacy_chain`), and is otherwise refused with what to do.
    pub(crate) async fn check_chain_head(&self, rekey: bool) -> Result<()> {
        let head = sqlx::query("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        let legacy = match head {
            Some(r) => !r.try_get::<String, _>(0)?.starts_with(KEYED_PREFIX),
            None => false,
        };
        match (legacy, rekey) {
            (false, _) => Ok(()),
            (true, true) => self.rekey_legacy_chain().await.map(|_| ()),
            (true, false) => Err(StoreError::Config(
                "the newest audit entry is not keyed: either this database comes from a version before the keyed audit chain (run `skillbridge audit-rekey` once to put its trail under the audit key), or its trail was rewritten without the key (compare it with your checkpoints before doing anything)".into(),
            )),
        }
    }

    /// Puts a chain written before the audit key existed under the key: when the newest entry
    /// is unkeyed, appends an `audit_rekey` entry whose MAC covers it; from then on the legacy
    /// part cannot change without breaking the keyed part. Returns how many entries it covered
    /// (0: nothing to do). Run when the key is created for an existing database, or by
    /// `skillbridge audit-rekey`; never silently, since someone who rewrote the whole trail
    /// without the key would be blessed by it (a checkpoint taken earlier catches that).
    pub async fn rekey_legacy_chain(&self) -> Result<i64> {
        let (_g, mut tx) = self.begin_write_pub().await?;
        let head = sqlx::query("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?;
        let Some(head) = head else { return Ok(0) };
        let (id, hash): (i64, String) = (head.try_get(0)?, head.try_get(1)?);
        if hash.starts_with(KEYED_PREFIX) {
            return Ok(0);
        }
        append(
            &mut tx,
            &self.faults,
            &self.audit_key,
            AuditEvent {
                actor: "system".into(),
                role: "admin".into(),
                action: REKEY_ACTION.into(),
                object: format!("audit_log/{id}"),
                outcome: "ok".into(),
                source: "store".into(),
                detail: format!(
                    "the {id} entries up to here were chained without a key; from here on every entry is keyed"
                ),
            },
        )
        .await?;
        tx.commit().await?;
        tracing::warn!(
            entries = id,
            "put the audit trail written before the audit key under the key"
        );
        Ok(id)
    }

    /// The newest entries first, optionally only one action. Refusals still queued are written
    /// first, so that a reader sees every one.
    pub(crate) async fn audit_list(
        &self,
        action: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<AuditEntry>> {
        self.flush_pending().await?;
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

    /// Verifies the whole chain under the key, and against the checkpoints given.
    pub(crate) async fn audit_verify(
        &self,
        checkpoints: &[Checkpoint],
    ) -> Result<std::result::Result<ChainReport, ChainBreak>> {
        self.flush_pending().await?;
        let rows = sqlx::query(&format!("SELECT {COLS} FROM audit_log ORDER BY id"))
            .fetch_all(&self.pool)
            .await?;
        let entries = rows.iter().map(decode).collect::<Result<Vec<_>>>()?;
        Ok(verify_chain(&entries, &self.audit_key, checkpoints))
    }

    /// A signed checkpoint of the chain's newest entry (`skillbridge audit-anchor`).
    pub(crate) async fn audit_checkpoint(&self) -> Result<Checkpoint> {
        self.flush_pending().await?;
        let head = sqlx::query("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::Config("the audit trail is empty".into()))?;
        Ok(Checkpoint::sign(
            &self.audit_key,
            head.try_get(0)?,
            &head.try_get::<String, _>(1)?,
            &skillbridge_core::dates::now(),
        ))
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
