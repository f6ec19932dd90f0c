//! The real differences between SQLite and PostgreSQL, all here: URLs, pragmas, migration
//! folders, locking for the audit chain, backup and integrity checks.

use crate::{Result, StoreError};
use sqlx::{AnyPool, Row};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Parses a database URL. `sqlite:PATH`, `sqlite://PATH` and `postgres://` / `postgresql://`
/// are accepted; anything else is an error (never silently a new file). SQLite files are created
/// with their folder.
pub fn parse_url(url: &str) -> Result<(Backend, String)> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_string()));
    }
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let path = rest.strip_prefix("//").unwrap_or(rest);
        let (path, _query) = path.split_once('?').unwrap_or((path, ""));
        if path.is_empty() || path == ":memory:" {
            return Err(StoreError::Config(
                "SQLite needs a file path (sqlite:./data/skillbridge.db); in-memory databases are not supported".into(),
            ));
        }
        if let Some(dir) = std::path::Path::new(path).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    StoreError::Config(format!("cannot create {}: {e}", dir.display()))
                })?;
            }
        }
        return Ok((Backend::Sqlite, format!("sqlite://{path}?mode=rwc")));
    }
    Err(StoreError::Config(format!(
        "unsupported database URL scheme in {:?}: use sqlite:PATH or postgres://USER@HOST/DB",
        url.split(':').next().unwrap_or("")
    )))
}

impl Backend {
    pub fn max_connections(self) -> u32 {
        match self {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        }
    }

    /// Run on every new connection. SQLite: WAL, foreign keys, FULL sync so that an acknowledged
    /// write survives power loss, and a busy timeout so writers queue instead of failing.
    pub fn connection_pragmas(self) -> &'static [&'static str] {
        match self {
            Backend::Sqlite => &[
                "PRAGMA journal_mode = WAL",
                "PRAGMA foreign_keys = ON",
                "PRAGMA synchronous = FULL",
                "PRAGMA busy_timeout = 10000",
            ],
            Backend::Postgres => &["SET TIME ZONE 'UTC'"],
        }
    }

    /// Run on the connection of a bulk write (an import) before it starts, and the statements
    /// that undo them after: SQLite's default page cache (2 MB) makes index maintenance of large
    /// tables read pages again and again; a larger cache for that one transaction avoids it
    /// without raising every pooled connection's memory.
    pub fn bulk_pragmas(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Backend::Sqlite => (
                &["PRAGMA cache_size = -131072"],
                &["PRAGMA cache_size = -2000", "PRAGMA shrink_memory"],
            ),
            Backend::Postgres => (&[], &[]),
        }
    }

    /// Taken at the start of a transaction that appends to the audit chain, so that writers in
    /// other processes append one at a time. SQLite needs none: its writers are serialised, and
    /// the first write of the transaction takes the lock before the chain head is read.
    pub fn audit_lock_sql(self) -> Option<&'static str> {
        match self {
            Backend::Sqlite => None,
            Backend::Postgres => Some("SELECT pg_advisory_xact_lock(7262001)"),
        }
    }
}

impl Backend {
    /// Run first in a transaction that writes bookings of one base (`$1`: the base's id), so that
    /// bookings of the same base are checked and written one transaction at a time, also across
    /// processes. PostgreSQL: a transaction-scoped advisory lock keyed on the base (class 7262002),
    /// released at commit or rollback. SQLite: a no-op write to the base's row, which makes the
    /// transaction take the database's write lock before it reads the existing bookings (a
    /// deferred transaction would otherwise read first and could fail to upgrade later).
    pub fn booking_lock_sql(self) -> &'static str {
        match self {
            Backend::Sqlite => "UPDATE training_bases SET updated_at = updated_at WHERE id = $1",
            Backend::Postgres => "SELECT pg_advisory_xact_lock(7262002, CAST($1 AS INTEGER))",
        }
    }
}

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

// The migrations, the same version numbers in both folders, listed by `build.rs`. Never edit
// an applied one: add one.
include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

pub async fn migrate(pool: &AnyPool, backend: Backend) -> Result<Vec<i64>> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .execute(pool)
    .await?;
    let mut applied_now = Vec::new();
    for m in MIGRATIONS {
        let mut tx = pool.begin().await?;
        if backend == Backend::Postgres {
            // Two servers starting at once migrate one after the other.
            sqlx::query("SELECT pg_advisory_xact_lock(7262000)")
                .execute(&mut *tx)
                .await?;
        }
        let done: i64 = sqlx::query("SELECT COUNT(*) FROM schema_migrations WHERE version = $1")
            .bind(m.version)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if done > 0 {
            continue;
        }
        let sql = match backend {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(m.version)
        .bind(m.name)
        .bind(skillbridge_core::dates::now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(version = m.version, name = m.name, "applied migration");
        applied_now.push(m.version);
    }
    Ok(applied_now)
}

pub async fn backup(pool: &AnyPool, backend: Backend, dest: &str) -> Result<()> {
    match backend {
        Backend::Sqlite => {
            if std::path::Path::new(dest).exists() {
                return Err(StoreError::Config(format!(
                    "{dest} exists; choose a new file"
                )));
            }
            // VACUUM INTO reads one snapshot, so the copy is consistent while writers continue.
            sqlx::query("VACUUM INTO $1")
                .bind(dest.to_string())
                .execute(pool)
                .await?;
            Ok(())
        }
        Backend::Postgres => Err(StoreError::Config(
            "on PostgreSQL use pg_dump (for example: pg_dump -Fc -f skillbridge.dump DBNAME)"
                .into(),
        )),
    }
}

pub async fn integrity_check(pool: &AnyPool, backend: Backend) -> Result<()> {
    match backend {
        Backend::Sqlite => {
            let r: String = sqlx::query("PRAGMA integrity_check")
                .fetch_one(pool)
                .await?
                .try_get(0)?;
            let fk = sqlx::query("PRAGMA foreign_key_check")
                .fetch_all(pool)
                .await?;
            if r == "ok" && fk.is_empty() {
                Ok(())
            } else {
                Err(StoreError::Config(format!(
                    "integrity check: {r}; {} foreign key problems",
                    fk.len()
                )))
            }
        }
        Backend::Postgres => {
            // PostgreSQL enforces constraints on every write; check that the catalog answers.
            sqlx::query("SELECT 1").execute(pool).await?;
            Ok(())
        }
    }
}
