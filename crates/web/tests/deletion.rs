//! Deleted means gone (issue 11, item 2), on SQLite without an encryption key, so that a byte
//! scan means something: a student without status history is created and deleted through the
//! API, the WAL is checkpointed with TRUNCATE, and neither the database file nor its WAL holds
//! any of their values (ID number, phone, address, and also name and student number: the
//! audit trail names the record by its id only). A scan before the deletion finds them, so the
//! scan can fail. On PostgreSQL the test has nothing to scan and says so (its routine is in
//! SECURITY.md, "Deleted means gone").

mod common;

use common::*;
use reqwest::Method;
use serde_json::json;
use skillbridge_core::ids::make_id_number;

/// The values of `values` found in the file at `path` (absent file: none).
fn found_in(path: &std::path::Path, values: &[String]) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap_or_default();
    values
        .iter()
        .filter(|v| {
            let v = v.as_bytes();
            bytes.windows(v.len()).any(|w| w == v)
        })
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_deleted_student_leaves_nothing_in_the_database_file_or_its_wal() {
    if std::env::var_os("SKILLBRIDGE_TEST_PII_KEY_FILE").is_some() {
        // With a key the personal values are stored encrypted, so the scan before the deletion
        // (the control) would find none of them and the test would mean nothing: it runs in the
        // unkeyed suites (./test.sh, and on PostgreSQL), where the values are in clear.
        eprintln!("personal-data key set: this scan runs in the unkeyed suites");
        return;
    }
    let app = spawn_app().await;
    let Some(db) = app.sqlite_path() else {
        eprintln!("PostgreSQL: no database file to scan; see SECURITY.md for VACUUM");
        return;
    };
    let wal = std::path::PathBuf::from(format!("{}-wal", db.display()));
    let admin = app.login_as("admin").await;
    let id_number = make_id_number("500103", "20070419", 77);
    let values = vec![
        id_number.clone(),
        "13598761234".to_string(),
        "重庆市渝中区解放碑删除路88号附7号".to_string(),
        "欧阳删除".to_string(),
        "2099123456".to_string(),
    ];
    let r = admin
        .send(
            Method::POST,
            "/api/students",
            Some(json!({
                "student_no": values[4], "name": values[3], "gender": "1",
                "id_number": id_number, "phone": values[1], "home_region": "500103",
                "address": values[2], "program_id": app.fx.program[0],
                "class_id": app.fx.class[0], "entry_year": 2025, "status": "enrolled"
            })),
        )
        .await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
    let id = r.json()["id"].as_i64().unwrap();
    // Control: before the deletion the values are there, in the file or the WAL.
    let before: Vec<String> = [found_in(&db, &values), found_in(&wal, &values)].concat();
    for v in &values {
        assert!(before.contains(v), "{v} not found before the deletion");
    }

    let r = admin
        .send(Method::DELETE, &format!("/api/students/{id}"), None)
        .await;
    assert_eq!(r.status.as_u16(), 204, "{}", r.text);
    app.store.checkpoint_wal().await.unwrap();
    assert_eq!(
        std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0),
        0,
        "TRUNCATE empties the WAL"
    );
    assert_eq!(
        found_in(&db, &values),
        Vec::<String>::new(),
        "database file"
    );
    assert_eq!(found_in(&wal, &values), Vec::<String>::new(), "WAL");
    // The trail records the deletion by the record's id.
    let trail = skillbridge_store::testing::audit_rows_raw(&app.store)
        .await
        .unwrap();
    assert!(trail
        .iter()
        .any(|l| l.contains(&format!("|delete|students/{id}|"))));
}
