//! SECURITY goals 1 and 3: a 100,000-row import killed with SIGKILL at 20+ points spanning
//! reading, checking and committing leaves the database exactly as before or exactly as after,
//! with the integrity check passing; an interrupted import run again ends identical to an
//! uninterrupted one. Runs on the backend `SKILLBRIDGE_TEST_DATABASE_URL` names (SQLite when unset),
//! against the real `skillbridge` binary.

use skillbridge_core::ids::make_id_number;
use skillbridge_core::modules::college::STUDENTS;
use skillbridge_store::testing::{backend_name, college, TestDb};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ROWS: usize = 100_000;
const KILLS: usize = 22; // at least 20 (SECURITY goal 1)

fn write_csv(path: &std::path::Path) {
    let f = std::fs::File::create(path).unwrap();
    let mut w = std::io::BufWriter::new(f);
    let labels: Vec<&str> = [
        "student_no",
        "name",
        "gender",
        "id_number",
        "phone",
        "program_id",
        "class_id",
        "entry_year",
        "status",
    ]
    .iter()
    .map(|n| STUDENTS.field(n).unwrap().zh)
    .collect();
    writeln!(w, "{}", labels.join(",")).unwrap();
    for n in 0..ROWS {
        let day = 1 + (n / 1000) % 28;
        let month = 1 + (n / 28_000) % 12;
        let id = make_id_number(
            "500106",
            &format!("2007{month:02}{day:02}"),
            (n % 1000) as u32,
        );
        writeln!(
            w,
            "{},学生{n},{},{id},138{:08},A01,新能源2401,2025,enrolled",
            2_030_000_000 + n,
            // As the ID number's 17th digit (the sequence's last) says: odd for a man.
            2 - n % 2,
            n
        )
        .unwrap();
    }
}

fn import(url: &str, csv: &std::path::Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args([
            "import",
            "students",
            csv.to_str().unwrap(),
            "--database-url",
            url,
        ])
        .env("SKILLBRIDGE_LOG", "warn")
        // The binary signs the audit chain with the key the test's own store uses.
        .env(
            "SKILLBRIDGE_AUDIT_KEY",
            skillbridge_store::testing::test_audit_key().to_hex(),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Runs an import and SIGKILLs it `delay_ms` after its progress line number `after_line`
/// (lines: `read N` while parsing, `checked N` while validating, `written N` while writing,
/// `committing N` just before the commit). Returns the phase it was killed in.
fn import_and_kill(url: &str, csv: &std::path::Path, after_line: usize, delay_ms: u64) -> String {
    use std::io::BufRead;
    let mut child = import(url, csv);
    let stderr = child.stderr.take().unwrap();
    let mut phase = "start".to_string();
    for (i, line) in std::io::BufReader::new(stderr).lines().enumerate() {
        let Ok(line) = line else { break };
        phase = line.split_whitespace().next().unwrap_or("").to_string();
        if i >= after_line || phase == "committing" {
            std::thread::sleep(Duration::from_millis(delay_ms));
            break;
        }
    }
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    phase
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_during_import_leaves_before_or_after() {
    eprintln!("crash test backend: {}", backend_name());
    let dir = std::env::temp_dir().join(format!("sbcrash{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("students.csv");
    write_csv(&csv);

    // The "after" state and the duration of an uninterrupted import, on a database of its own.
    let done = TestDb::new().await.unwrap();
    let s = done.open().await.unwrap();
    college(&s).await;
    let t = Instant::now();
    assert!(import(&done.url, &csv).wait().unwrap().success());
    let full = t.elapsed();
    let after = s.table_signature(&STUDENTS).await.unwrap();
    assert_eq!(after.0 as usize, ROWS + 2);
    s.close().await;
    eprintln!("uninterrupted import of {ROWS} rows: {full:?}");

    let db = TestDb::new().await.unwrap();
    let s = db.open().await.unwrap();
    college(&s).await;
    let before = s.table_signature(&STUDENTS).await.unwrap();
    let (mut saw_before, mut saw_after) = (0, 0);
    let mut phases = std::collections::BTreeMap::new();
    // Kill points: every other progress line (parsing, checking, writing), then at and just
    // after the commit starts.
    let mut plan: Vec<(usize, u64)> = (0..32).step_by(2).map(|l| (l, 30)).collect();
    plan.extend([
        (usize::MAX, 0),
        (usize::MAX, 2),
        (usize::MAX, 10),
        (usize::MAX, 30),
        (usize::MAX, 100),
        (usize::MAX, 400),
    ]);
    assert!(plan.len() >= 20);
    for (k, (line, delay)) in plan.into_iter().enumerate() {
        let url = db.url.clone();
        let csv2 = csv.clone();
        // usize::MAX: after the last line (`committing`).
        let phase = tokio::task::spawn_blocking(move || import_and_kill(&url, &csv2, line, delay))
            .await
            .unwrap();
        *phases.entry(phase.clone()).or_insert(0) += 1;
        s.integrity_check().await.unwrap();
        let sig = s.table_signature(&STUDENTS).await.unwrap();
        if sig == before {
            saw_before += 1;
        } else if sig == after {
            saw_after += 1;
            // Back to the "before" state for the next kill.
            s.raw_execute_for_tests("DELETE FROM students WHERE student_no LIKE '2030%'")
                .await
                .unwrap();
            assert_eq!(s.table_signature(&STUDENTS).await.unwrap(), before);
        } else {
            panic!(
                "kill {k} in phase {phase} left a state that is neither before nor after: {} rows",
                sig.0
            );
        }
    }
    eprintln!("kills by phase: {phases:?}");
    for p in ["read", "checked", "written", "committing"] {
        assert!(
            phases.contains_key(p),
            "no kill landed in phase {p}: {phases:?}"
        );
    }
    let kills = phases.values().sum::<usize>();
    let _ = KILLS;
    eprintln!("{kills} kills: {saw_before} left the before state, {saw_after} the after state");
    assert!(kills >= 20 && saw_before > 0);
    // The interrupted import, run again to the end, equals the uninterrupted one.
    assert!(import(&db.url, &csv).wait().unwrap().success());
    assert_eq!(s.table_signature(&STUDENTS).await.unwrap(), after);
    assert!(s
        .audit_trail()
        .verify(&skillbridge_core::access::Actor::system(), &[])
        .await
        .unwrap()
        .is_ok());
    s.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
