//! `skillbridge check`, through the real binary: a sound database passes (exit 0); a row that
//! refers to a missing row (SQLite) or a constraint that is not validated (PostgreSQL) is
//! reported and the exit code is non-zero.

use skillbridge_store::testing::{backend_name, TestDb};
use skillbridge_store::Store;
use std::process::Command;

fn check(url: &str) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(["--database-url", url, "check"])
        .env("SKILLBRIDGE_LOG", "warn")
        .output()
        .expect("run skillbridge");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[tokio::test]
async fn check_passes_a_sound_database_and_fails_a_broken_one() {
    let db = TestDb::new().await.unwrap();
    let store = Store::open(&db.url).await.unwrap();
    let (ok, text) = check(&db.url);
    assert!(ok, "{text}");
    assert!(text.contains("passes"), "{text}");

    let breakage = if backend_name() == "postgres" {
        "ALTER TABLE user_roles DROP CONSTRAINT user_roles_user_id_fkey; \
         INSERT INTO user_roles (user_id, role, created_at) VALUES (999999, '\"admin\"', 'x'); \
         ALTER TABLE user_roles ADD CONSTRAINT user_roles_user_id_fkey \
         FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID"
    } else {
        "PRAGMA foreign_keys = OFF; \
         INSERT INTO user_roles (user_id, role, created_at) VALUES (999999, '\"admin\"', 'x'); \
         PRAGMA foreign_keys = ON"
    };
    store.raw_execute_for_tests(breakage).await.unwrap();
    store.close().await;
    let (ok, text) = check(&db.url);
    assert!(!ok, "a broken database must fail the check: {text}");
    assert!(text.contains("user_roles"), "the problem is named: {text}");
}
