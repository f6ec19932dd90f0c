//! `skillbridge audit-anchor` and `skillbridge audit-verify` through the real binary, on a SQLite
//! database with its key file beside it: the key file is created 0600; a checkpoint verifies;
//! an entry edited and the chain recomputed without the key (plain SHA-256, or a wrong key)
//! fails; a chain cut after a checkpoint fails against it; an older version's unkeyed trail is
//! put under a key created for it.

use skillbridge_core::audit::{entry_hash, entry_mac, AuditKey, GENESIS};
use skillbridge_store::Store;
use std::process::{Command, Output};

fn run(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(args)
        .args(["--database-url", url])
        .env("SKILLBRIDGE_ADMIN_PASSWORD", "Kx9-audit-test-password-2026")
        .env("SKILLBRIDGE_LOG", "warn")
        .env_remove("SKILLBRIDGE_AUDIT_KEY")
        .env_remove("SKILLBRIDGE_AUDIT_KEY_FILE")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A fresh database made by the binary (`migrate` creates the administrator: audited).
fn fresh(dir: &std::path::Path, name: &str) -> (String, std::path::PathBuf) {
    let db = dir.join(format!("{name}.db"));
    let url = format!("sqlite:{}", db.display());
    let o = run(&url, &["migrate"]);
    assert!(o.status.success(), "{}", text(&o));
    (url, dir.join(format!("{name}.db.audit-key")))
}

/// Opens the database as an attacker who can write it but may or may not hold the key.
async fn attacker(url: &str, key_file: &std::path::Path) -> Store {
    let (key, created) = skillbridge_store::load_or_create_key(key_file).unwrap();
    assert!(!created);
    let s = Store::connect_with_key(url, key).await.unwrap();
    s.raw_execute_for_tests("DROP TRIGGER IF EXISTS audit_log_no_update")
        .await
        .unwrap();
    s.raw_execute_for_tests("DROP TRIGGER IF EXISTS audit_log_no_delete")
        .await
        .unwrap();
    s
}

/// Edits entry 2 and recomputes every hash with `key` (plain SHA-256 with `None`).
async fn edit_and_recompute(s: &Store, key: Option<&AuditKey>) {
    s.raw_execute_for_tests("UPDATE audit_log SET detail = 'nothing to see' WHERE id = 2")
        .await
        .unwrap();
    let mut entries = s
        .audit_trail()
        .list(&skillbridge_core::access::Actor::system(), None, 10_000, 0)
        .await
        .unwrap();
    entries.reverse();
    let mut prev = GENESIS.to_string();
    for e in entries {
        let hash = match key {
            Some(k) => entry_mac(k, &prev, &e.at, &e.event()),
            None => entry_hash(&prev, &e.at, &e.event()),
        };
        s.raw_execute_for_tests(&format!(
            "UPDATE audit_log SET prev_hash = '{prev}', hash = '{hash}' WHERE id = {}",
            e.id
        ))
        .await
        .unwrap();
        prev = hash;
    }
}

#[tokio::test]
async fn audit_verify_needs_the_key_and_honours_checkpoints() {
    let dir = tempfile::tempdir().unwrap();

    // The key file is made on first start, readable by its owner only; a checkpoint verifies.
    let (url, key_file) = fresh(dir.path(), "a");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "key file mode {mode:o}");
    }
    let o = run(&url, &["audit-anchor"]);
    assert!(o.status.success(), "{}", text(&o));
    let cp_file = dir.path().join("a.checkpoint");
    std::fs::write(&cp_file, &o.stdout).unwrap();
    let cp = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(cp.contains("\"seq\"") && cp.contains("\"mac\""), "{cp}");
    let o = run(
        &url,
        &["audit-verify", "--checkpoint", cp_file.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("1 checkpoints matched"), "{}", text(&o));

    // Edited and recomputed with plain SHA-256: refused.
    let s = attacker(&url, &key_file).await;
    edit_and_recompute(&s, None).await;
    s.close().await;
    let o = run(&url, &["audit-verify"]);
    assert!(!o.status.success(), "plain SHA-256 passed: {}", text(&o));
    assert!(text(&o).contains("not keyed"), "{}", text(&o));

    // A trail from before the keyed chain (what an older version wrote looks exactly like
    // this) is put under a key created for it at first start, and then verifies.
    std::fs::remove_file(&key_file).unwrap();
    let o = run(&url, &["audit-verify"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("written before the key"), "{}", text(&o));

    // Edited and recomputed with a wrong key: refused.
    let (url, key_file) = fresh(dir.path(), "b");
    let s = attacker(&url, &key_file).await;
    edit_and_recompute(&s, Some(&AuditKey::from_bytes([42; 32]))).await;
    s.close().await;
    let o = run(&url, &["audit-verify"]);
    assert!(!o.status.success(), "a wrong key passed: {}", text(&o));
    assert!(text(&o).contains("broken at entry 1"), "{}", text(&o));

    // Cut after a checkpoint: the rest verifies alone, not against the checkpoint.
    let (url, key_file) = fresh(dir.path(), "c");
    let o = run(&url, &["audit-anchor"]);
    let cp_file = dir.path().join("c.checkpoint");
    std::fs::write(&cp_file, &o.stdout).unwrap();
    let seq: i64 = serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["seq"]
        .as_i64()
        .unwrap();
    let s = attacker(&url, &key_file).await;
    s.raw_execute_for_tests(&format!("DELETE FROM audit_log WHERE id >= {seq}"))
        .await
        .unwrap();
    s.close().await;
    assert!(run(&url, &["audit-verify"]).status.success());
    let o = run(
        &url,
        &["audit-verify", "--checkpoint", cp_file.to_str().unwrap()],
    );
    assert!(!o.status.success(), "a cut chain passed: {}", text(&o));
    assert!(text(&o).contains("was cut"), "{}", text(&o));
}

/// `skillbridge retention`: entries written half a year ago (the test's store clock moved back)
/// are archived by the binary; `audit-verify` passes on what is left, `audit-verify --archive`
/// passes on the file and fails once a line of it is edited; a dry run changes nothing; an
/// audit period below 180 days is refused with the setting's name.
#[tokio::test]
async fn retention_archives_old_entries_and_audit_verify_checks_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ret.db");
    let url = format!("sqlite:{}", db.display());
    {
        let s = Store::open(&url).await.unwrap();
        skillbridge_store::testing::advance_clock(&s, -200 * 86_400);
        for i in 0..5 {
            s.audit(skillbridge_core::audit::AuditEvent {
                actor: "system".into(),
                role: "admin".into(),
                action: "test".into(),
                object: format!("old/{i}"),
                outcome: "ok".into(),
                source: "test".into(),
                detail: String::new(),
            })
            .await
            .unwrap();
        }
        s.close().await;
    }
    // `migrate` creates the administrator now: a recent entry after the old ones.
    let o = run(&url, &["migrate"]);
    assert!(o.status.success(), "{}", text(&o));

    let short = Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(["retention", "--database-url", &url])
        .env("SKILLBRIDGE_RETENTION_AUDIT_DAYS", "90")
        .env("SKILLBRIDGE_LOG", "warn")
        .output()
        .unwrap();
    assert!(!short.status.success());
    assert!(
        text(&short).contains("retention_audit_days: 90"),
        "{}",
        text(&short)
    );

    let o = run(&url, &["retention", "--dry-run"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("that would be archived: 5"),
        "{}",
        text(&o)
    );
    let archive_dir = dir.path().join("ret.db.audit-archive");
    assert!(!archive_dir.exists());

    let o = run(&url, &["retention"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("that were archived: 5"), "{}", text(&o));
    let file = std::fs::read_dir(&archive_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let f = file.to_str().unwrap();

    let o = run(&url, &["audit-verify"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("continues from the archive of entries 1 to 5"),
        "{}",
        text(&o)
    );
    let o = run(&url, &["audit-verify", "--archive", f]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("entries 1 to 5"), "{}", text(&o));
    assert!(text(&o).contains("links to its last entry"), "{}", text(&o));

    // One archived entry edited in the file: the archive no longer verifies.
    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, original.replacen("old/2", "old/X", 1)).unwrap();
    let o = run(&url, &["audit-verify", "--archive", f]);
    assert!(!o.status.success());
    assert!(text(&o).contains("broken at entry 3"), "{}", text(&o));
    std::fs::write(&file, &original).unwrap();
    // The archive of another database (here: a different file) is not this trail's.
    let other = dir.path().join("other.jsonl");
    let lines: Vec<&str> = original.lines().take(3).collect();
    std::fs::write(&other, lines.join("\n")).unwrap();
    let o = run(
        &url,
        &["audit-verify", "--archive", other.to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(text(&o).contains("records no archive"), "{}", text(&o));
}
