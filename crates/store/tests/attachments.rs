//! The attachment store's files travel with `Store::backup` (issue 10 §11): a backup opened as
//! a database finds every attached file beside it, byte for byte.

use skillbridge_core::access::Actor;
use skillbridge_core::modules::attachments::MediaType;
use skillbridge_store::testing::{college, test_audit_key, TestDb};
use skillbridge_store::{Backend, Store};

#[tokio::test]
async fn a_backup_restores_the_attached_files() {
    let db = TestDb::new().await.unwrap();
    let store = db.open().await.unwrap();
    if store.backend() != Backend::Sqlite {
        // PostgreSQL is backed up with pg_dump, and its files folder copied with it (README).
        return;
    }
    let fx = college(&store).await;
    let system = Actor::system();
    let mut ids = Vec::new();
    let bodies: [&[u8]; 2] = [b"%PDF-1.4\nfirst\n%%EOF\n", "第二份材料".as_bytes()];
    for (body, (ty, name)) in bodies
        .iter()
        .zip([(MediaType::Pdf, "a.pdf"), (MediaType::Text, "b.txt")])
    {
        let mut up = store.attachments().begin_upload().await.unwrap();
        // Written in small chunks, as an upload streams.
        for chunk in body.chunks(3) {
            up.write(chunk).await.unwrap();
        }
        let row = store
            .attachments()
            .attach(&system, "students", fx.student[0], up, ty, name, "test")
            .await
            .unwrap();
        ids.push(row["id"].as_i64().unwrap());
    }
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("copy.db");
    store.backup(dest.to_str().unwrap()).await.unwrap();

    // The original files go; the copy has its own.
    std::fs::remove_dir_all(store.files_dir()).unwrap();
    let restored = Store::open_with_key(&format!("sqlite:{}", dest.display()), test_audit_key())
        .await
        .unwrap();
    assert_eq!(
        restored.files_dir(),
        std::path::Path::new(&format!("{}.files", dest.display()))
    );
    for (id, body) in ids.iter().zip(bodies) {
        let f = restored.attachments().open(&system, *id).await.unwrap();
        assert_eq!(std::fs::read(&f.path).unwrap(), body);
    }
    // A student who may not read the owner does not find the file in the copy either.
    let other = Actor {
        user_id: None,
        username: "s2".into(),
        roles: vec![skillbridge_core::access::Role::Student {
            student_id: fx.student[1],
        }],
    };
    assert!(restored.attachments().open(&other, ids[0]).await.is_err());
}
