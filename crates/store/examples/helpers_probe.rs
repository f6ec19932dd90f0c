//! The positive control of the release symbol check in `.ci/run`: a binary built with the
//! `test-helpers` feature that really links the test-only helpers, so that the same `nm` check
//! that must pass on the release binary is seen to fail on this one. Run, it works on a fresh
//! throwaway database (`testing::TestDb`, SQLite unless `SKILLBRIDGE_TEST_DATABASE_URL` is set);
//! CI only builds it.

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let db = skillbridge_store::testing::TestDb::new()
        .await
        .expect("a fresh test database");
    let store = skillbridge_store::Store::open(&db.url).await.expect("open");
    let n = store
        .raw_execute_for_tests("UPDATE sessions SET last_seen = last_seen WHERE 1 = 0")
        .await
        .expect("raw SQL");
    store.age_sessions_for_tests(0, 1).await.expect("age");
    skillbridge_store::testing::advance_clock(&store, 0);
    store.close().await;
    println!("helpers linked and run ({n} rows)");
}
