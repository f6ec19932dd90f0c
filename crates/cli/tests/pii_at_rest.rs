//! Issue 11, "At rest": with a personal-data key file, no demo ID number, phone, e-mail or
//! address can be found in the bytes of the SQLite database and its WAL, a `skillbridge backup`
//! copy, the masked exports (.csv and the XML parts inside each .xlsx), or (when
//! `SKILLBRIDGE_TEST_DATABASE_URL` names PostgreSQL) a `pg_dump` of the database; the ID numbers
//! are also looked for as UTF-16, hex and base64. After `skillbridge rotate-pii-key` every stored
//! value is under the new key, decrypts under it to the demo's value, and fails under the old key.
//! Also: `keygen` writes 0600 and never overwrites; the blind index keeps ID numbers unique on
//! import; a database with encrypted values refuses to open without the key, and one in clear
//! refuses to open with a key until `rotate-pii-key --encrypt-only`.
//!
//! The demo's plain values come from a second demo database made without a key from the same
//! seed and size (the generator is deterministic), read as stored.

use base64::Engine;
use skillbridge_store::crypt::Keyring;
use skillbridge_store::testing::{backend_name, test_audit_key, TestDb};
use skillbridge_store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const STUDENTS: &str = "1000";

fn cmd(url: &str, key: Option<&Path>, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_skillbridge"));
    c.args(args)
        .args(["--database-url", url])
        .env(
            "SKILLBRIDGE_ADMIN_PASSWORD",
            "Kx9-pii-at-rest-password-2026",
        )
        .env("SKILLBRIDGE_LOG", "warn")
        .env("SKILLBRIDGE_AUDIT_KEY", test_audit_key().to_hex())
        .env_remove("SKILLBRIDGE_PII_KEY_FILE")
        .env_remove("SKILLBRIDGE_CONFIG");
    if let Some(k) = key {
        c.env("SKILLBRIDGE_PII_KEY_FILE", k);
    }
    if url.starts_with("postgres") {
        // Attachments would otherwise go to ./data/files under the crate's folder.
        let files = std::env::temp_dir().join(format!("sb-pii-files-{}", std::process::id()));
        c.env("SKILLBRIDGE_ATTACHMENTS_DIR", files);
    }
    c
}

fn run(url: &str, key: Option<&Path>, args: &[&str]) -> Output {
    cmd(url, key, args).output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn ok(url: &str, key: Option<&Path>, args: &[&str]) -> String {
    let o = run(url, key, args);
    assert!(o.status.success(), "{args:?}: {}", text(&o));
    text(&o)
}

/// Every personal value of a store as stored: (table, column, id) to value.
async fn stored(url: &str) -> BTreeMap<(String, String, i64), String> {
    let s = Store::connect_with_key(url, test_audit_key())
        .await
        .unwrap();
    let out = s
        .raw_pii_values_for_tests()
        .await
        .unwrap()
        .into_iter()
        .map(|(t, c, id, v)| ((t, c, id), v))
        .collect();
    s.close().await;
    out
}

/// The needles: each plain value as UTF-8, and each ID number in other encodings too.
fn needles(plain: &BTreeMap<(String, String, i64), String>) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for ((_, column, _), v) in plain {
        // A home region is a 6-digit code that the regions table holds in clear anyway.
        if column == "home_region" {
            continue;
        }
        out.push((v.clone(), v.as_bytes().to_vec()));
        if column == "id_number" {
            let le: Vec<u8> = v.encode_utf16().flat_map(u16::to_le_bytes).collect();
            let be: Vec<u8> = v.encode_utf16().flat_map(u16::to_be_bytes).collect();
            let hex: String = v.bytes().map(|b| format!("{b:02x}")).collect();
            let b64 = base64::engine::general_purpose::STANDARD.encode(v.as_bytes());
            out.push((format!("{v} as UTF-16LE"), le));
            out.push((format!("{v} as UTF-16BE"), be));
            out.push((format!("{v} as hex"), hex.into_bytes()));
            out.push((format!("{v} as base64"), b64.into_bytes()));
        }
    }
    out
}

/// The needles found in `hay`, in one pass: needles are indexed by their first `P` bytes (a
/// needle search per needle would take minutes over thousands of values and megabytes).
fn find_all(hay: &[u8], needles: &[(String, Vec<u8>)]) -> Vec<String> {
    const P: usize = 6;
    let mut by_prefix: std::collections::HashMap<&[u8], Vec<usize>> = Default::default();
    for (i, (name, n)) in needles.iter().enumerate() {
        assert!(n.len() >= P, "needle {name} is too short to scan for");
        by_prefix.entry(&n[..P]).or_default().push(i);
    }
    let mut found = BTreeSet::new();
    for at in 0..hay.len().saturating_sub(P - 1) {
        if let Some(list) = by_prefix.get(&hay[at..at + P]) {
            for &i in list {
                if hay[at..].starts_with(&needles[i].1) {
                    found.insert(needles[i].0.clone());
                }
            }
        }
    }
    found.into_iter().collect()
}

/// Scans a file's bytes (each XML part of an .xlsx, unzipped) and fails on any needle.
fn scan(path: &Path, needles: &[(String, Vec<u8>)]) {
    let bytes = std::fs::read(path).unwrap();
    let mut parts = vec![(path.display().to_string(), bytes.clone())];
    if path.extension().is_some_and(|e| e == "xlsx") {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        for i in 0..z.len() {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut b).unwrap();
            parts.push((format!("{}:{:?}", path.display(), f.name()), b));
        }
        assert!(parts.len() > 2, "{}: no parts", path.display());
    }
    for (name, b) in parts {
        let found = find_all(&b, needles);
        assert!(
            found.is_empty(),
            "{name}: {} personal values in the clear, e.g. {:?}",
            found.len(),
            &found[..found.len().min(3)]
        );
    }
}

fn write_key(dir: &Path, name: &str) -> PathBuf {
    let key = dir.join(name);
    let o = Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(["keygen", key.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    key
}

/// keygen: a new file, 0600, never over an existing one.
fn new_key_file(d: &Path) -> PathBuf {
    let key = write_key(d, "pii.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let before = std::fs::read(&key).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_skillbridge"))
        .args(["keygen", key.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert_eq!(
        std::fs::read(&key).unwrap(),
        before,
        "keygen overwrote a key"
    );

    key
}

/// The plain values: the same demo without a key (its file, URL, values and ID-number count).
async fn demo_in_clear(
    d: &Path,
) -> (
    PathBuf,
    String,
    BTreeMap<(String, String, i64), String>,
    usize,
) {
    let clear_db = d.join("clear.db");
    let clear_url = format!("sqlite:{}", clear_db.display());
    ok(&clear_url, None, &["demo", "--students", STUDENTS]);
    let plain = stored(&clear_url).await;
    let mut columns: BTreeSet<String> = BTreeSet::new();
    for (t, c, _) in plain.keys() {
        columns.insert(format!("{t}.{c}"));
    }
    for want in [
        "students.id_number",
        "students.phone",
        "students.address",
        "staff.phone",
        "staff.email",
        "contacts.phone",
        // Account data outside the record descriptions: the demo's notification addresses.
        "user_preferences.email",
    ] {
        assert!(
            columns.contains(want),
            "the demo has no {want}: {columns:?}"
        );
    }
    let ids = plain.keys().filter(|(_, c, _)| c == "id_number").count();
    assert!(ids >= 1000, "{ids} ID numbers");
    assert!(
        plain.values().all(|v| !v.starts_with("pii1:")),
        "the demo without a key stored ciphertexts"
    );

    (clear_db, clear_url, plain, ids)
}

/// A little work through the write paths: an import of a new student (insert), the same again
/// with a change (update), and one whose ID number another student holds (refused by the blind
/// index). Returns the new student's ID number.
fn import_some(
    d: &Path,
    url: &str,
    key: &Path,
    plain: &BTreeMap<(String, String, i64), String>,
) -> String {
    let taken = plain
        .iter()
        .find(|((t, c, _), _)| t == "students" && c == "id_number")
        .map(|(_, v)| v.clone())
        .unwrap();
    let header = "学号,姓名,性别,身份证号,手机号,家庭住址,专业,入学年份,学籍状态";
    let new_id = skillbridge_core::ids::make_id_number("500106", "20070101", 901);
    let csv1 = d.join("new.csv");
    std::fs::write(
        &csv1,
        format!("{header}\n2099000001,新生甲,男,{new_id},13900009901,重庆市沙坪坝区新生路1号,0101,2025,enrolled\n"),
    )
    .unwrap();
    ok(
        url,
        Some(key),
        &["import", "students", csv1.to_str().unwrap()],
    );
    std::fs::write(
        &csv1,
        format!("{header}\n2099000001,新生甲,男,{new_id},13900009902,重庆市沙坪坝区新生路2号,0101,2025,enrolled\n"),
    )
    .unwrap();
    ok(
        url,
        Some(key),
        &["import", "students", csv1.to_str().unwrap()],
    );
    let csv2 = d.join("dup.csv");
    std::fs::write(
        &csv2,
        format!("{header}\n2099000002,新生乙,男,{taken},13900009903,,0101,2025,enrolled\n"),
    )
    .unwrap();
    let o = run(
        url,
        Some(key),
        &["import", "students", csv2.to_str().unwrap()],
    );
    assert!(
        !o.status.success(),
        "a taken ID number was imported: {}",
        text(&o)
    );
    assert!(text(&o).contains("身份证号"), "{}", text(&o));

    new_id
}

/// The server starts with the key; without the key the encrypted database is refused.
fn serve_and_refuse_without_key(d: &Path, url: &str, key: &Path) {
    let mut serve = cmd(url, Some(key), &["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::BufRead;
        let mut line = String::new();
        std::io::BufReader::new(serve.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.contains("serving on http://127.0.0.1:"), "{line}");
    }
    let _ = serve.kill();
    let _ = serve.wait();
    let o = run(
        url,
        None,
        &["export", "students", d.join("x.csv").to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("no key file is configured"),
        "{}",
        text(&o)
    );
}

/// Scans the database and its WAL, a backup copy, and every masked export.
fn scan_everything(d: &Path, db: &Path, url: &str, key: &Path, wanted: &[(String, Vec<u8>)]) {
    // The database and its WAL (while a writer holds it open, the WAL has the latest pages).
    let backup = d.join("backup.db");
    ok(url, Some(key), &["backup", backup.to_str().unwrap()]);
    for f in [
        db.to_path_buf(),
        PathBuf::from(format!("{}-wal", db.display())),
        backup,
    ] {
        if f.exists() {
            scan(&f, wanted);
        }
    }
    // Every export of a record type with personal fields, masked, in both formats.
    for resource in ["students", "staff"] {
        for ext in ["csv", "xlsx"] {
            let f = d.join(format!("{resource}.{ext}"));
            ok(url, Some(key), &["export", resource, f.to_str().unwrap()]);
            scan(&f, wanted);
        }
    }
}

/// Rotation: every value under the new key, none readable under the old; returns the new key.
async fn rotate(
    d: &Path,
    url: &str,
    key: &Path,
    enc_len: usize,
    plain: &BTreeMap<(String, String, i64), String>,
    new_id: &str,
) -> Keyring {
    let old_key = d.join("old.key");
    std::fs::copy(key, &old_key).unwrap();
    let old = Keyring::load(&old_key).unwrap();
    ok(url, Some(key), &["rotate-pii-key", "--batch", "200"]);
    let new = Keyring::load(key).unwrap();
    assert_eq!(new.ids().len(), 1, "the old key left in the key file");
    assert_ne!(new.primary_id(), old.primary_id());
    let rotated = stored(url).await;
    assert_eq!(rotated.len(), enc_len + 3);
    for ((t, c, id), v) in &rotated {
        assert_eq!(
            skillbridge_store::crypt::key_id_of(v),
            Some(new.primary_id()),
            "{t}.{c} of {id}"
        );
        assert!(
            old.open(t, c, *id, v).is_err(),
            "{t}.{c} of {id} opens under the old key"
        );
        let got = new.open(t, c, *id, v).unwrap();
        // The imported student has no counterpart in the demo without a key.
        if let Some(want) = plain.get(&(t.clone(), c.clone(), *id)) {
            assert_eq!(&got, want, "{t}.{c} of {id}");
        }
    }
    // The application reads the rotated values: an export with full values, audited, holds the
    // imported student's new phone (exports otherwise mask, as scanned above).
    let full = d.join("full.csv");
    ok(
        url,
        Some(key),
        &[
            "export",
            "students",
            full.to_str().unwrap(),
            "--full-reason",
            "at-rest test",
        ],
    );
    let full_text = std::fs::read_to_string(&full).unwrap();
    assert!(full_text.contains("13900009902") && full_text.contains(new_id));

    new
}

/// A database in clear with a key configured is refused until it is encrypted; after that its
/// former clear values are gone from the file.
async fn encrypt_existing(
    d: &Path,
    clear_db: &Path,
    clear_url: &str,
    key: &Path,
    new: &Keyring,
    plain: &BTreeMap<(String, String, i64), String>,
) {
    let o = run(
        clear_url,
        Some(key),
        &["export", "students", d.join("y.csv").to_str().unwrap()],
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("rotate-pii-key --encrypt-only"),
        "{}",
        text(&o)
    );
    ok(clear_url, Some(key), &["rotate-pii-key", "--encrypt-only"]);
    let now_enc = stored(clear_url).await;
    assert!(now_enc
        .values()
        .all(|v| skillbridge_store::crypt::key_id_of(v) == Some(new.primary_id())));
    scan(clear_db, &needles(plain));
}

/// PostgreSQL (when the tests run on it): the same demo with the key, then a pg_dump of it.
async fn postgres_dump(d: &Path, key: &Path, wanted: &[(String, Vec<u8>)]) {
    if backend_name() == "postgres" {
        let pg = TestDb::new().await.unwrap();
        ok(&pg.url, Some(key), &["demo", "--students", STUDENTS]);
        let dump = d.join("dump.sql");
        let pg_dump = std::fs::read_dir("/usr/lib/postgresql")
            .ok()
            .and_then(|r| {
                r.filter_map(|e| e.ok())
                    .map(|e| e.path().join("bin/pg_dump"))
                    .find(|p| p.exists())
            })
            .unwrap_or_else(|| PathBuf::from("pg_dump"));
        let o = Command::new(pg_dump)
            .args(["--no-owner", "-f", dump.to_str().unwrap(), &pg.url])
            .output()
            .unwrap();
        assert!(o.status.success(), "pg_dump: {}", text(&o));
        let size = std::fs::metadata(&dump).unwrap().len();
        assert!(size > 100_000, "dump of {size} bytes");
        scan(&dump, wanted);
        eprintln!("pg_dump of {size} bytes scanned");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn personal_data_is_nowhere_in_clear_with_a_key_and_rotation_retires_the_old_key() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let key = new_key_file(d);
    let (clear_db, clear_url, plain, _ids) = demo_in_clear(d).await;
    // The demo with the key.
    let db = d.join("college.db");
    let url = format!("sqlite:{}", db.display());
    let out = ok(&url, Some(&key), &["demo", "--students", STUDENTS]);
    assert!(!out.contains("stored in clear"), "{out}");
    let enc = stored(&url).await;
    assert_eq!(
        enc.len(),
        plain.len(),
        "both demos hold the same personal values"
    );
    assert!(
        enc.values().all(|v| v.starts_with("pii1:")),
        "a value is stored in clear"
    );

    let new_id = import_some(d, &url, &key, &plain);
    let mut all_plain = plain.clone();
    for (i, v) in [
        new_id.clone(),
        "13900009901".into(),
        "13900009902".into(),
        "重庆市沙坪坝区新生路2号".into(),
    ]
    .into_iter()
    .enumerate()
    {
        all_plain.insert(("new".into(), "value".into(), i as i64), v);
    }
    let wanted = needles(&all_plain);

    serve_and_refuse_without_key(d, &url, &key);
    scan_everything(d, &db, &url, &key, &wanted);
    let new = rotate(d, &url, &key, enc.len(), &plain, &new_id).await;
    encrypt_existing(d, &clear_db, &clear_url, &key, &new, &plain).await;
    postgres_dump(d, &key, &wanted).await;
}
