//! The keyed audit chain and the refusal queue, on both databases: an edit recomputed without
//! the key fails, a chain written before the key is put under it and still verifies, a cut chain
//! fails against a checkpoint, and refusals under a flood are aggregated, bounded and never lost.

use skillbridge_core::access::Actor;
use skillbridge_core::audit::{
    entry_hash, entry_mac, AuditEntry, AuditEvent, AuditKey, ChainBreak, GENESIS, REKEY_ACTION,
};
use skillbridge_store::testing::{backend_name, college, test_audit_key, TestDb};
use skillbridge_store::{Store, MAX_KEYS};

async fn setup() -> (TestDb, Store) {
    eprintln!("audit backend: {}", backend_name());
    let db = TestDb::new().await.expect("test database");
    let store = db.open().await.expect("open store");
    (db, store)
}

async fn all(s: &Store) -> Vec<AuditEntry> {
    let mut v = s
        .audit_trail()
        .list(&Actor::system(), None, 100_000, 0)
        .await
        .unwrap();
    v.reverse();
    v
}

/// Plays an attacker with write access to the database: drops the guard triggers, applies
/// `edit` and recomputes every hash, keyed with `key` or, with `None`, with plain SHA-256.
async fn tamper(s: &Store, edit: &str, key: Option<&AuditKey>) {
    for drop in if backend_name() == "postgres" {
        vec!["ALTER TABLE audit_log DISABLE TRIGGER USER"]
    } else {
        vec![
            "DROP TRIGGER IF EXISTS audit_log_no_update",
            "DROP TRIGGER IF EXISTS audit_log_no_delete",
        ]
    } {
        s.raw_execute_for_tests(drop).await.unwrap();
    }
    if !edit.is_empty() {
        s.raw_execute_for_tests(edit).await.unwrap();
    }
    let mut prev = GENESIS.to_string();
    for e in all(s).await {
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

async fn verify(s: &Store) -> Result<skillbridge_core::audit::ChainReport, ChainBreak> {
    s.audit_trail().verify(&Actor::system(), &[]).await.unwrap()
}

#[tokio::test]
async fn an_edit_recomputed_without_the_key_fails() {
    for key in [None, Some(AuditKey::from_bytes([9; 32]))] {
        let (_db, s) = setup().await;
        college(&s).await;
        assert!(verify(&s).await.is_ok());
        tamper(
            &s,
            "UPDATE audit_log SET detail = 'nothing happened' WHERE id = 3",
            key.as_ref(),
        )
        .await;
        let got = verify(&s).await;
        match key {
            None => assert_eq!(got, Err(ChainBreak::NotKeyed), "plain SHA-256"),
            Some(_) => assert_eq!(got, Err(ChainBreak::Entry(1)), "a wrong key"),
        }
    }
    // The positive control: recomputed with the right key it would pass, so the key (which
    // lives outside the database) is what the check rests on.
    let (_db, s) = setup().await;
    college(&s).await;
    tamper(
        &s,
        "UPDATE audit_log SET detail = 'nothing happened' WHERE id = 3",
        Some(&test_audit_key()),
    )
    .await;
    assert!(verify(&s).await.is_ok());
}

#[tokio::test]
async fn a_chain_from_before_the_key_is_put_under_it_at_open_and_still_verifies() {
    let (db, s) = setup().await;
    college(&s).await;
    // Make the whole trail look as an old version wrote it: plain SHA-256, no key.
    tamper(&s, "", None).await;
    let legacy = all(&s).await.len();
    assert_eq!(verify(&s).await, Err(ChainBreak::NotKeyed));
    s.close().await;
    // Opened with an existing key, an unkeyed trail is refused (it may have been rewritten
    // without the key); put under the key only on purpose (`skillbridge audit-rekey`, or a key
    // created now for an older database).
    assert!(
        matches!(db.open().await, Err(skillbridge_store::StoreError::Config(m)) if m.contains("audit-rekey"))
    );
    let s = Store::open_with(&db.url, test_audit_key(), true)
        .await
        .unwrap();
    let trail = all(&s).await;
    assert_eq!(trail.len(), legacy + 1);
    assert_eq!(trail[legacy].action, REKEY_ACTION);
    let r = verify(&s).await.unwrap();
    assert_eq!((r.entries, r.legacy), (legacy + 1, legacy));
    // Opening again adds nothing.
    s.close().await;
    let s = db.open().await.unwrap();
    assert_eq!(all(&s).await.len(), legacy + 1);
    // From now on the legacy part is covered too: rewriting it without the key fails.
    let mut prev = GENESIS.to_string();
    s.raw_execute_for_tests("UPDATE audit_log SET detail = 'x' WHERE id = 2")
        .await
        .unwrap();
    for e in all(&s).await.iter().take(legacy) {
        let hash = entry_hash(&prev, &e.at, &e.event());
        s.raw_execute_for_tests(&format!(
            "UPDATE audit_log SET prev_hash = '{prev}', hash = '{hash}' WHERE id = {}",
            e.id
        ))
        .await
        .unwrap();
        prev = hash;
    }
    assert_eq!(verify(&s).await, Err(ChainBreak::Entry(legacy as i64 + 1)));
}

#[tokio::test]
async fn a_checkpoint_catches_a_cut_chain() {
    let (_db, s) = setup().await;
    college(&s).await;
    let cp = s.audit_trail().checkpoint(&Actor::system()).await.unwrap();
    let sys = Actor::system();
    assert_eq!(
        s.audit_trail()
            .verify(&sys, std::slice::from_ref(&cp))
            .await
            .unwrap()
            .map(|r| r.checkpoints),
        Ok(1)
    );
    // Cut the newest entries: alone the rest still verifies, but not against the checkpoint.
    s.raw_execute_for_tests(if backend_name() == "postgres" {
        "ALTER TABLE audit_log DISABLE TRIGGER USER"
    } else {
        "DROP TRIGGER IF EXISTS audit_log_no_delete"
    })
    .await
    .unwrap();
    s.raw_execute_for_tests(&format!("DELETE FROM audit_log WHERE id >= {}", cp.seq - 1))
        .await
        .unwrap();
    assert!(verify(&s).await.is_ok(), "a cut chain verifies on its own");
    assert_eq!(
        s.audit_trail()
            .verify(&sys, std::slice::from_ref(&cp))
            .await
            .unwrap(),
        Err(ChainBreak::CheckpointMismatch(cp.seq))
    );
    // A checkpoint made with another key is refused as forged.
    let forged = skillbridge_core::audit::Checkpoint::sign(
        &AuditKey::from_bytes([1; 32]),
        cp.seq,
        &cp.hash,
        &cp.at,
    );
    assert_eq!(
        s.audit_trail().verify(&sys, &[forged]).await.unwrap(),
        Err(ChainBreak::CheckpointForged(cp.seq))
    );
}

fn denied(actor: usize, object: &str) -> AuditEvent {
    AuditEvent {
        actor: format!("user:{actor}"),
        role: "student".into(),
        action: "denied".into(),
        object: object.into(),
        outcome: "denied".into(),
        source: "127.0.0.1".into(),
        detail: "read".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn refusals_under_a_flood_are_aggregated_bounded_and_never_lost() {
    let (_db, s) = setup().await;
    let before = all(&s).await.len();
    // 40 flooders send 250 refusals each on one route with varying ids; 5,000 other users are
    // refused once each, more distinct keys than the queue holds, so some wait for a drain.
    let mut tasks = Vec::new();
    for f in 0..40 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..250 {
                s.refuse(denied(f, &format!("staff/{i}"))).await;
            }
        }));
    }
    let others = MAX_KEYS + 904;
    for chunk in 0..8 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            for u in (chunk..others).step_by(8) {
                s.refuse(denied(1000 + u, "staff")).await;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let trail = all(&s).await;
    assert_eq!(
        s.queued_refusals(),
        0,
        "reading the trail writes the queue first"
    );
    let new = &trail[before..];
    let counted: u64 = new.iter().map(AuditEntry::refusals).sum();
    assert_eq!(
        counted,
        40 * 250 + others as u64,
        "every refusal is accounted for"
    );
    for f in 0..40 {
        let mine: Vec<_> = new
            .iter()
            .filter(|e| e.actor == format!("user:{f}"))
            .collect();
        assert_eq!(mine.iter().map(|e| e.refusals()).sum::<u64>(), 250);
        assert!(
            mine.len() < 250,
            "a flood is aggregated: {} entries for 250 refusals",
            mine.len()
        );
    }
    assert!(verify(&s).await.is_ok());
}

#[tokio::test]
async fn a_batch_that_cannot_be_written_is_kept_for_the_next_drain() {
    use std::sync::atomic::Ordering;
    let (_db, s) = setup().await;
    let before = all(&s).await.len();
    s.faults.audit_write.store(true, Ordering::Relaxed);
    for i in 0..10 {
        s.refuse(denied(7, &format!("staff/{i}"))).await;
    }
    assert!(s.flush_pending().await.is_err());
    assert_eq!(s.queued_refusals(), 10, "kept, not dropped");
    s.refuse(denied(8, "staff")).await;
    s.faults.audit_write.store(false, Ordering::Relaxed);
    s.flush_pending().await.unwrap();
    let new = all(&s).await.split_off(before);
    assert_eq!(new.iter().map(AuditEntry::refusals).sum::<u64>(), 11);
}
