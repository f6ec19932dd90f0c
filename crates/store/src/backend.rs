//! The real differences between SQLite and PostgreSQL, all here: URLs, pragmas, migration
//! folders, locking for the audit chain, backup and integrity checks, how a unique violation
//! names its key, bulk `INSERT` limits, and reading a table's shape from the catalog.

use crate::{Result, StoreError};
use skillbridge_core::schema;
use sqlx::error::DatabaseError;
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
    /// write survives power loss, a busy timeout so writers queue instead of failing, and
    /// `secure_delete` so that deleted content is overwritten with zeros (in the page and on the
    /// freelist) instead of lingering in the file (SECURITY.md, "Deleted means gone").
    pub fn connection_pragmas(self) -> &'static [&'static str] {
        match self {
            Backend::Sqlite => &[
                "PRAGMA journal_mode = WAL",
                "PRAGMA foreign_keys = ON",
                "PRAGMA synchronous = FULL",
                "PRAGMA busy_timeout = 10000",
                "PRAGMA secure_delete = ON",
            ],
            Backend::Postgres => &["SET TIME ZONE 'UTC'"],
        }
    }

    /// Run on the connection of a bulk write (an import) before it starts, and the statements
    /// that undo them after: SQLite's default page cache (2 MB) makes index maintenance of large
    /// tables read pages again and again; a larger cache for that one transaction avoids it
    /// without raising every pooled connection's memory. 32 MiB: it was 128 MiB, which alone was
    /// most of the 300 MB that an import at the upload limit may cost (issue 9, item 4); the
    /// 100,000-row import benchmark fits in 32 MiB.
    pub fn bulk_pragmas(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Backend::Sqlite => (
                &["PRAGMA cache_size = -32768"],
                &["PRAGMA cache_size = -2000", "PRAGMA shrink_memory"],
            ),
            Backend::Postgres => (&[], &[]),
        }
    }

    /// How a write transaction begins. SQLite: `BEGIN IMMEDIATE`, which takes the write lock at
    /// once, waiting up to the busy timeout, so that a transaction that reads before it writes
    /// can never fail with "database is locked" (`SQLITE_BUSY_SNAPSHOT`) because another process
    /// wrote in between. PostgreSQL: a plain `BEGIN` (its locks are per row, and the audit lock
    /// below orders the appends).
    pub fn begin_write_sql(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        }
    }

    /// Where the audit key file is kept when no setting names it: next to a SQLite database
    /// (`PATH.audit-key`), so that a copy of the folder with the database does not move the key
    /// elsewhere unnoticed; for PostgreSQL, `./data/audit.key`.
    pub fn default_audit_key_path(url: &str) -> std::path::PathBuf {
        match url.strip_prefix("sqlite:") {
            Some(rest) => {
                let path = rest.strip_prefix("//").unwrap_or(rest);
                let path = path.split_once('?').map_or(path, |(p, _)| p);
                std::path::PathBuf::from(format!("{path}.audit-key"))
            }
            None => std::path::PathBuf::from("./data/audit.key"),
        }
    }

    /// The attachment store's default folder: beside a SQLite database (`PATH.files`), else
    /// `./data/files` (set `attachments_dir` on PostgreSQL).
    pub fn default_files_dir(url: &str) -> std::path::PathBuf {
        match url.strip_prefix("sqlite:") {
            Some(rest) => {
                let path = rest.strip_prefix("//").unwrap_or(rest);
                let path = path.split_once('?').map_or(path, |(p, _)| p);
                std::path::PathBuf::from(format!("{path}.files"))
            }
            None => std::path::PathBuf::from("./data/files"),
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
    /// Whether long statements (batched `IN` lists, multi-row `INSERT`s) use plain `?`
    /// placeholders, each bound once in order. SQLite looks a numbered placeholder up by name
    /// with a linear scan, so a statement with thousands of `$n` costs quadratic time; PostgreSQL
    /// knows only `$n`.
    pub fn positional_placeholders(self) -> bool {
        self == Backend::Sqlite
    }

    /// Appends the placeholder of the `n`th (from 1) bound value of a long statement.
    pub fn push_placeholder(self, text: &mut String, n: usize) {
        if self.positional_placeholders() {
            text.push('?');
        } else {
            text.push('$');
            text.push_str(&n.to_string());
        }
    }

    /// The clause that makes a multi-row `INSERT` return `columns` of its rows: PostgreSQL's
    /// `RETURNING`. SQLite gets `None`: its ids come from [`Backend::consecutive_insert_ids`],
    /// one read of the last rowid instead of a row back per inserted row.
    pub fn insert_returning(self, columns: &str) -> Option<String> {
        match self {
            Backend::Sqlite => None,
            Backend::Postgres => Some(format!(" RETURNING {columns}")),
        }
    }

    /// The first and last id of the `rows` rows that the last multi-row `INSERT` of `tx` wrote,
    /// where [`Backend::insert_returning`] is `None`. SQLite gives the rows of one `INSERT`
    /// consecutive ids in VALUES order (one more than the largest so far, under the write lock),
    /// so the last id names them all; the caller confirms the first by its key.
    pub async fn consecutive_insert_ids(
        self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        rows: usize,
    ) -> Result<(i64, i64)> {
        let last: i64 = match self {
            Backend::Sqlite => sqlx::query("SELECT last_insert_rowid()")
                .fetch_one(&mut **tx)
                .await?
                .try_get(0)?,
            Backend::Postgres => {
                return Err(StoreError::Config(
                    "PostgreSQL inserts return their ids (RETURNING)".into(),
                ))
            }
        };
        Ok((last - rows as i64 + 1, last))
    }

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

/// A unique key of the migrations: its table and its columns in the order of its definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueKey {
    pub table: &'static str,
    pub columns: Vec<&'static str>,
}

impl UniqueKey {
    /// The name PostgreSQL gives the constraint of `UNIQUE` written in `CREATE TABLE` without a
    /// name: `table_col1_col2_key` (every name here is far below its 63-byte limit).
    pub fn postgres_name(&self) -> String {
        format!("{}_{}_key", self.table, self.stored_columns().join("_"))
    }

    /// The columns the database's key is on: a personal field's uniqueness is kept on its blind
    /// index column (`crate::crypt`), which a violation names.
    pub fn stored_columns(&self) -> Vec<String> {
        let def = schema::RESOURCES.iter().find(|d| d.table == self.table);
        self.columns
            .iter()
            .map(|c| match def.and_then(|d| d.field(c)) {
                Some(f) if f.pii != schema::Pii::None => crate::crypt::bidx_column(c),
                _ => (*c).to_string(),
            })
            .collect()
    }
}

/// The unique keys of tables that have no record description. A key over several columns of a
/// record type is declared with it (`ResourceDef::unique_together`);
/// `crates/store/tests/schema_matches_migrations.rs` fails on a key declared nowhere.
const OTHER_UNIQUE_KEYS: &[(&str, &[&str])] = &[("users", &["username"])];

/// Every unique key of the migrations: each `unique` field and `unique_together` key of
/// `schema::RESOURCES`, and [`OTHER_UNIQUE_KEYS`].
pub fn unique_keys() -> Vec<UniqueKey> {
    let from_schema = schema::RESOURCES.iter().flat_map(|def| {
        let single = def.fields.iter().filter(|f| f.unique).map(|f| UniqueKey {
            table: def.table,
            columns: vec![f.name],
        });
        let together = def.unique_together.iter().map(|cols| UniqueKey {
            table: def.table,
            columns: cols.to_vec(),
        });
        single.chain(together)
    });
    let others = OTHER_UNIQUE_KEYS.iter().map(|(table, columns)| UniqueKey {
        table,
        columns: columns.to_vec(),
    });
    from_schema.chain(others).collect()
}

/// The unique key that a unique violation broke, or `None` for a key missing from
/// [`unique_keys`]. PostgreSQL names the constraint, which is matched against each key's
/// [`UniqueKey::postgres_name`]. SQLite names no constraint: its message lists the key's columns
/// (`UNIQUE constraint failed: students.student_no`), which is matched against each key's table
/// and columns; this is the one place that reads a database's message.
pub(crate) fn violated_unique_key(db: &dyn DatabaseError) -> Option<UniqueKey> {
    let keys = unique_keys();
    if let Some(name) = db.constraint() {
        return keys.into_iter().find(|k| k.postgres_name() == name);
    }
    let listed = db.message().strip_prefix("UNIQUE constraint failed: ")?;
    let columns: Vec<(&str, &str)> = listed
        .split(", ")
        .map(|c| c.split_once('.'))
        .collect::<Option<_>>()?;
    keys.into_iter().find(|k| {
        k.columns.len() == columns.len()
            && columns
                .iter()
                .zip(k.stored_columns())
                .all(|((t, c), kc)| *t == k.table && *c == kc)
    })
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
    // SQLite: every migration runs on one connection with foreign keys off, as SQLite's own
    // procedure for rebuilding a table requires (a rebuilt table referenced by others would
    // otherwise be emptied by its DROP), and checks them before it commits.
    let mut conn = pool.acquire().await?;
    if backend == Backend::Sqlite {
        sqlx::query("PRAGMA foreign_keys = OFF")
            .execute(&mut *conn)
            .await?;
    }
    let applied = migrate_on(&mut conn, backend).await;
    if backend == Backend::Sqlite {
        sqlx::query("PRAGMA foreign_keys = ON")
            .execute(&mut *conn)
            .await?;
    }
    applied
}

async fn migrate_on(
    conn: &mut sqlx::pool::PoolConnection<sqlx::Any>,
    backend: Backend,
) -> Result<Vec<i64>> {
    use sqlx::Connection;
    let mut applied_now = Vec::new();
    for m in MIGRATIONS {
        let mut tx = conn.begin().await?;
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
        if backend == Backend::Sqlite {
            let broken = sqlx::query("PRAGMA foreign_key_check")
                .fetch_all(&mut *tx)
                .await?;
            if !broken.is_empty() {
                return Err(StoreError::Config(format!(
                    "migration {} ({}) leaves {} rows with a broken foreign key",
                    m.version,
                    m.name,
                    broken.len()
                )));
            }
        }
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

/// SQLite: `PRAGMA wal_checkpoint(TRUNCATE)`, an error when it could not finish (busy: a reader
/// or writer held on past the busy timeout, or another checkpoint ran throughout). PostgreSQL: nothing (its WAL is the server's).
pub async fn checkpoint_wal(pool: &AnyPool, backend: Backend) -> Result<()> {
    if backend != Backend::Sqlite {
        return Ok(());
    }
    // Another checkpoint running (the background one after a deletion) makes this one return
    // busy at once rather than wait: try again for up to five seconds.
    for _ in 0..50 {
        let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(pool)
            .await?;
        let busy: i64 = row.try_get(0)?;
        if busy == 0 {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Err(StoreError::Config(
        "the WAL checkpoint could not finish: the database stayed busy".into(),
    ))
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

/// What `Store::check` found: the database's own integrity report and every row whose
/// reference points at nothing. Empty lists mean the database is sound.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CheckReport {
    /// Problems the integrity check reports, one line each (SQLite's `PRAGMA integrity_check`;
    /// on PostgreSQL, constraints that are not validated).
    pub integrity: Vec<String>,
    /// Rows whose foreign key names a missing row (SQLite's `PRAGMA foreign_key_check`;
    /// PostgreSQL enforces foreign keys on every write, so its list is always empty).
    pub foreign_keys: Vec<ForeignKeyProblem>,
}

/// One row that refers to a missing row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ForeignKeyProblem {
    pub table: String,
    pub rowid: Option<i64>,
    pub parent: String,
}

impl CheckReport {
    /// Whether the database passed both checks.
    pub fn ok(&self) -> bool {
        self.integrity.is_empty() && self.foreign_keys.is_empty()
    }

    /// One line for logs and errors.
    pub fn summary(&self) -> String {
        format!(
            "integrity check: {}; {} foreign key problems",
            if self.integrity.is_empty() {
                "ok".to_string()
            } else {
                self.integrity.join("; ")
            },
            self.foreign_keys.len()
        )
    }
}

/// The integrity and foreign-key checks. They read the whole database, so only the `check`
/// command and the admin-only route run them.
pub async fn check(pool: &AnyPool, backend: Backend) -> Result<CheckReport> {
    match backend {
        Backend::Sqlite => {
            let mut report = CheckReport::default();
            for r in sqlx::query("PRAGMA integrity_check")
                .fetch_all(pool)
                .await?
            {
                let line: String = r.try_get(0)?;
                if line != "ok" {
                    report.integrity.push(line);
                }
            }
            // Columns: table, rowid (NULL for a WITHOUT ROWID table), parent, foreign key id.
            for r in sqlx::query("PRAGMA foreign_key_check")
                .fetch_all(pool)
                .await?
            {
                report.foreign_keys.push(ForeignKeyProblem {
                    table: r.try_get(0)?,
                    rowid: r.try_get(1)?,
                    parent: r.try_get(2)?,
                });
            }
            Ok(report)
        }
        Backend::Postgres => {
            // PostgreSQL enforces constraints on every write; what can still be wrong is a
            // constraint added `NOT VALID` and never validated.
            let rows = sqlx::query(
                "SELECT c.conrelid::regclass::text, c.conname::text FROM pg_constraint c \
                 JOIN pg_namespace n ON n.oid = c.connamespace \
                 WHERE n.nspname = current_schema() AND NOT c.convalidated ORDER BY 1, 2",
            )
            .fetch_all(pool)
            .await?;
            let mut report = CheckReport::default();
            for r in rows {
                let table: String = r.try_get(0)?;
                let name: String = r.try_get(1)?;
                report
                    .integrity
                    .push(format!("constraint {name} on {table} is not validated"));
            }
            Ok(report)
        }
    }
}

/// A table as the database's catalog describes it, the same on both backends: what the test
/// `schema_matches_migrations` compares with the record descriptions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableShape {
    /// Columns in their order, each `(name, stored as an integer, NOT NULL)`.
    pub columns: Vec<(String, bool, bool)>,
    /// The primary key's columns.
    pub primary_key: Vec<String>,
    /// Unique keys other than the primary key: `(name, columns)`. PostgreSQL gives the
    /// constraint's name; SQLite's `sqlite_autoindex_...` names mean nothing, and are left empty.
    pub unique: Vec<(String, Vec<String>)>,
    /// Foreign keys: `(column, referenced table, referenced column)`.
    pub references: Vec<(String, String, String)>,
}

/// Reads `table`'s shape from the catalog: SQLite's `pragma_table_info`, `pragma_index_list`,
/// `pragma_index_info` and `pragma_foreign_key_list`; PostgreSQL's `information_schema`.
pub async fn table_shape(pool: &AnyPool, backend: Backend, table: &str) -> Result<TableShape> {
    match backend {
        Backend::Sqlite => sqlite_table_shape(pool, table).await,
        Backend::Postgres => postgres_table_shape(pool, table).await,
    }
}

fn text(r: &sqlx::any::AnyRow, i: usize) -> std::result::Result<String, sqlx::Error> {
    r.try_get::<String, _>(i)
}

/// [`table_shape`] from SQLite's pragmas.
async fn sqlite_table_shape(pool: &AnyPool, table: &str) -> Result<TableShape> {
    let mut shape = TableShape::default();
    let rows =
        sqlx::query(r#"SELECT name, type, "notnull", pk FROM pragma_table_info($1) ORDER BY cid"#)
            .bind(table.to_string())
            .fetch_all(pool)
            .await?;
    let mut pk: Vec<(i64, String)> = Vec::new();
    for r in &rows {
        let (name, ty) = (text(r, 0)?, text(r, 1)?.to_ascii_uppercase());
        let not_null = r.try_get::<i64, _>(2)? != 0;
        let pk_pos: i64 = r.try_get(3)?;
        if pk_pos > 0 {
            pk.push((pk_pos, name.clone()));
        }
        // SQLite's type affinity: a declared type containing INT is an integer.
        shape
            .columns
            .push((name, ty.contains("INT"), not_null || pk_pos > 0));
    }
    pk.sort();
    shape.primary_key = pk.into_iter().map(|(_, n)| n).collect();
    let indexes = sqlx::query(
        r#"SELECT name, origin FROM pragma_index_list($1) WHERE "unique" = 1 ORDER BY name"#,
    )
    .bind(table.to_string())
    .fetch_all(pool)
    .await?;
    for ix in &indexes {
        let (name, origin) = (text(ix, 0)?, text(ix, 1)?);
        if origin == "pk" {
            continue;
        }
        let cols = sqlx::query("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
            .bind(name.clone())
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| text(r, 0))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let name = if origin == "u" { String::new() } else { name };
        shape.unique.push((name, cols));
    }
    for r in sqlx::query(
        r#"SELECT "from", "table", "to" FROM pragma_foreign_key_list($1) ORDER BY id, seq"#,
    )
    .bind(table.to_string())
    .fetch_all(pool)
    .await?
    {
        shape
            .references
            .push((text(&r, 0)?, text(&r, 1)?, text(&r, 2)?));
    }
    Ok(shape)
}

/// [`table_shape`] from PostgreSQL's `information_schema`.
async fn postgres_table_shape(pool: &AnyPool, table: &str) -> Result<TableShape> {
    let mut shape = TableShape::default();
    // information_schema's own types (sql_identifier, ...) are cast to text for the
    // `Any` driver.
    for r in sqlx::query(
        "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT), CAST(is_nullable AS TEXT) \
         FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table.to_string())
    .fetch_all(pool)
    .await?
    {
        let ty = text(&r, 1)?;
        shape.columns.push((
            text(&r, 0)?,
            matches!(ty.as_str(), "integer" | "bigint" | "smallint"),
            text(&r, 2)? == "NO",
        ));
    }
    let keys = sqlx::query(
        "SELECT CAST(tc.constraint_type AS TEXT), CAST(tc.constraint_name AS TEXT), \
                CAST(k.column_name AS TEXT) \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage k \
           ON k.constraint_schema = tc.constraint_schema \
          AND k.constraint_name = tc.constraint_name \
         WHERE tc.table_schema = current_schema() AND tc.table_name = $1 \
           AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE') \
         ORDER BY tc.constraint_name, k.ordinal_position",
    )
    .bind(table.to_string())
    .fetch_all(pool)
    .await?;
    for r in &keys {
        let (kind, name, col) = (text(r, 0)?, text(r, 1)?, text(r, 2)?);
        if kind == "PRIMARY KEY" {
            shape.primary_key.push(col);
        } else {
            match shape.unique.last_mut() {
                Some((n, cols)) if *n == name => cols.push(col),
                _ => shape.unique.push((name, vec![col])),
            }
        }
    }
    for r in sqlx::query(
        "SELECT CAST(k.column_name AS TEXT), CAST(c.table_name AS TEXT), \
                CAST(c.column_name AS TEXT) \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage k \
           ON k.constraint_schema = tc.constraint_schema \
          AND k.constraint_name = tc.constraint_name \
         JOIN information_schema.constraint_column_usage c \
           ON c.constraint_schema = tc.constraint_schema \
          AND c.constraint_name = tc.constraint_name \
         WHERE tc.table_schema = current_schema() AND tc.table_name = $1 \
           AND tc.constraint_type = 'FOREIGN KEY' \
         ORDER BY tc.constraint_name, k.ordinal_position",
    )
    .bind(table.to_string())
    .fetch_all(pool)
    .await?
    {
        shape
            .references
            .push((text(&r, 0)?, text(&r, 1)?, text(&r, 2)?));
    }
    Ok(shape)
}
