//! The retention job (issue 11, item 3) on a simulated clock (`testing::advance_clock`), on the
//! backend that `SKILLBRIDGE_TEST_DATABASE_URL` names (SQLite when unset; `.ci/run` runs it on
//! PostgreSQL too): expired sessions removed and live ones kept, audit entries older than the
//! period archived to a file that verifies on its own and links to the first entry left, graduates
//! anonymised after the configured years and recent graduates kept; a dry run changes nothing.
//! And the trail refuses every DELETE but the job's, and every pooled SQLite connection runs with
//! `secure_delete`.

use serde_json::{json, Value};
use skillbridge_core::access::{Actor, Role};
use skillbridge_core::audit::{parse_archive, verify_archive, AuditEvent};
use skillbridge_core::ids::make_id_number;
use skillbridge_core::modules::college::STUDENTS;
use skillbridge_core::retention::{anonymised_marker, RetentionPolicy, RetentionReport};
use skillbridge_store::testing::{
    advance_clock, backend_name, college, sqlite_pragma_on_every_connection, test_audit_key, TestDb,
};
use skillbridge_store::{RetentionRun, Store};

const DAY: i64 = 86_400;
const IDLE: i64 = 30 * 60;

async fn student(s: &Store, n: u32, program: i64, entry_year: i64, status: &str) -> i64 {
    let rec = s
        .create(
            &Actor::system(),
            &STUDENTS,
            json!({
                "student_no": format!("R{n:05}"),
                "name": format!("留存{n}"),
                "gender": "1",
                "id_number": make_id_number("500106", "20000101", n),
                "phone": format!("1391234{n:04}"),
                "home_region": "500106",
                "address": format!("重庆市沙坪坝区留存路{n}号"),
                "program_id": program,
                "entry_year": entry_year,
                "status": status,
            })
            .as_object()
            .unwrap(),
            "test",
        )
        .await
        .unwrap();
    rec["id"].as_i64().unwrap()
}

async fn full(s: &Store, id: i64) -> serde_json::Map<String, Value> {
    // The store's read gives stored values; masking is the web layer's.
    s.get(&Actor::system(), &STUDENTS, id).await.unwrap()
}

fn run(dir: &std::path::Path, dry_run: bool) -> RetentionRun {
    RetentionRun {
        policy: RetentionPolicy::new(5, 180).unwrap(),
        archive_dir: dir.to_path_buf(),
        session_idle_secs: IDLE,
        dry_run,
    }
}

async fn audit_count(s: &Store) -> usize {
    skillbridge_store::testing::audit_rows_raw(s)
        .await
        .unwrap()
        .len()
}

/// The students of the test: graduated long ago (due), graduated this summer (kept), graduated
/// late by an applied status change (kept), enrolled (kept); in this order.
struct Setup {
    s: Store,
    _db: TestDb,
    ids: [i64; 4],
    /// Their records before the job (as the store reads them).
    records: Vec<serde_json::Map<String, Value>>,
    user: i64,
}

async fn setup() -> Setup {
    eprintln!("backend: {}", backend_name());
    let db = TestDb::new().await.unwrap();
    let s = db.open().await.unwrap();
    let fx = college(&s).await;
    let this_year = i64::from(s.clock.now().year());
    // Graduated long ago (nominal end of a three-year program: 2018-07-01): due.
    let old_grad = student(&s, 1, fx.program[0], 2015, "graduated").await;
    // Graduated this summer: kept for five more years.
    let new_grad = student(&s, 2, fx.program[0], this_year - 3, "graduated").await;
    // By the nominal date due (2019), but the applied graduation (学籍异动) was on a later date,
    // which wins: kept.
    let late_grad = student(&s, 3, fx.program[0], 2016, "graduated").await;
    let late_day = format!("{}-06-30", this_year - 1);
    s.raw_execute_for_tests(&format!(
        "INSERT INTO status_changes (student_id, change_type, reason, effective_date, state, to_status, created_at, updated_at) \
         VALUES ({late_grad}, 'graduate', '延期毕业', '{late_day}', 'applied', 'graduated', '{late_day}T00:00:00.000Z', '{late_day}T00:00:00.000Z')"
    ))
    .await
    .unwrap();
    let enrolled = student(&s, 4, fx.program[0], this_year - 1, "enrolled").await;
    let user = s
        .accounts()
        .create_user(&Actor::system(), "r1", "留存", "x", &[Role::Admin], "test")
        .await
        .unwrap();
    let ids = [old_grad, new_grad, late_grad, enrolled];
    let mut records = Vec::new();
    for id in ids {
        records.push(full(&s, id).await);
    }
    Setup {
        s,
        _db: db,
        ids,
        records,
        user,
    }
}

/// The graduate due has every personal field cleared and keeps the rest; the others are
/// untouched.
async fn check_graduates(t: &Setup) {
    let (s, old_grad) = (&t.s, t.ids[0]);
    let a = full(s, old_grad).await;
    for f in ["phone", "home_region", "address"] {
        assert_eq!(a[f], Value::Null, "{f}");
    }
    assert_ne!(a["id_number"], t.records[0]["id_number"]);
    for f in ["student_no", "name", "program_id", "entry_year", "status"] {
        assert_eq!(a[f], t.records[0][f], "{f}");
    }
    assert!(s.anonymised("students", old_grad).await.unwrap());
    for (i, id) in t.ids.into_iter().enumerate().skip(1) {
        assert_eq!(full(s, id).await, t.records[i], "student {id}");
        assert!(!s.anonymised("students", id).await.unwrap());
    }
}

/// The recent entry and the job's own are left; the archive verifies on its own and the first
/// entry left links to its last hash; the whole trail still verifies. Returns the archive's
/// last hash.
async fn check_audit(t: &Setup, file: &str, archived: usize) -> String {
    let s = &t.s;
    let left = skillbridge_store::testing::audit_rows_raw(s).await.unwrap();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(left[0].contains("|recent|"), "{}", left[0]);
    assert!(left[1].contains("|retention|"), "{}", left[1]);
    assert!(left[1].contains("graduates_anonymised=1"), "{}", left[1]);
    // The job's audit entry holds counts, no personal value.
    for v in ["id_number", "phone", "address"] {
        let value = t.records[0][v].as_str().unwrap();
        assert!(left.iter().all(|l| !l.contains(value)), "{v}");
    }
    let entries = parse_archive(&std::fs::read_to_string(file).unwrap()).unwrap();
    assert_eq!(entries.len(), archived);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "the archive is readable by its owner only"
        );
    }
    let report = verify_archive(&entries, &test_audit_key(), &[]).unwrap();
    assert_eq!(report.first_id, 1);
    let (first_left, links_to) = s.audit_first_remaining().await.unwrap().unwrap();
    assert!(first_left > report.last_id);
    assert_eq!(links_to, report.last_hash);
    let archives = s.audit_archives().await.unwrap();
    assert_eq!(archives.len(), 1);
    assert_eq!(archives[0].last_hash, report.last_hash);
    assert_eq!(archives[0].file, file);
    let verdict = s
        .audit_trail()
        .verify(&Actor::system(), &[])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(verdict.entries, 2);
    // Under another key the archive does not verify.
    let other = skillbridge_core::audit::AuditKey::from_bytes([9; 32]);
    assert!(verify_archive(&entries, &other, &[]).is_err());
    report.last_hash
}

#[tokio::test]
async fn sessions_audit_entries_and_graduates_are_handled_as_configured() {
    let t = setup().await;
    let s = &t.s;
    let dir = tempfile::tempdir().unwrap();
    // A session whose absolute end (one hour) will have passed.
    s.create_session("old", t.user, 3600, "test").await.unwrap();
    let old_entries = audit_count(s).await;
    assert!(old_entries > 20, "{old_entries}");

    // Half a year and a day later: a live session and a recent audit entry.
    advance_clock(s, 181 * DAY);
    s.create_session("fresh", t.user, 12 * 3600, "test")
        .await
        .unwrap();
    s.audit(AuditEvent {
        actor: "system".into(),
        role: "admin".into(),
        action: "test".into(),
        object: "recent".into(),
        outcome: "ok".into(),
        source: "test".into(),
        detail: String::new(),
    })
    .await
    .unwrap();

    // A dry run counts and changes nothing.
    let dry = s.retention(&run(dir.path(), true)).await.unwrap();
    let counts =
        |r: &RetentionReport| (r.sessions_removed, r.audit_archived, r.graduates_anonymised);
    assert_eq!(counts(&dry), (1, old_entries as u64, 1), "{dry:?}");
    assert!(dry.archive_file.is_none() && dry.dry_run);
    assert_eq!(audit_count(s).await, old_entries + 1);
    let exists = "UPDATE sessions SET source = source WHERE token_hash = 'old'";
    assert_eq!(s.raw_execute_for_tests(exists).await.unwrap(), 1);
    assert_eq!(full(s, t.ids[0]).await, t.records[0]);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    let r = s.retention(&run(dir.path(), false)).await.unwrap();
    assert_eq!(counts(&r), (1, old_entries as u64, 1), "{r:?}");
    // Sessions: the expired one is gone, the live one still works.
    assert!(s.session("fresh", IDLE).await.unwrap().is_some());
    assert!(s.session("old", IDLE).await.unwrap().is_none());
    let first_tail = check_audit(&t, r.archive_file.as_deref().unwrap(), old_entries).await;
    check_graduates(&t).await;

    // A second run has nothing to do.
    let again = s.retention(&run(dir.path(), false)).await.unwrap();
    assert_eq!(counts(&again), (0, 0, 0));
    // Five years on: the other graduates are due, and the trail archived again links to the
    // first archive and still verifies.
    advance_clock(s, 5 * 366 * DAY);
    let later = s.retention(&run(dir.path(), false)).await.unwrap();
    assert_eq!(
        (later.graduates_anonymised, later.audit_archived),
        (2, 3),
        "{later:?}"
    );
    let second =
        parse_archive(&std::fs::read_to_string(later.archive_file.unwrap()).unwrap()).unwrap();
    let r2 = verify_archive(&second, &test_audit_key(), &[]).unwrap();
    assert_eq!(r2.starts_from, first_tail);
    let verdict = s.audit_trail().verify(&Actor::system(), &[]).await.unwrap();
    assert_eq!(verdict.map(|v| v.entries), Ok(1));
    // The ID number as stored (read through the audited reveal): the marker, no person's.
    let id_number = s
        .reveal(
            &Actor::system(),
            &STUDENTS,
            t.ids[0],
            "id_number",
            "test",
            "test",
        )
        .await
        .unwrap();
    assert_eq!(id_number, Some(anonymised_marker(t.ids[0])));
}

#[tokio::test]
async fn only_the_retention_job_removes_audit_entries() {
    let db = TestDb::new().await.unwrap();
    let s = db.open().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    college(&s).await;
    let n = audit_count(&s).await;
    for sql in [
        "DELETE FROM audit_log WHERE id = 1",
        "DELETE FROM audit_log",
        "UPDATE audit_log SET detail = 'x' WHERE id = 2",
    ] {
        let e = s.raw_execute_for_tests(sql).await.unwrap_err().to_string();
        assert!(e.contains("append-only"), "{sql}: {e}");
    }
    // A grant alone, without an archive that covers the entries, opens nothing.
    let e = s
        .raw_execute_for_tests(
            "INSERT INTO audit_purge_grant (up_to) VALUES (1000); DELETE FROM audit_log WHERE id = 1",
        )
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("append-only"), "{e}");
    s.raw_execute_for_tests("DELETE FROM audit_purge_grant")
        .await
        .unwrap();
    assert_eq!(audit_count(&s).await, n);

    advance_clock(&s, 200 * DAY);
    let r = s.retention(&run(dir.path(), false)).await.unwrap();
    assert_eq!(r.audit_archived, n as u64);
    // After the job: the grant is gone, the entry left cannot be removed, nor the archive's
    // record.
    for sql in [
        "DELETE FROM audit_log",
        "DELETE FROM audit_archives",
        "UPDATE audit_archives SET last_hash = 'x'",
    ] {
        let e = s.raw_execute_for_tests(sql).await.unwrap_err().to_string();
        assert!(e.contains("append-only"), "{sql}: {e}");
    }
    assert_eq!(audit_count(&s).await, 1);
}

#[tokio::test]
async fn a_period_below_six_months_is_refused() {
    let e = RetentionPolicy::new(5, 90).unwrap_err();
    assert!(e.contains("180"), "{e}");
}

#[tokio::test]
async fn every_sqlite_connection_runs_with_secure_delete() {
    let db = TestDb::new().await.unwrap();
    let s = db.open().await.unwrap();
    let values = sqlite_pragma_on_every_connection(&s, "secure_delete")
        .await
        .unwrap();
    if backend_name() == "sqlite" {
        assert_eq!(values.len() as u32, s.backend().max_connections());
        assert!(values.iter().all(|&v| v == 1), "{values:?}");
        // The check can fail: a connection opened without the store's settings reads 0.
        use sqlx::{Connection, Row};
        sqlx::any::install_default_drivers();
        let path = db.url.trim_start_matches("sqlite:");
        let mut plain = sqlx::AnyConnection::connect(&format!("sqlite://{path}"))
            .await
            .unwrap();
        let v: i64 = sqlx::query("PRAGMA secure_delete")
            .fetch_one(&mut plain)
            .await
            .unwrap()
            .try_get(0)
            .unwrap();
        assert_eq!(v, 0);
    }
}
