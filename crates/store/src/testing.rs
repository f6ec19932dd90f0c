//! Fresh databases for tests, on the backend that the environment names.
//!
//! `SKILLBRIDGE_TEST_DATABASE_URL` unset: a new SQLite file in the temp folder per test.
//! Set to `postgres://USER@HOST/DB`: a new database per test, created through that server and
//! dropped when the guard drops. The same tests so run on both databases.

use crate::{Result, Store};
use sqlx::any::AnyPoolOptions;

/// Removes the test database when dropped.
pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

fn unique_name() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "sbtest_{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Which backend the tests run on, for their output.
pub fn backend_name() -> &'static str {
    match std::env::var("SKILLBRIDGE_TEST_DATABASE_URL") {
        Ok(u) if u.starts_with("postgres") => "postgres",
        _ => "sqlite",
    }
}

impl TestDb {
    /// Creates an empty database and returns its URL in the guard.
    pub async fn new() -> Result<TestDb> {
        let name = unique_name();
        match std::env::var("SKILLBRIDGE_TEST_DATABASE_URL") {
            Ok(admin_url) if admin_url.starts_with("postgres") => {
                sqlx::any::install_default_drivers();
                let pool = AnyPoolOptions::new()
                    .max_connections(1)
                    .connect(&admin_url)
                    .await?;
                sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
                    .execute(&pool)
                    .await?;
                pool.close().await;
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(b, _)| b)
                    .unwrap_or(&admin_url);
                Ok(TestDb {
                    url: format!("{base}/{name}"),
                    cleanup: Cleanup::Postgres { admin_url, name },
                })
            }
            _ => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                Ok(TestDb {
                    url: format!("sqlite:{}", path.display()),
                    cleanup: Cleanup::File(path),
                })
            }
        }
    }

    /// Opens the store on it (migrations and reference data applied).
    pub async fn open(&self) -> Result<Store> {
        Store::open(&self.url).await
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(p) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Dropped from async tests: run on a thread of its own with its own runtime.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .ok()?;
                    rt.block_on(async {
                        let pool = AnyPoolOptions::new()
                            .max_connections(1)
                            .connect(&admin_url)
                            .await
                            .ok()?;
                        sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&pool)
                            .await
                            .ok()?;
                        pool.close().await;
                        Some(())
                    })
                })
                .join();
            }
        }
    }
}
