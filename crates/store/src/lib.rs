//! SkillBridge storage: one interface, [`Store`], over SQLite and PostgreSQL.
//!
//! Layout and where to start reading:
//! - [`Store::open`] (here): picks the backend from the URL, applies pragmas, runs migrations,
//!   loads reference data.
//! - `backend.rs`: every real difference between the two databases, in one place: URL parsing,
//!   connection pragmas, migration folders, the audit lock, backup.
//! - `records.rs`: list, get, create, update, delete and reveal for every record type described in
//!   `skillbridge_core::schema`. The SQL is generated once from the descriptions and runs on both.
//! - `scope.rs`: row scoping. Every records call takes the [`Actor`] and applies its scope inside the
//!   SQL, so a handler cannot forget it.
//! - `accounts.rs`: users, roles, sessions, login failures.
//! - `crypt.rs`: personal fields encrypted at rest (AES-256-GCM) and their blind indexes; the
//!   key ring of the process, read by the record paths of `records.rs`; `pii_keys.rs`: what is
//!   stored under which key, and the online re-encryption of `rotate-pii-key`.
//! - `clock.rs`: the time the store decides by (lock expiry, session ends); tests move it.
//! - `audit.rs`: the append-only audit trail, chained with an HMAC under the audit key (kept
//!   outside the database: `load_or_create_key`), and its checkpoints.
//! - `pending.rs`: refusals queued for the audit trail (aggregated, bounded, never dropped) and
//!   session activity, written in one batched write transaction.
//! - `bookings.rs`: conflict-checked bookings of training bases, calendars, utilisation.
//! - `allocation.rs`: the order class workflow: students' ranked lists, sponsors' scores,
//!   allocation runs, publication, offers and refills (rules in `core::order_class`).
//!
//! - `testing.rs`, `raw_execute_for_tests`, `age_sessions_for_tests`: test-only helpers, compiled
//!   only with the `test-helpers` feature, which only dev-dependencies enable.
//!
//! Queries go through sqlx's `Any` driver with `$1` placeholders (SQLite accepts them too), so each
//! query is written once. Values are bound by field kind, never interpolated.

mod accounts;
mod audit;
mod backend;
mod batch;
mod clock;
pub mod crypt;
mod modules;
mod pending;
mod pii_keys;
mod records;
mod retention;
mod scope;
mod sheets;
mod sheets_derive;
#[cfg(feature = "test-helpers")]
pub mod testing;

pub use accounts::{LoginState, SessionInfo, UserInfo};
pub use audit::load_or_create_key;
pub use backend::{unique_keys, Backend, CheckReport, ForeignKeyProblem, TableShape, UniqueKey};
pub use batch::{BatchReport, RowResult};
pub use clock::Clock;
pub use modules::attachments::{AttachmentFile, Upload};
pub use modules::bases::{BaseUtilisation, BookingView};
pub use modules::order_classes::{
    college_today, CheckOutcome, ReviewFilter, RunResult, ScoreInput, ALLOCATION_RESULTS,
    REVIEW_OUTCOMES,
};
pub use modules::privacy::{SubjectAccess, SubjectSection};
pub use modules::research::IncomeLine;
pub use modules::status_changes::today as status_changes_today;
pub use modules::todos::{OutboxMail, TodoEntry, TodoList};
pub use pending::{FLUSH_EVERY, MAX_KEYS};
pub use pii_keys::{PiiColumn, Reencrypted};
pub use records::{describe_query, ListQuery, Page, MAX_SELECTION};
pub use retention::{ArchiveRecord, RetentionRun};
pub use sheets::{ExportCursor, ImportTo, SheetBatch, SheetRow, STREAM_BATCH};

use skillbridge_core::modules::reference::{COUNTRIES, INDUSTRIES, KEY_INDUSTRIES, REGIONS};
use skillbridge_core::schema::FieldError;
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Everything a storage call can answer besides success.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("not permitted")]
    Denied,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// A write or workflow step refused because of what is stored: a stable code that clients
    /// match on (`already_published`, `booking_conflict`, `in_use`, ...) and the message in both
    /// languages, passed to the client unchanged. A booking conflict's message names the booking
    /// in the way (id, who, when).
    #[error("conflict {code}: {en}")]
    Conflict {
        code: &'static str,
        zh: String,
        en: String,
    },
    /// A list or export query refused because it would sort, compare or search by a personal
    /// field (`core::privacy`): answered `400 personal_field_query` with this field error.
    #[error("personal field query: {}", .0.code)]
    PersonalQuery(FieldError),
    #[error("configuration: {0}")]
    Config(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("injected fault: {0}")]
    Fault(&'static str),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Every code a [`StoreError::Conflict`] carries. The OpenAPI document lists them, and the pages
/// have a message for each (`web/src/i18n.ts`, `err.<code>`).
pub const CONFLICT_CODES: &[&str] = &[
    "duplicate",
    "in_use",
    "changed_concurrently",
    "booking_conflict",
    "already_published",
    "already_refilled",
    "already_decided",
    "has_status_history",
    "open_request",
    "plan_frozen",
    "plan_status",
];

impl StoreError {
    /// A conflict with its code (one of [`CONFLICT_CODES`]) and its message in Chinese and
    /// English.
    pub fn conflict(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        debug_assert!(
            CONFLICT_CODES.contains(&code),
            "unlisted conflict code {code}"
        );
        StoreError::Conflict {
            code,
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The code of a conflict (`None` for the other errors).
    pub fn conflict_code(&self) -> Option<&'static str> {
        match self {
            StoreError::Conflict { code, .. } => Some(code),
            _ => None,
        }
    }

    /// Other records still refer to this one.
    pub(crate) fn in_use() -> Self {
        Self::conflict(
            "in_use",
            "仍被其他记录引用",
            "still referred to by other records",
        )
    }

    /// The record changed between reading and writing; the client may try again.
    pub(crate) fn changed_concurrently() -> Self {
        Self::conflict(
            "changed_concurrently",
            "记录已被他人修改，请重试",
            "changed by someone else meanwhile; try again",
        )
    }
}

/// Faults that tests switch on to prove that the server fails closed (SECURITY goal 24).
/// Off in every normal run; they sit in the real code paths they break.
#[derive(Debug, Default)]
pub struct Faults {
    pub permission_lookup: AtomicBool,
    pub audit_write: AtomicBool,
    pub session_store: AtomicBool,
}

impl Faults {
    fn check(flag: &AtomicBool, what: &'static str) -> Result<()> {
        if flag.load(Ordering::Relaxed) {
            Err(StoreError::Fault(what))
        } else {
            Ok(())
        }
    }
}

/// The storage interface. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Serialises audit appends within this process (the chain needs the previous hash);
    /// PostgreSQL additionally takes a transaction-scoped advisory lock for several processes.
    audit_lock: Arc<tokio::sync::Mutex<()>>,
    /// The key of the audit chain; it lives outside the database (see `audit::load_or_create_key`).
    audit_key: Arc<skillbridge_core::audit::AuditKey>,
    /// Refusals and session activity waiting for their batched write (`pending.rs`).
    pending: Arc<pending::Pending>,
    pub faults: Arc<Faults>,
    /// Counts that tests and operators read (shared by every clone of this store).
    pub counters: Arc<Counters>,
    /// Where the store reads the time that decides locks and sessions (shared by every clone;
    /// only tests move it, through `testing::advance_clock`).
    pub clock: Clock,
    /// The attachment store's folder (`modules/attachments`): beside a SQLite database by
    /// default (`Backend::default_files_dir`), or as configured ([`Store::with_files_dir`]).
    files_dir: Arc<std::path::PathBuf>,
    /// A WAL checkpoint after a deletion or overwrite of personal data is queued (one at a
    /// time: deletions in a burst share it; see [`Store::personal_data_removed`]).
    checkpoint_queued: Arc<AtomicBool>,
}

/// Counters of work done, for tests that prove a bound (e.g. at most five password checks per
/// account under a burst of guesses) and for operators.
#[derive(Debug, Default)]
pub struct Counters {
    /// Password hashes verified at sign-in (known and unknown usernames alike).
    pub password_checks: std::sync::atomic::AtomicU64,
    /// Password hashes being computed right now (verifications and hashing alike).
    pub password_checks_in_flight: std::sync::atomic::AtomicU64,
    /// The most that were ever in flight at once: never above the web layer's cap.
    pub password_checks_peak: std::sync::atomic::AtomicU64,
    /// Trivial queries asked by the health route ([`Store::ping`]).
    pub pings: std::sync::atomic::AtomicU64,
}

impl Store {
    /// Opens the database named by `url` (`sqlite:PATH` or `postgres://...`), runs the migrations
    /// and loads reference data on first start. The audit key is read from its default file
    /// (`Backend::default_audit_key_path`: next to a SQLite database), created there if absent.
    ///
    /// When the key file is created by this call, a trail written before the keyed chain (an
    /// older version's database) is put under the new key (`audit_rekey`).
    pub async fn open(url: &str) -> Result<Store> {
        let (key, created) = load_or_create_key(&Backend::default_audit_key_path(url))?;
        Self::open_with(url, key, created).await
    }

    /// [`Store::open`] with the audit key given (from a configured file or variable).
    pub async fn open_with_key(url: &str, key: skillbridge_core::audit::AuditKey) -> Result<Store> {
        Self::open_with(url, key, false).await
    }

    /// Opens with the audit key given. If the newest audit entry is not keyed (a trail written
    /// before the keyed chain), `rekey_legacy` puts it under the key (the key was made just now
    /// for this database, or the operator ran `skillbridge audit-rekey`); otherwise the open
    /// fails: a trail that has become unkeyed after the key existed was rewritten without it,
    /// and blessing it silently would hide that.
    pub async fn open_with(
        url: &str,
        key: skillbridge_core::audit::AuditKey,
        rekey_legacy: bool,
    ) -> Result<Store> {
        let store = Self::connect_with_key(url, key).await?;
        store.migrate().await?;
        store.seed_reference().await?;
        store.check_chain_head(rekey_legacy).await?;
        Ok(store)
    }

    /// Connects without migrating, with the audit key from its default file.
    pub async fn connect(url: &str) -> Result<Store> {
        let (key, _) = load_or_create_key(&Backend::default_audit_key_path(url))?;
        Self::connect_with_key(url, key).await
    }

    /// Connects without migrating.
    pub async fn connect_with_key(
        url: &str,
        key: skillbridge_core::audit::AuditKey,
    ) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let files_dir = Arc::new(Backend::default_files_dir(url));
        let (backend, url) = backend::parse_url(url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(backend.max_connections())
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    for p in backend.connection_pragmas() {
                        sqlx::query(p).execute(&mut *conn).await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        Ok(Store {
            pool,
            backend,
            audit_lock: Arc::default(),
            audit_key: Arc::new(key),
            pending: Arc::default(),
            faults: Arc::default(),
            counters: Arc::default(),
            clock: Clock::default(),
            files_dir,
            checkpoint_queued: Arc::default(),
        })
    }

    /// The same store with its attachments kept in `dir` (the `attachments_dir` setting).
    pub fn with_files_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Store {
        self.files_dir = Arc::new(dir.into());
        self
    }

    /// The attachment store's folder.
    pub fn files_dir(&self) -> &std::path::Path {
        &self.files_dir
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies every migration not yet applied, each in its own transaction.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        backend::migrate(&self.pool, self.backend).await
    }

    /// Writes a consistent copy of a SQLite database to `dest` while the server runs, and the
    /// attachment store beside it (`DEST.files`, the folder a store opened on `dest` uses by
    /// default). Files are copied after the database snapshot: they are never changed once
    /// stored and each is in place before its row commits, so every file the copy names is there.
    pub async fn backup(&self, dest: &str) -> Result<()> {
        backend::backup(&self.pool, self.backend, dest).await?;
        self.attachments()
            .copy_files_to(&Backend::default_files_dir(&format!("sqlite:{dest}")))
            .await
    }

    /// Runs the database's own integrity check; `Ok(())` when it passes (see [`Store::check`]
    /// for the report).
    pub async fn integrity_check(&self) -> Result<()> {
        let report = self.check().await?;
        if report.ok() {
            Ok(())
        } else {
            Err(StoreError::Config(report.summary()))
        }
    }

    /// The database's integrity and foreign-key checks, with every problem found. They read the
    /// whole database: `skillbridge check` and the admin-only `GET /api/admin/check` run them,
    /// never the public health route.
    pub async fn check(&self) -> Result<CheckReport> {
        backend::check(&self.pool, self.backend).await
    }

    /// Copies the SQLite WAL back into the database file and truncates it to zero bytes
    /// (`PRAGMA wal_checkpoint(TRUNCATE)`): after a deletion of personal data, the page images
    /// that still held the values leave the WAL, and the database file gets the pages that
    /// `secure_delete` zeroed. It waits (up to the busy timeout) for readers of older snapshots
    /// and for the writer; a checkpoint that could not finish is an error. PostgreSQL: nothing
    /// to do here (see SECURITY.md, "Deleted means gone", for its routine).
    pub async fn checkpoint_wal(&self) -> Result<()> {
        backend::checkpoint_wal(&self.pool, self.backend).await
    }

    /// Called after a committed deletion or overwrite of personal data: queues one WAL
    /// checkpoint ([`Store::checkpoint_wal`]) in the background, so that the request that
    /// deleted does not wait for it, and a burst of deletions is followed by one checkpoint
    /// rather than one each. Not called after other writes.
    pub(crate) fn personal_data_removed(&self) {
        if self.backend != Backend::Sqlite || self.checkpoint_queued.swap(true, Ordering::AcqRel) {
            return;
        }
        let store = self.clone();
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                store.checkpoint_queued.store(false, Ordering::Release);
                if let Err(e) = store.checkpoint_wal().await {
                    tracing::warn!(error = %e, "WAL checkpoint after a deletion of personal data");
                }
            });
        } else {
            self.checkpoint_queued.store(false, Ordering::Release);
        }
    }

    /// One trivial query (`SELECT 1`): the database answers. What the health route asks.
    pub async fn ping(&self) -> Result<()> {
        self.counters.pings.fetch_add(1, Ordering::Relaxed);
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// A table's columns, keys and references as the database's catalog describes them.
    pub async fn table_shape(&self, table: &str) -> Result<TableShape> {
        backend::table_shape(&self.pool, self.backend, table).await
    }

    /// Loads the shipped reference data into empty reference tables.
    async fn seed_reference(&self) -> Result<()> {
        use skillbridge_core::{reference, schema};
        type Rows = fn() -> Vec<serde_json::Map<String, serde_json::Value>>;
        let sets: [(&schema::ResourceDef, Rows); 4] = [
            (&REGIONS, reference::regions),
            (&COUNTRIES, reference::countries),
            (&INDUSTRIES, reference::industries),
            (&KEY_INDUSTRIES, reference::default_key_industries),
        ];
        for (def, rows) in sets {
            if self.count(def).await? == 0 {
                self.insert_many_unaudited(def, rows()).await?;
                tracing::info!(table = def.table, "loaded reference data");
            }
        }
        Ok(())
    }

    /// Writes what is queued (`flush_pending`), then closes the pool.
    pub async fn close(&self) {
        if let Err(e) = self.flush_pending().await {
            tracing::error!(error = %e, "could not write the queued refusals at shutdown");
        }
        self.pool.close().await;
    }
}

/// Maps a database error to a store error: constraint violations never become a 500. A broken
/// unique key becomes a `duplicate` error on each of its fields, found by the key's identity
/// (`backend::violated_unique_key`: PostgreSQL's constraint name, SQLite's table and columns),
/// never by the wording of the message; a foreign key still in use becomes the `in_use` conflict.
pub(crate) fn map_db_err(e: sqlx::Error) -> StoreError {
    if let Some(db) = e.as_database_error() {
        match db.kind() {
            sqlx::error::ErrorKind::UniqueViolation => {
                return match backend::violated_unique_key(db) {
                    Some(key) => StoreError::Invalid(
                        key.columns
                            .iter()
                            .map(|c| FieldError::new(c, "duplicate", "already exists"))
                            .collect(),
                    ),
                    None => {
                        tracing::warn!(
                            constraint = db.constraint(),
                            "unique violation of a key missing from backend::unique_keys"
                        );
                        StoreError::conflict("duplicate", "记录已存在", "already exists")
                    }
                };
            }
            sqlx::error::ErrorKind::ForeignKeyViolation => return StoreError::in_use(),
            _ => {}
        }
    }
    StoreError::Db(e)
}
