//! The retention job (issue 11, item 3): applies the periods of `core::retention` to what the
//! database holds. One run, in one write transaction:
//!
//! - sessions past their absolute end or idle for longer than the idle timeout are removed;
//! - audit entries older than the audit period are archived: written to a file (one JSON
//!   object a line, every column with its hash) that is fsynced before the entries are
//!   removed, the file recorded in `audit_archives` with the last entry's sequence and hash,
//!   and the entries removed under the one-transaction grant that the trail's DELETE trigger
//!   asks for (migration 0012). It is the only path that removes audit entries;
//! - graduates whose graduation lies the configured number of years back have every personal
//!   field cleared (a required one, the ID number, takes `core::retention::anonymised_marker`),
//!   written by the store's one UPDATE of changed fields (`records::update_changed`), and are
//!   listed in `anonymised_records`;
//! - one audit entry records the counts (never a personal value).
//!
//! A dry run counts the same and changes nothing. The command line runs it (`skillbridge
//! retention`), and `serve` once a day.

use crate::records::{event, scopes, update_changed};
use crate::{Result, Store, StoreError};
use skillbridge_core::access::{Action, Actor};
use skillbridge_core::audit::{archive_line, sha256_hex, verify_archive, AuditEntry};
use skillbridge_core::modules::college::STUDENTS;
use skillbridge_core::retention::{
    anonymised_marker, graduation_date, RetentionPolicy, RetentionReport,
};
use skillbridge_core::schema::Pii;
use sqlx::{Any, Row};
use std::path::{Path, PathBuf};

/// What a run applies besides the periods.
#[derive(Debug, Clone)]
pub struct RetentionRun {
    pub policy: RetentionPolicy,
    /// The folder archive files are written to (created when missing).
    pub archive_dir: PathBuf,
    /// The sessions' idle timeout in seconds (the web setting `session_idle_minutes`).
    pub session_idle_secs: i64,
    /// Count only; change nothing.
    pub dry_run: bool,
}

type Tx = sqlx::Transaction<'static, Any>;

impl Store {
    /// Runs the retention job once (see the module's documentation).
    pub async fn retention(&self, run: &RetentionRun) -> Result<RetentionReport> {
        // Queued refusals and session activity are written first, so the job sees them.
        self.flush_pending().await?;
        let (_g, mut tx) = self.begin_write().await?;
        let mut report = RetentionReport {
            dry_run: run.dry_run,
            ..Default::default()
        };
        report.sessions_removed = self.expire_sessions(&mut tx, run).await?;
        let mut written: Option<PathBuf> = None;
        let archived = self.archive_audit(&mut tx, run, &mut written).await;
        let result = match archived {
            Ok(n) => {
                report.audit_archived = n;
                report.archive_file = written.as_ref().map(|p| p.display().to_string());
                self.anonymise_graduates(&mut tx, run).await
            }
            Err(e) => Err(e),
        };
        let outcome = match result {
            Ok(n) => {
                report.graduates_anonymised = n;
                if run.dry_run {
                    tx.rollback().await?;
                    return Ok(report);
                }
                let e = event(
                    &Actor::system(),
                    "retention",
                    "retention",
                    "retention",
                    &report.summary(),
                );
                match crate::audit::append(&mut tx, self, e).await {
                    Ok(()) => tx.commit().await.map_err(StoreError::from),
                    Err(e) => Err(e),
                }
            }
            Err(e) => Err(e),
        };
        if let Err(e) = outcome {
            // Nothing was removed: the file written for this run is not the archive of record.
            if let Some(p) = written {
                let _ = std::fs::remove_file(p);
            }
            return Err(e);
        }
        // The anonymised values leave the WAL now (the job is committed either way: a
        // checkpoint that cannot finish is logged, and the next one catches up).
        if report.graduates_anonymised > 0 || report.sessions_removed > 0 {
            if let Err(e) = self.checkpoint_wal().await {
                tracing::warn!(error = %e, "WAL checkpoint after the retention job");
            }
        }
        tracing::info!(summary = %report.summary(), "retention job ran");
        Ok(report)
    }

    async fn expire_sessions(&self, tx: &mut Tx, run: &RetentionRun) -> Result<u64> {
        let now = self.clock.now_text();
        let idle = self.clock.text_in(-run.session_idle_secs);
        let sql = if run.dry_run {
            "SELECT COUNT(*) FROM sessions WHERE expires_at <= $1 OR last_seen < $2"
        } else {
            "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen < $2"
        };
        let q = sqlx::query(sql).bind(now).bind(idle);
        if run.dry_run {
            Ok(q.fetch_one(&mut **tx).await?.try_get::<i64, _>(0)? as u64)
        } else {
            Ok(q.execute(&mut **tx).await?.rows_affected())
        }
    }

    /// Archives the entries older than the period: the longest prefix of the trail (in sequence
    /// order) that holds no entry of the period, so that nothing younger is ever removed.
    async fn archive_audit(
        &self,
        tx: &mut Tx,
        run: &RetentionRun,
        written: &mut Option<PathBuf>,
    ) -> Result<u64> {
        let cutoff = run.policy.audit_cutoff(self.clock.now());
        let first_recent: Option<i64> = sqlx::query("SELECT MIN(id) FROM audit_log WHERE at >= $1")
            .bind(cutoff.clone())
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?;
        let rows = match first_recent {
            Some(id) => {
                sqlx::query(&format!(
                    "SELECT {} FROM audit_log WHERE id < $1 ORDER BY id",
                    crate::audit::COLS
                ))
                .bind(id)
                .fetch_all(&mut **tx)
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {} FROM audit_log ORDER BY id",
                    crate::audit::COLS
                ))
                .fetch_all(&mut **tx)
                .await?
            }
        };
        let entries = rows
            .iter()
            .map(crate::audit::decode)
            .collect::<Result<Vec<AuditEntry>>>()?;
        let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
            return Ok(0);
        };
        if run.dry_run {
            return Ok(entries.len() as u64);
        }
        // A trail that does not verify is not archived: removing it would destroy the evidence.
        let start = crate::audit::archived_tail(&mut **tx).await?;
        let verified = verify_archive(&entries, &self.audit_key, &[])
            .map_err(|b| StoreError::Config(format!("not archiving the audit trail: {b}")))?;
        if verified.starts_from != start {
            return Err(StoreError::Config(format!(
                "not archiving the audit trail: entry {} does not link to the last archived entry",
                first.id
            )));
        }
        let text: String = entries.iter().map(|e| archive_line(e) + "\n").collect();
        let path = run
            .archive_dir
            .join(format!("audit-{:010}-{:010}.jsonl", first.id, last.id));
        write_synced(&run.archive_dir, &path, text.as_bytes())
            .map_err(|e| StoreError::Config(format!("audit archive {}: {e}", path.display())))?;
        *written = Some(path.clone());
        sqlx::query(
            "INSERT INTO audit_archives (file, sha256, entries, first_id, last_id, first_prev_hash, last_hash, archived_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(path.display().to_string())
        .bind(sha256_hex(text.as_bytes()))
        .bind(entries.len() as i64)
        .bind(first.id)
        .bind(last.id)
        .bind(first.prev_hash.clone())
        .bind(last.hash.clone())
        .bind(self.clock.now_text())
        .execute(&mut **tx)
        .await?;
        sqlx::query("INSERT INTO audit_purge_grant (up_to) VALUES ($1)")
            .bind(last.id)
            .execute(&mut **tx)
            .await?;
        let removed = sqlx::query("DELETE FROM audit_log WHERE id <= $1")
            .bind(last.id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM audit_purge_grant")
            .execute(&mut **tx)
            .await?;
        if removed != entries.len() as u64 {
            return Err(StoreError::Config(format!(
                "audit archive: read {} entries but removed {removed}",
                entries.len()
            )));
        }
        Ok(removed)
    }

    /// Clears the personal fields of the graduates whose period is over.
    async fn anonymise_graduates(&self, tx: &mut Tx, run: &RetentionRun) -> Result<u64> {
        let def = &STUDENTS;
        let rows = sqlx::query(
            "SELECT s.id, s.entry_year, p.duration_years, \
               (SELECT MAX(c.effective_date) FROM status_changes c \
                 WHERE c.student_id = s.id AND c.state = 'applied' AND c.to_status = 'graduated') \
             FROM students s JOIN programs p ON p.id = s.program_id \
             WHERE s.status = 'graduated' AND NOT EXISTS \
               (SELECT 1 FROM anonymised_records a WHERE a.resource = $1 AND a.record_id = s.id) \
             ORDER BY s.id",
        )
        .bind(def.name)
        .fetch_all(&mut **tx)
        .await?;
        let today = self.clock.now().date();
        let mut due = Vec::new();
        for r in &rows {
            let (id, entry_year, years): (i64, i64, i64) =
                (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            let applied: Option<String> = r.try_get(3)?;
            let graduated = graduation_date(applied.as_deref(), entry_year, years);
            if run.policy.graduate_due(&graduated, today) {
                due.push(id);
            }
        }
        if run.dry_run {
            return Ok(due.len() as u64);
        }
        let system = Actor::system();
        let scopes = scopes(&system, Action::Update, def)?;
        for &id in &due {
            let old = self
                .fetch_scoped(&mut **tx, def, id, &scopes)
                .await?
                .ok_or(StoreError::NotFound)?;
            let mut rec = old.clone();
            for f in def.fields.iter().filter(|f| f.pii != Pii::None) {
                let v = if f.required {
                    serde_json::Value::String(anonymised_marker(id))
                } else {
                    serde_json::Value::Null
                };
                rec.insert(f.name.to_string(), v);
            }
            if let (_, Some(update)) = update_changed(def, &rec, &old, id) {
                update.query().execute(&mut **tx).await?;
            }
            sqlx::query(
                "INSERT INTO anonymised_records (resource, record_id, anonymised_at) VALUES ($1, $2, $3)",
            )
            .bind(def.name)
            .bind(id)
            .bind(self.clock.now_text())
            .execute(&mut **tx)
            .await?;
        }
        Ok(due.len() as u64)
    }

    /// Whether the retention job anonymised this record.
    pub async fn anonymised(&self, resource: &str, id: i64) -> Result<bool> {
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) FROM anonymised_records WHERE resource = $1 AND record_id = $2",
        )
        .bind(resource.to_string())
        .bind(id)
        .fetch_one(&self.pool)
        .await?
        .try_get(0)?;
        Ok(n > 0)
    }

    /// The archives recorded, oldest first: file, first and last sequence, last hash.
    pub async fn audit_archives(&self) -> Result<Vec<ArchiveRecord>> {
        let rows = sqlx::query(
            "SELECT file, sha256, first_id, last_id, first_prev_hash, last_hash FROM audit_archives ORDER BY last_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ArchiveRecord {
                    file: r.try_get(0)?,
                    sha256: r.try_get(1)?,
                    first_id: r.try_get(2)?,
                    last_id: r.try_get(3)?,
                    first_prev_hash: r.try_get(4)?,
                    last_hash: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// The first entry left in the database (after the archived ones): its sequence and the
    /// hash it links to. `None` when the trail is empty.
    pub async fn audit_first_remaining(&self) -> Result<Option<(i64, String)>> {
        self.flush_pending().await?;
        let row = sqlx::query("SELECT id, prev_hash FROM audit_log ORDER BY id LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }
}

/// One archive the retention job recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveRecord {
    pub file: String,
    pub sha256: String,
    pub first_id: i64,
    pub last_id: i64,
    pub first_prev_hash: String,
    pub last_hash: String,
}

/// Writes `bytes` to `path` through a temporary file in the same folder (readable by its owner
/// only): written, fsynced, renamed into place, and the folder fsynced, so that the file is on
/// disk before the entries it holds are removed.
fn write_synced(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let tmp = path.with_extension("jsonl.tmp");
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)?;
    std::fs::File::open(dir)?.sync_all()
}
