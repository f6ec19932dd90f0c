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
//! - `audit.rs`: the append-only, hash-chained audit trail.
//! - `bookings.rs`: conflict-checked bookings of training bases, calendars, utilisation.
//! - `allocation.rs`: the order class workflow: students' ranked lists, sponsors' scores,
//!   allocation runs, publication, offers and refills (rules in `core::order_class`).
//!
//! Queries go through sqlx's `Any` driver with `$1` placeholders (SQLite accepts them too), so each
//! query is written once. Values are bound by field kind, never interpolated.

mod accounts;
mod audit;
mod backend;
mod modules;
mod records;
mod scope;
mod sheets;
pub mod testing;

pub use accounts::{LoginState, SessionInfo, UserInfo};
pub use backend::Backend;
pub use modules::bases::{BaseUtilisation, BookingView};
pub use modules::order_classes::{
    college_today, CheckOutcome, RunResult, ScoreInput, ALLOCATION_RESULTS,
};
pub use records::{ListQuery, Page};
pub use sheets::{ExportCursor, SheetRow};

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
    #[error("conflict: {0}")]
    Conflict(String),
    /// A booking overlaps another; the message names the conflicting booking (id, who, when).
    #[error("booking conflict: {message}")]
    BookingConflict { message: String, with: Vec<i64> },
    #[error("configuration: {0}")]
    Config(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("injected fault: {0}")]
    Fault(&'static str),
}

pub type Result<T> = std::result::Result<T, StoreError>;

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
    pub faults: Arc<Faults>,
}

impl Store {
    /// Opens the database named by `url` (`sqlite:PATH` or `postgres://...`), runs the migrations
    /// and loads reference data on first start.
    pub async fn open(url: &str) -> Result<Store> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        store.seed_reference().await?;
        Ok(store)
    }

    /// Connects without migrating.
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
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
            faults: Arc::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies every migration not yet applied, each in its own transaction.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        backend::migrate(&self.pool, self.backend).await
    }

    /// Writes a consistent copy of a SQLite database to `dest` while the server runs.
    pub async fn backup(&self, dest: &str) -> Result<()> {
        backend::backup(&self.pool, self.backend, dest).await
    }

    /// Runs the database's own integrity check; `Ok(())` when it passes.
    pub async fn integrity_check(&self) -> Result<()> {
        backend::integrity_check(&self.pool, self.backend).await
    }

    /// Loads the shipped reference data into empty reference tables.
    async fn seed_reference(&self) -> Result<()> {
        use skillbridge_core::{reference, schema};
        type Rows = fn() -> Vec<serde_json::Map<String, serde_json::Value>>;
        let sets: [(&schema::ResourceDef, Rows); 4] = [
            (
                &skillbridge_core::modules::reference::REGIONS,
                reference::regions,
            ),
            (
                &skillbridge_core::modules::reference::COUNTRIES,
                reference::countries,
            ),
            (
                &skillbridge_core::modules::reference::INDUSTRIES,
                reference::industries,
            ),
            (
                &skillbridge_core::modules::reference::KEY_INDUSTRIES,
                reference::default_key_industries,
            ),
        ];
        for (def, rows) in sets {
            if self.count(def).await? == 0 {
                self.insert_many_unaudited(def, rows()).await?;
                tracing::info!(table = def.table, "loaded reference data");
            }
        }
        Ok(())
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Maps a database error to a store error: constraint violations become conflicts that name
/// what conflicted, never a 500.
pub(crate) fn map_db_err(e: sqlx::Error) -> StoreError {
    if let Some(db) = e.as_database_error() {
        match db.kind() {
            sqlx::error::ErrorKind::UniqueViolation => {
                return StoreError::Conflict("duplicate".into())
            }
            sqlx::error::ErrorKind::ForeignKeyViolation => {
                return StoreError::Conflict("in_use".into())
            }
            _ => {}
        }
        let msg = db.message();
        if msg.contains("UNIQUE constraint failed") || msg.contains("duplicate key") {
            return StoreError::Conflict("duplicate".into());
        }
        if msg.contains("FOREIGN KEY constraint failed") || msg.contains("foreign key constraint") {
            return StoreError::Conflict("in_use".into());
        }
    }
    StoreError::Db(e)
}
